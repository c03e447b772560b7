/**
 * Activation benchmark: 50 add-ins (mixed rules, 5 regexes each) over 10 KB, 100 KB and 1 MB
 * messages on classic Outlook (the profile that evaluates a whole 1 MB body), against the floor —
 * the same compiled regexes run bare with RegExp over the same texts in this process. Also: entity
 * extraction throughput, precision/recall, how fast a ReDoS is stopped, and V8's linear-time regex
 * engine on the same patterns (the alternative to the worker watchdog).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { applyBodyLimit } from "../src/activation/body-limits.ts";
import { CLIENT_PROFILES, evaluateActivations, extractEntitiesFromText, makeActivationItem, RegexWorkerPool, type ActivationItem } from "../src/activation/index.ts";
import type { AddinManifest, Rule } from "../src/manifest/model.ts";
import { formatScores, scoreEntities } from "../test/activation/helpers/entity-scoring.ts";

const ADDINS = 50;
const WORDS = "the order invoice team meeting report update shipment budget review contract project status customer account quarterly release server network policy travel".split(" ");

function rng(seed: number) {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
}

function bodyOfSize(bytes: number): string {
  const r = rng(42);
  const parts: string[] = [];
  let size = 0;
  let n = 0;
  while (size < bytes) {
    let w = WORDS[Math.floor(r() * WORDS.length)];
    n++;
    if (n % 997 === 0) w = `CO-${String(100000000 + n).slice(0, 9)}`;
    else if (n % 1499 === 0) w = `NASDAQ: MSFT${n % 7}`;
    else if (n % 2003 === 0) w = `https://contoso.com/doc/${n}`;
    else if (n % 2503 === 0) w = `user${n}@fabrikam.com`;
    parts.push(w);
    size += w.length + 1;
    if (n % 14 === 0) parts.push(".\n");
  }
  return parts.join(" ").slice(0, bytes);
}

interface RegexDef {
  name: string;
  value: string;
  property: string;
  ignoreCase: boolean;
}

function regexesFor(i: number): RegexDef[] {
  const w = WORDS[i % WORDS.length];
  return [
    { name: `order${i}`, value: `\\bCO-${i % 10}\\d{8}\\b`, property: "BodyAsPlaintext", ignoreCase: false },
    { name: `ticker${i}`, value: `\\b(?:NYSE|NASDAQ|AMEX):\\s*[A-Z]{${1 + (i % 3)},5}\\d?\\b`, property: "BodyAsPlaintext", ignoreCase: false },
    { name: `link${i}`, value: `https?://[\\w.-]+/doc/${i}\\d*`, property: i % 5 === 0 ? "BodyAsHTML" : "BodyAsPlaintext", ignoreCase: false },
    { name: `word${i}`, value: `\\b${w}s?\\s+(?:${WORDS[(i + 3) % WORDS.length]}|${WORDS[(i + 7) % WORDS.length]})\\b`, property: "BodyAsPlaintext", ignoreCase: true },
    { name: `sender${i}`, value: i % 2 ? `@contoso\\.com$` : `^[\\w.+-]+@fabrikam\\.com$`, property: i % 3 === 0 ? "Subject" : "SenderSMTPAddress", ignoreCase: true },
  ];
}

const rx = (d: RegexDef): Rule => ({ type: "ItemHasRegularExpressionMatch", regExName: d.name, regExValue: d.value, propertyName: d.property, ignoreCase: d.ignoreCase });

function addin(i: number): AddinManifest {
  const [a, b, c, d, e] = regexesFor(i).map(rx);
  const shapes: Rule[] = [
    { type: "RuleCollection", mode: "And", rules: [{ type: "ItemIs", itemType: "Message", formType: "Read" }, { type: "RuleCollection", mode: "Or", rules: [a, b, c, d, e] }] },
    { type: "RuleCollection", mode: "Or", rules: [{ type: "RuleCollection", mode: "And", rules: [{ type: "ItemHasAttachment" }, a] }, b, { type: "RuleCollection", mode: "And", rules: [c, d] }, e] },
    { type: "RuleCollection", mode: "And", rules: [{ type: "ItemIs", itemType: "Message" }, { type: "RuleCollection", mode: "Or", rules: [a, { type: "RuleCollection", mode: "And", rules: [b, c] }] }, { type: "RuleCollection", mode: "Or", rules: [d, e, { type: "ItemHasAttachment" }] }] },
  ];
  return {
    format: "xml", schemaVersion: "1.1", appType: "MailApp", id: `bench-${i}`, version: "1.0", name: { value: `bench ${i}` }, description: { value: "" }, provider: { name: "bench" },
    hosts: ["Mailbox"], tier: "ReadItem", declaredTiers: ["ReadItem"], permissionNames: ["ReadItem"], supplementary: [], requirements: { sets: [] }, sourceLocations: {},
    rules: shapes[i % shapes.length], extensionPoints: [], runtimes: [], versionOverrides: [], appDomains: [], icons: [], resources: [], resourceReferences: [], urls: [], extras: [],
  };
}

function stats(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
  return { median: at(0.5), p99: at(0.99) };
}

/** The floor: every regex compiled once, then a bare exec loop over the same text the client evaluates. */
function floorRunner(item: ActivationItem) {
  const client = CLIENT_PROFILES.windows;
  const plain = applyBodyLimit(item.bodyText, client.body.plain).text ?? "";
  const html = applyBodyLimit(item.bodyHtml ?? "", client.body.html).text ?? "";
  const texts: Record<string, string> = { BodyAsPlaintext: plain, BodyAsHTML: html, Subject: item.subject, SenderSMTPAddress: item.senderSmtp ?? "" };
  const compiled: { re: RegExp; text: string }[] = [];
  for (let i = 0; i < ADDINS; i++) for (const d of regexesFor(i)) compiled.push({ re: new RegExp(d.value, d.ignoreCase ? "gi" : "g"), text: texts[d.property] });
  return () => {
    let n = 0;
    for (const { re, text } of compiled) {
      re.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = re.exec(text)) !== null) {
        if (m[0].length === 0) re.lastIndex++;
        n++;
      }
    }
    return n;
  };
}

