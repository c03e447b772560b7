/**
 * Real add-ins: the browser runtime (Chromium through playwright-core, the host page, the sandboxed cross-origin
 * frame, postMessage + WebCrypto-signed /bridge/call) next to the JavaScript-only runtime (isolated-vm), in the same
 * run: start per add-in with one Chromium launch amortised over 50 add-ins, and the bridge round trip per call.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { BrowserRuntime } from "../src/runtime/browser/runtime.ts";
import { RuntimeHost } from "../src/runtime/host.ts";
import { runAddin } from "../src/runtime/run-addin.ts";
import { percentile } from "./stats.ts";

const EML = "From: A <a@x.test>\r\nTo: b@y.test\r\nSubject: Bench\r\nMessage-ID: <bench-real@x>\r\n\r\nHello from the benchmark body.\r\n";
const ADDINS = 50;
const CALLS = 200;

const START_JS = `Office.onReady(function () { Office.context.mailbox.item.body.getAsync("text", function (r) { document.getElementById("out").textContent = r.value.length; }); });`;
const ROUNDTRIP_JS = `Office.onReady(function () { var n = 0, t0 = Date.now();
  function next() { if (n++ < ${CALLS}) Office.context.mailbox.item.body.getAsync("text", next); else document.getElementById("ms").textContent = String(Date.now() - t0); }
  next(); });`;

const page = (script: string) => `<!doctype html><html><head><script src="https://appsforoffice.microsoft.com/lib/1/hosted/office.js"></script><script>${script}</script></head><body><p id="out"></p><p id="ms"></p></body></html>`;

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "outpost-bench-addin-"));
  writeFileSync(join(dir, "start.html"), page(START_JS));
  writeFileSync(join(dir, "roundtrip.html"), page(ROUNDTRIP_JS));
  const host = await RuntimeHost.create();
  try {
    const { user, mailbox } = await host.provisionUser();
    const item = await host.importEml(mailbox, EML);
    const base = { host, user, mailbox, item, addinId: "bench-real", tier: "ReadItem" as const, root: dir };

    const t0 = performance.now();
    const browser = await BrowserRuntime.launch();
    const launchMs = performance.now() - t0;
    try {
      const browserRuns: number[] = [];
      for (let i = 0; i < ADDINS; i++) {
        const s = performance.now();
        const r = await runAddin({ ...base, entry: join(dir, "start.html"), runtime: "browser", browser });
        browserRuns.push(performance.now() - s);
        if (r.page.out !== String((item.bodyText ?? "").length)) throw new Error(`browser run ${i} did not finish: ${JSON.stringify(r.page)}`);
      }
      const jsRuns: number[] = [];
      for (let i = 0; i < ADDINS; i++) {
        const s = performance.now();
        const r = await runAddin({ ...base, entry: { code: START_JS }, runtime: "js" });
        jsRuns.push(performance.now() - s);
        if (r.page.out !== String((item.bodyText ?? "").length)) throw new Error(`js run ${i} did not finish`);
      }
      const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
      const amortised = (launchMs + sum(browserRuns)) / ADDINS;
      const jsMean = sum(jsRuns) / ADDINS;
      const b = [...browserRuns].sort((x, y) => x - y);
      const j = [...jsRuns].sort((x, y) => x - y);
      console.log(`Chromium launch: ${launchMs.toFixed(0)} ms (once)`);
      console.log(`browser runtime, start → first call answered → idle, per add-in: p50 ${percentile(b, 50).toFixed(0)} ms, p99 ${percentile(b, 99).toFixed(0)} ms; with the launch amortised over ${ADDINS}: ${amortised.toFixed(0)} ms`);
      console.log(`JavaScript-only runtime, same add-in: p50 ${percentile(j, 50).toFixed(0)} ms, p99 ${percentile(j, 99).toFixed(0)} ms (mean ${jsMean.toFixed(0)} ms)`);
      console.log(`ratio browser/js start (amortised): ${(amortised / jsMean).toFixed(1)}×`);

      const rb = await runAddin({ ...base, entry: join(dir, "roundtrip.html"), runtime: "browser", browser, runMs: 120_000 });
      const rj = await runAddin({ ...base, entry: { code: ROUNDTRIP_JS }, runtime: "js", limits: { runMs: 120_000 } });
      const perB = Number(rb.page.ms) / CALLS;
      const perJ = Number(rj.page.ms) / CALLS;
      console.log(`bridge round trip, body.getAsync, ${CALLS} sequential calls timed in the page: browser (postMessage → host page signs with WebCrypto → HTTP /bridge/call → dispatch → back) ${(perB * 1000).toFixed(0)} µs/call; JavaScript-only (isolate → host → dispatch) ${(perJ * 1000).toFixed(0)} µs/call; ratio ${(perB / perJ).toFixed(1)}×`);
    } finally {
      await browser.close();
    }
  } finally {
    await host.close();
  }
}
