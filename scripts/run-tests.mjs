#!/usr/bin/env node
// Runs every *.test.ts under src/ and test/ (or the folders given) with node's own test runner and tsx.
// Node 20's --test has no glob support, so the files are found here.
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { spawnSync } from "node:child_process";

const roots = process.argv.slice(2).length ? process.argv.slice(2) : ["src", "test"];
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name.startsWith(".")) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (name.endsWith(".test.ts")) files.push(relative(process.cwd(), p));
  }
};
for (const r of roots) {
  if (statSync(r).isDirectory()) walk(r);
  else files.push(r);
}
files.sort();
if (files.length === 0) {
  console.error("no test files found");
  process.exit(1);
}
// Test files run in parallel child processes (issue 19: the suite ran one file at a time, since node's default is one
// fewer than the cores, 1 here). Most files wait on servers, sockets and child processes rather than the CPU, so a
// few more than the cores keeps both busy. LOCALVPC_TEST_CONCURRENCY overrides (1 = one file at a time).
const concurrency = Number(process.env.LOCALVPC_TEST_CONCURRENCY ?? 3);
const args = ["--import", "tsx", "--test", `--test-concurrency=${concurrency}`, "--test-reporter=spec", ...files];
const r = spawnSync(process.execPath, args, { stdio: "inherit", env: { ...process.env, NODE_NO_WARNINGS: "1" } });
process.exit(r.status ?? 1);
