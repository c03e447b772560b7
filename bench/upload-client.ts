/**
 * Uploads from a process of its own (`node bench/upload-client.ts <bare url> <url> <auth header> <bytes> <rounds>
 * <trials>`): the same REST JSON/base64 bodies to a bare server and to Outpost, interleaved, with the client's own
 * work (building and sending 33 MB bodies) off the server's event loop. Every upload carries different bytes (a
 * counter written into the base64), so none is answered from an identical stored copy. Prints one JSON line
 * {bare, ours, ratio, min, max} (MB of attachment per second, medians of the trials).
 */
import { Agent, request } from "node:http";
import { uploadBodies } from "./upload-body.ts";

const [bareUrl, url, auth, sizeArg, roundsArg, trialsArg] = process.argv.slice(2);
const size = Number(sizeArg);
const rounds = Number(roundsArg);
const trials = Number(trialsArg);
const nextBody = uploadBodies(size);
const agent = new Agent({ keepAlive: true });

function send(target: string, headers: Record<string, string>): Promise<number> {
  const body = nextBody();
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const req = request(target, { method: "POST", agent, headers: { ...headers, "content-type": "application/json", "content-length": body.length } }, (res) => {
      res.on("data", () => undefined);
      res.on("end", () => (res.statusCode === 201 ? resolve(performance.now() - t) : reject(new Error(`upload to ${target}: ${res.statusCode}`))));
    });
    req.on("error", reject);
    req.end(body);
  });
}

const outpost = { authorization: auth! };
for (let i = 0; i < 2; i++) (await send(bareUrl!, {}), await send(url!, outpost));
const pairs: Array<{ bare: number; ours: number; ratio: number }> = [];
for (let t = 0; t < trials; t++) {
  let bareMs = 0;
  let oursMs = 0;
  for (let i = 0; i < rounds; i++) (bareMs += await send(bareUrl!, {}), (oursMs += await send(url!, outpost)));
  const mbps = (ms: number) => (size * rounds) / 1048576 / (ms / 1000);
  pairs.push({ bare: mbps(bareMs), ours: mbps(oursMs), ratio: bareMs / oursMs });
}
const median = (f: (p: (typeof pairs)[number]) => number) => pairs.map(f).sort((a, b) => a - b)[pairs.length >> 1]!;
console.log(JSON.stringify({ bare: median((p) => p.bare), ours: median((p) => p.ours), ratio: median((p) => p.ratio), min: Math.min(...pairs.map((p) => p.ratio)), max: Math.max(...pairs.map((p) => p.ratio)) }));
agent.destroy();
