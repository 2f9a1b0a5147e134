/**
 * `npm run bench:ab -- REV`: is the working tree faster than revision REV at the verdict benchmark? On a noisy machine
 * (this one: the same binary varies by ±30% between consecutive runs) a single run cannot judge a change of under
 * ~20%, so this alternates short runs of both (A = REV in a temporary git worktree, B = the working tree) and prints
 * every figure, the medians and their ratio. Both run the working tree's `bench/verdicts.ts`, so the workload is the
 * same; only the code under test differs.
 *
 *   npm run bench:ab -- HEAD~3                          6 rounds of `--quick --seconds 2`
 *   npm run bench:ab -- a332152 --rounds 10 -- --no-record --probes 200
 *
 * It compares CPU-time figures (`perCpuSecond`), steadier than wall time when other work shares the machine.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const args = process.argv.slice(2);
const dashes = args.indexOf("--");
const own = dashes >= 0 ? args.slice(0, dashes) : args;
const benchArgs = dashes >= 0 ? args.slice(dashes + 1) : [];
const rev = own.find((a, i) => !a.startsWith("--") && own[i - 1] !== "--rounds");
const rounds = own.includes("--rounds") ? Number(own[own.indexOf("--rounds") + 1]) : 6;
if (!rev || !Number.isInteger(rounds) || rounds < 1) {
  console.error("usage: npm run bench:ab -- REV [--rounds N] [-- bench arguments]");
  process.exit(2);
}

const root = resolve(import.meta.dirname, "..");
const git = (...a: string[]): void => {
  const r = spawnSync("git", a, { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
  if (r.status !== 0) throw new Error(`git ${a.join(" ")} failed`);
};
const parent = mkdtempSync(join(tmpdir(), "localvpc-ab-"));
const dir = join(parent, "a");
git("worktree", "add", "--detach", "--quiet", dir, rev);
try {
  symlinkSync(join(root, "node_modules"), join(dir, "node_modules"));
  // The bench and its workload (split out for the worker-thread row): the same workload on both sides.
  for (const f of ["verdicts.ts", "verdicts-workload.ts"]) copyFileSync(join(root, "bench", f), join(dir, "bench", f));
  const run = (cwd: string): number => {
    const r = spawnSync(process.execPath, ["--import", "tsx", "bench/verdicts.ts", "--quick", "--seconds", "2", ...benchArgs], {
      cwd,
      encoding: "utf8",
    });
    if (r.status !== 0) throw new Error(`bench failed in ${cwd}:\n${r.stderr}`);
    const out = JSON.parse(r.stdout) as { results: { perCpuSecond: number }[] };
    return out.results[0]!.perCpuSecond;
  };
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < rounds; i++) {
    a.push(run(dir));
    b.push(run(root));
    console.log(`round ${i + 1}/${rounds}: A ${Math.round(a[i]!).toLocaleString("en-US")}  B ${Math.round(b[i]!).toLocaleString("en-US")}`);
  }
  const median = (xs: number[]): number => {
    const s = [...xs].sort((x, y) => x - y);
    return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
  };
  const [ma, mb] = [median(a), median(b)];
  console.log(
    `verdicts per CPU second, median of ${rounds}: A (${rev}) ${Math.round(ma).toLocaleString("en-US")}, ` +
      `B (working tree) ${Math.round(mb).toLocaleString("en-US")}; B/A ${(mb / ma).toFixed(2)}`,
  );
} finally {
  git("worktree", "remove", "--force", dir);
  rmSync(parent, { recursive: true, force: true });
}
