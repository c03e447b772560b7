/**
 * Runtime: a bridge round trip from add-in code in the isolated-vm sandbox (shim → host → signed message →
 * dispatch with decide() → PGlite read → back) next to the same read from a plain in-memory object (the
 * office-addin-mock style), with and without the per-session item cache; dispatch on database sessions; sandbox start time; 200 concurrent headless sessions with p50/p99 call latency.
 */
import { performance } from "node:perf_hooks";
import { BOOTSTRAP_MEMBER } from "../src/runtime/bridge/bootstrap.ts";
import { RuntimeHost } from "../src/runtime/host.ts";
import { runInSandbox } from "../src/runtime/sandbox/sandbox.ts";

const EML = "From: A <a@x.test>\r\nTo: b@y.test\r\nSubject: Bench\r\nMessage-ID: <bench@x>\r\n\r\nHello from the benchmark body.\r\n";

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export async function run(): Promise<void> {
  const host = await RuntimeHost.create();
  try {
    const { user, mailbox } = await host.provisionUser();
    const item = await host.importEml(mailbox, EML);
    const open = () => host.openSession({ user, mailbox, addinId: "bench", item, tier: "ReadItem" });

    // 1. Round trip from inside the sandbox, sequential calls, timed inside the isolate.
    const N = 2000;
    {
      const { client } = await open();
      const boot = (await client.call(BOOTSTRAP_MEMBER, [])).value;
      const code = `var n = 0, t0 = 0;
        function next(r) { if (n === 0) t0 = Date.now(); if (n++ < ${N}) Office.context.mailbox.item.body.getAsync("text", next); else document.getElementById("ms").textContent = String(Date.now() - t0); }
        Office.onReady(function () { next(); });`;
      const r = await runInSandbox({ boot, scripts: [{ name: "bench.js", code }], call: (m, a) => client.call(m, a), limits: { runMs: 60_000 } });
      const perCall = Number(r.page.ms) / N;
      // Baseline: the same member on a property bag, callback style.
      const text = item.bodyText ?? "";
      const mock = { context: { mailbox: { item: { body: { getAsync: (_c: string, cb: (r: { status: string; value: string }) => void) => cb({ status: "succeeded", value: text }) } } } } };
      const M = 1_000_000;
      let sink = 0;
      const t0 = performance.now();
      for (let i = 0; i < M; i++) mock.context.mailbox.item.body.getAsync("text", (res) => (sink += res.value.length));
      const mockPer = (performance.now() - t0) / M;
      if (sink < 0) console.log(sink);
      console.log(`bridge round trip (sandbox → dispatch → item cache → sandbox), body.getAsync: ${(perCall * 1000).toFixed(1)} µs/call over ${N} sequential calls`);
      console.log(`plain in-memory object (office-addin-mock style), body.getAsync: ${(mockPer * 1e6).toFixed(1)} ns/call`);
      console.log(`ratio: ${(perCall / mockPer).toFixed(0)}× (the bridge pays for isolation, signing, decide() and the trace)`);
      // The bridge alone: a member answered from session state (no store read).
      const s2 = await open();
      const boot2 = (await s2.client.call(BOOTSTRAP_MEMBER, [])).value;
      const code2 = `var n = 0, t0 = 0;
        function next(r) { if (n === 0) t0 = Date.now(); if (n++ < ${N}) Office.context.mailbox.item.notificationMessages.getAllAsync(next); else document.getElementById("ms").textContent = String(Date.now() - t0); }
        Office.onReady(function () { next(); });`;
      const r2 = await runInSandbox({ boot: boot2, scripts: [{ name: "bench2.js", code: code2 }], call: (m, a) => s2.client.call(m, a), limits: { runMs: 60_000 } });
      const bridgeOnly = Number(r2.page.ms) / N;
      console.log(`bridge alone (notificationMessages.getAllAsync, no store read): ${(bridgeOnly * 1000).toFixed(1)} µs/call; ratio to the mock ${(bridgeOnly / mockPer).toFixed(0)}×`);
      // The same read with the per-session item cache off: every call loads the item from PGlite.
      const cold = await RuntimeHost.create({ store: host.store, itemCache: false });
      const s3 = await cold.openSession({ user, mailbox, addinId: "bench-nocache", item, tier: "ReadItem" });
      const boot3 = (await s3.client.call(BOOTSTRAP_MEMBER, [])).value;
      const r3 = await runInSandbox({ boot: boot3, scripts: [{ name: "bench3.js", code }], call: (m, a) => s3.client.call(m, a), limits: { runMs: 60_000 } });
      const uncached = Number(r3.page.ms) / N;
      console.log(`same body.getAsync without the item cache (item loaded per call): ${(uncached * 1000).toFixed(1)} µs/call; the cache saves ${(uncached / perCall).toFixed(1)}×`);
    }

    // 1b. The server's path: sessions and traces in the database (PGlite here), dispatch called directly.
    {
      const sqlHost = await RuntimeHost.create({ store: host.store, sessions: "database" });
      const { client } = await sqlHost.openSession({ user, mailbox, addinId: "bench-sql", item, tier: "ReadItem" });
      const M = 1000;
      await client.call("Office.context.mailbox.item.body.getAsync", ["text"]);
      const t0 = performance.now();
      for (let i = 0; i < M; i++) await client.call("Office.context.mailbox.item.body.getAsync", ["text"]);
      const per = (performance.now() - t0) / M;
      console.log(`dispatch with database sessions (PGlite: session read + seq claim + trace insert, item cached): ${(per * 1000).toFixed(0)} µs/call`);
    }

    // 2. Sandbox start: isolate + context + prelude + shim, and a whole trivial run.
    {
      const starts: number[] = [];
      const totals: number[] = [];
      for (let i = 0; i < 30; i++) {
        const { client } = await open();
        const boot = (await client.call(BOOTSTRAP_MEMBER, [])).value;
        const t0 = performance.now();
        const r = await runInSandbox({ boot, scripts: [{ name: "empty.js", code: "Office.onReady(function () {});" }], call: (m, a) => client.call(m, a) });
        totals.push(performance.now() - t0);
        starts.push(r.startMs + (r.initMs ?? 0));
      }
      starts.sort((a, b) => a - b);
      totals.sort((a, b) => a - b);
      console.log(`sandbox start (isolate + context + prelude + office.js + onReady): p50 ${pct(starts, 50).toFixed(1)} ms, p99 ${pct(starts, 99).toFixed(1)} ms`);
      console.log(`whole trivial headless run incl. idle detection and dispose: p50 ${pct(totals, 50).toFixed(1)} ms`);
    }

    // 3. 200 concurrent headless sessions, 10 calls each; latency measured per call at the host side of the bridge.
    {
      const S = 200;
      const CALLS = 10;
      const latencies: number[] = [];
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: S }, async () => {
          const { client } = await open();
          const boot = (await client.call(BOOTSTRAP_MEMBER, [])).value;
          const code = `var n = 0; function next() { if (n++ < ${CALLS}) Office.context.mailbox.item.body.getAsync("text", next); } Office.onReady(function () { next(); });`;
          await runInSandbox({
            boot,
            scripts: [{ name: "s.js", code }],
            call: async (m, a) => {
              const c0 = performance.now();
              const r = await client.call(m, a);
              latencies.push(performance.now() - c0);
              return r;
            },
            limits: { runMs: 60_000, busyLimitMs: 30_000, initTimeoutMs: 30_000 },
          });
        }),
      );
      const wall = performance.now() - t0;
      latencies.sort((a, b) => a - b);
      console.log(`${S} concurrent headless sessions × ${CALLS} calls: ${latencies.length} calls in ${(wall / 1000).toFixed(2)} s, call latency p50 ${pct(latencies, 50).toFixed(2)} ms, p99 ${pct(latencies, 99).toFixed(2)} ms`);
    }
  } finally {
    await host.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
