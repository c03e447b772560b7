/**
 * A load generator in its own process (`node bench/load-client.ts <url> <clients> <total> <auth header>`): the
 * latency of a server under N concurrent clients is measured without the clients' own work (HTTP parsing,
 * promises) running on the server's event loop. Prints one JSON line {p50, p99, max, rps}.
 */
import { Agent, request } from "node:http";

const [url, clientsArg, totalArg, auth] = process.argv.slice(2);
const clients = Number(clientsArg);
const total = Number(totalArg);
const agent = new Agent({ keepAlive: true, maxSockets: clients });
const headers = { authorization: auth! };

function get(): Promise<number> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    request(url!, { agent, headers }, (res) => {
      res.on("data", () => undefined);
      res.on("end", () => (res.statusCode === 200 ? resolve(performance.now() - t) : reject(new Error(`status ${res.statusCode}`))));
    })
      .on("error", reject)
      .end();
  });
}

for (let i = 0; i < 200; i++) await get(); // warm-up: connections, plans, JIT
const latencies: number[] = [];
let issued = 0;
const started = performance.now();
await Promise.all(
  Array.from({ length: clients }, async () => {
    while (issued < total) {
      issued++;
      latencies.push(await get());
    }
  }),
);
const elapsed = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!;
console.log(JSON.stringify({ p50: q(0.5), p99: q(0.99), max: latencies[latencies.length - 1], rps: total / elapsed }));
agent.destroy();
