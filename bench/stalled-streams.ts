/**
 * `npm run bench:streams`: memory under stalled event clients (issue 14). Spawns `localvpc serve` (the built CLI),
 * opens N clients on `GET /_localvpc/events` that never read (raw sockets, paused), then sends P traffic probes (each
 * a `verdict` event for every client) and prints the server's RSS before and after, and how many clients it dropped.
 * Every stream's unsent buffer is capped (server/http.ts MAX_STREAM_BUFFER_BYTES): a client that falls behind is
 * dropped, so RSS stays flat whatever the clients do.
 *
 *   npm run build && npm run bench:streams -- [--clients 50] [--probes 10000]
 */
import { connect, type Socket } from "node:net";
import { readFileSync } from "node:fs";
import { spawnServe } from "../test/cli/serve-process.js";

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const CLIENTS = arg("clients", 50);
const PROBES = arg("probes", 10_000);

const rssMb = (pid: number): number => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : NaN;
};

const server = await spawnServe(["--port", "0", "--data", ":memory:", "--log-level", "warn"]);
const url = new URL(server.url);
const ec2 = async (params: Record<string, string>): Promise<string> => {
  const res = await fetch(`${server.url}/`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ Version: "2016-11-15", ...params }).toString(),
  });
  return res.text();
};
const run = await ec2({ Action: "RunInstances", ImageId: "ami-0a1b2c3d4e5f60001", InstanceType: "t3.micro", MinCount: "2", MaxCount: "2" });
const ids = [...run.matchAll(/<instanceId>(i-[0-9a-f]+)<\/instanceId>/g)].map((m) => m[1]!);
await ec2({ Action: "DescribeInstances" }); // pending → running
if (ids.length !== 2) throw new Error(`RunInstances did not answer two instances: ${run.slice(0, 400)}`);

const before = rssMb(server.child.pid!);
const sockets: Socket[] = [];
let closedByServer = 0;
for (let i = 0; i < CLIENTS; i++) {
  const s = connect(Number(url.port), url.hostname);
  s.write(`GET /_localvpc/events HTTP/1.1\r\nHost: ${url.host}\r\nAccept: text/event-stream\r\n\r\n`);
  s.pause(); // never read: the server's writes back up
  s.on("close", () => closedByServer++);
  s.on("error", () => undefined);
  sockets.push(s);
}
await new Promise((r) => setTimeout(r, 300));
const started = performance.now();
for (let i = 0; i < PROBES; i++) {
  const res = await fetch(`${server.url}/_localvpc/traffic/send`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ from: ids[0], to: ids[1], proto: "tcp", port: 22 }),
  });
  await res.arrayBuffer();
}
const seconds = (performance.now() - started) / 1000;
const after = rssMb(server.child.pid!);
// Read what is buffered: a client the server dropped then sees its stream end; a live one keeps receiving.
for (const s of sockets) s.resume();
await new Promise((r) => setTimeout(r, 1500));
process.stdout.write(
  [
    `stalled event clients: ${CLIENTS}, probes: ${PROBES} (${(PROBES / seconds).toFixed(0)} probes/s)`,
    `  server RSS before: ${before.toFixed(0)} MB   after: ${after.toFixed(0)} MB   (issue 14 target: under 300 MB)`,
    `  stalled clients dropped by the server: ${closedByServer} of ${CLIENTS}`,
    "",
  ].join("\n"),
);
for (const s of sockets) s.destroy();
await server.stop();
