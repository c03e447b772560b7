/**
 * Least-privilege auditor: audit time for a typical add-in (the work-requests fixture: page, script, manifest) and
 * for a 5 MB bundle (real npm libraries bundled with esbuild, the add-in's code inside), in files and MB per second.
 * Baseline, same process: TypeScript parsing the same bytes (ts.createSourceFile), the floor any AST-based
 * analysis pays; the ratio is what resolving names and following values costs on top.
 */
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import ts from "typescript";
import { audit } from "../src/audit/index.ts";
import { auditPackage, storedVerdict } from "../src/audit/package.ts";
import { auditPackageOffThread, stopAuditThread } from "../src/audit/package-thread.ts";

const FIXTURE = "test/audit/fixtures/work-requests";
const LIBS = ["zod", "chrono-node", "libphonenumber-js/max", "postal-mime", "linkifyjs", "@xmldom/xmldom", "preact", "jose", "fastify", "pg", "ajv", "commander", "fast-xml-parser", "jsonc-parser", "email-addresses", "sanitize-html"];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function time(fn: () => Promise<unknown> | unknown, runs: number): Promise<number> {
  await fn();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  return median(ms);
}

function parseOnly(files: string[]): void {
  for (const f of files) ts.createSourceFile(f, readFileSync(f, "utf8"), ts.ScriptTarget.ESNext, true, ts.ScriptKind.JS);
}

export async function run(): Promise<void> {
  // Typical add-in.
  const typicalFiles = [join(FIXTURE, "src/taskpane.js")];
  const typicalBytes = typicalFiles.reduce((n, f) => n + readFileSync(f).length, 0) + readFileSync(join(FIXTURE, "src/taskpane.html")).length;
  const typicalMs = await time(() => audit({ manifests: [join(FIXTURE, "manifest.xml")], code: [FIXTURE] }), 20);
  const typicalParse = await time(() => parseOnly(typicalFiles), 20);
  console.log(`audit: typical add-in (${(typicalBytes / 1024).toFixed(1)} KB, 2 files + manifest): ${typicalMs.toFixed(1)} ms median; ${(2000 / typicalMs).toFixed(0)} files/s; parse-only floor ${typicalParse.toFixed(2)} ms`);

  // A 5 MB bundle: real libraries plus the add-in's code, one IIFE as webpack/esbuild dist output ships it.
  const dir = mkdtempSync(join(tmpdir(), "outpost-audit-bench-"));
  const entry = LIBS.map((m, i) => `import * as m${i} from "${m}"; globalThis.m${i} = m${i};`).join("\n");
  const out = await build({ stdin: { contents: entry, resolveDir: process.cwd(), sourcefile: "entry.js" }, bundle: true, write: false, format: "iife", platform: "node", logLevel: "silent", nodePaths: [join(process.cwd(), "node_modules")] });
  // The add-in's own code goes inside the bundle's IIFE, as a bundler places the entry module.
  const libs = out.outputFiles[0].text;
  const close = libs.lastIndexOf("})();");
  const bundle = `${libs.slice(0, close)}\n${readFileSync(join(FIXTURE, "src/taskpane.js"), "utf8")}\n${libs.slice(close)}`;
  mkdirSync(join(dir, "dist"));
  const bundlePath = join(dir, "dist/taskpane.bundle.js");
  writeFileSync(bundlePath, bundle);
  const mb = Buffer.byteLength(bundle) / 1024 / 1024;
  let verdict = "";
  const bundleMs = await time(async () => {
    const r = await audit({ manifests: [join(FIXTURE, "manifest.readwritemailbox.xml")], code: [bundlePath] });
    const own = r.evidence.filter((e) => e.source === "static").length;
    const cut = r.findings.some((f) => f.rule === "unresolved-member" && !f.location) ? ", some values cut short" : "";
    verdict = `${r.verdict} by ${r.levels}, needs ${r.needed.tier}, ${own} pieces of static evidence${cut}`;
  }, 3);
  const bundleParse = await time(() => parseOnly([bundlePath]), 3);
  console.log(`audit: ${mb.toFixed(2)} MB bundle: ${bundleMs.toFixed(0)} ms median (${(mb / (bundleMs / 1000)).toFixed(2)} MB/s); verdict ${verdict}`);
  console.log(`audit: parse-only floor ${bundleParse.toFixed(0)} ms (${(mb / (bundleParse / 1000)).toFixed(2)} MB/s); audit is ${(bundleMs / bundleParse).toFixed(1)}× the parse`);

  // A store submission of the same bundle: how long the server's event loop stands still while it is audited, with
  // the audit on the event loop's own thread (as before) and on the auditor's thread (as the store does now).
  const manifest = { text: readFileSync(join(FIXTURE, "manifest.readwritemailbox.xml"), "utf8"), file: "manifest.xml" };
  const pkg = [{ path: "dist/taskpane.bundle.js", text: bundle }];
  const stall = async (run: () => Promise<unknown> | unknown) => {
    // The longest gap between the ticks of a 1 ms timer: how long the loop could not answer anything.
    let last = performance.now();
    let maxStall = 0;
    const timer = setInterval(() => {
      const now = performance.now();
      maxStall = Math.max(maxStall, now - last);
      last = now;
    }, 1);
    await new Promise((r) => setTimeout(r, 20));
    const t = performance.now();
    await run();
    const ms = performance.now() - t;
    await new Promise((r) => setTimeout(r, 20));
    clearInterval(timer);
    return { ms, maxStall };
  };
  await auditPackageOffThread(manifest, codeOf(FIXTURE)); // start the thread and load the compiler there first
  const onLoop = await stall(() => storedVerdict(auditPackage(manifest, pkg), pkg));
  const offLoop = await stall(() => auditPackageOffThread(manifest, pkg));
  await stopAuditThread();
  console.log(
    `store submission audit of the ${mb.toFixed(2)} MB bundle: event loop stalled up to ${onLoop.maxStall.toFixed(0)} ms with the audit on it (${onLoop.ms.toFixed(0)} ms), ${offLoop.maxStall.toFixed(0)} ms with the audit on its own thread (${offLoop.ms.toFixed(0)} ms)`,
  );
}

function codeOf(dir: string) {
  return [{ path: "src/taskpane.js", text: readFileSync(join(dir, "src/taskpane.js"), "utf8") }];
}