async function timeIt(iterations: number, fn: () => unknown): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

function linearEngineComparison(): string {
  // V8's linear-time engine needs a process-wide flag, so it is measured in a child process.
  const file = join(mkdtempSync(join(tmpdir(), "outpost-bench-")), "body.txt");
  writeFileSync(file, bodyOfSize(1_000_000));
  const script = `
    const text = (await import("node:fs")).readFileSync(${JSON.stringify(file)}, "utf8");
    const pats = ${JSON.stringify(Array.from({ length: 10 }, (_, i) => regexesFor(i).slice(0, 4).map((d) => d.value)).flat())};
    const run = (flags) => { const res = pats.map((p) => new RegExp(p, flags)); const t = performance.now(); for (const re of res) { re.lastIndex = 0; while (re.exec(text)) {} } return performance.now() - t; };
    run("g"); const bt = run("g"); run("gl"); const lin = run("gl");
    let evil; const t0 = performance.now(); new RegExp("^(a+)+$", "l").test("a".repeat(1000000) + "!"); evil = performance.now() - t0;
    let unsupported = []; for (const p of ["(a)\\\\1", "(?<=USD )\\\\d+", "(?=x)x"]) { try { new RegExp(p, "l"); } catch { unsupported.push(p); } }
    console.log(JSON.stringify({ backtracking: bt, linear: lin, evil, unsupported, n: pats.length }));`;
  const out = execFileSync(process.execPath, ["--enable-experimental-regexp-engine", "--input-type=module", "-e", script], { encoding: "utf8", maxBuffer: 10 * 1024 * 1024 });
  const r = JSON.parse(out) as { backtracking: number; linear: number; evil: number; unsupported: string[]; n: number };
  return (
    `  V8 linear engine (/l), ${r.n} bench patterns over 1 MB: ${r.linear.toFixed(1)} ms vs backtracking ${r.backtracking.toFixed(1)} ms (${(r.linear / r.backtracking).toFixed(1)}x slower)\n` +
    `  linear engine on (a+)+$ vs 1 MB of "a": ${r.evil.toFixed(1)} ms; patterns it rejects: ${r.unsupported.join("  ")}`
  );
}

export async function run(): Promise<void> {
  const pool = new RegexWorkerPool();
  await pool.warm();
  const manifests = Array.from({ length: ADDINS }, (_, i) => addin(i));
  console.log(`activation: ${ADDINS} add-ins x 5 regexes, classic Outlook profile (windows), pool of ${pool.size} workers`);
  console.log("  size     engine median / p99      floor median / p99     ratio (median)");
  const sizes: [string, number, number][] = [["10 KB", 10_000, 200], ["100 KB", 100_000, 60], ["1 MB", 1_000_000, 15]];
  for (const [label, bytes, iterations] of sizes) {
    const body = bodyOfSize(bytes);
    const item = makeActivationItem({ subject: "Quarterly order update", bodyText: body, bodyHtml: `<html><body><p>${body}</p></body></html>`, senderSmtp: "someone@fabrikam.com", hasAttachment: true });
    const floor = floorRunner(item);
    const engine = () => evaluateActivations(manifests, item, { client: "windows", pool });
    await engine();
    floor();
    const e: number[] = [];
    const f: number[] = [];
    for (let i = 0; i < iterations; i++) {
      // Interleaved so both see the same machine state.
      e.push(...(await timeIt(1, engine)));
      f.push(...(await timeIt(1, floor)));
    }
    const es = stats(e);
    const fs = stats(f);
    console.log(
      `  ${label.padEnd(7)} ${es.median.toFixed(2).padStart(8)} / ${es.p99.toFixed(2).padStart(8)} ms   ${fs.median.toFixed(2).padStart(8)} / ${fs.p99.toFixed(2).padStart(8)} ms   ${(es.median / fs.median).toFixed(2)}x  (n=${iterations})`,
    );
  }

  // ReDoS: how long until the add-in is stopped, and how late the event loop ran meanwhile.
  const evil: AddinManifest = { ...addin(0), id: "evil", rules: { type: "ItemHasRegularExpressionMatch", regExName: "evil", regExValue: "(a+)+$", propertyName: "BodyAsPlaintext" } };
  const redosItem = makeActivationItem({ bodyText: "a".repeat(1_000_000 - 1) + "!" });
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const t0 = performance.now();
  const [redos] = await evaluateActivations([evil], redosItem, { client: "windows", pool });
  const stopped = performance.now() - t0;
  loop.disable();
  console.log(`  ReDoS (a+)+$ on 1 MB: stopped after ${stopped.toFixed(0)} ms (budget 1000 ms, activated=${redos.activated}); event-loop delay max ${(loop.max / 1e6).toFixed(1)} ms, p99 ${(loop.percentile(99) / 1e6).toFixed(1)} ms`);
  await pool.close();

  console.log(linearEngineComparison());

  // Entities.
  const sample = (await import("node:fs")).readFileSync(new URL("../test/activation/fixtures/entity-labels.json", import.meta.url), "utf8");
  const texts = (JSON.parse(sample) as { own: { text: string }[] }).own.map((o) => o.text).join("\n\n");
  const mb = texts.repeat(Math.ceil(1_000_000 / texts.length)).slice(0, 1_000_000);
  extractEntitiesFromText(mb.slice(0, 50_000));
  const te = performance.now();
  extractEntitiesFromText(mb);
  const entSec = (performance.now() - te) / 1000;
  const window = mb.slice(0, 2000);
  const perItem = await timeIt(200, () => extractEntitiesFromText(window));
  console.log(`  entities: ${(1 / entSec).toFixed(2)} MB/s over 1 MB of mixed mail text; ${stats(perItem).median.toFixed(2)} ms median per item (2,000-character window)`);
  const scores = await scoreEntities();
  console.log(formatScores(scores).split("\n").map((l) => "  " + l).join("\n"));
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
