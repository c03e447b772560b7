/**
 * Process start to exit of the compiled command (dist/, as an installed package runs it) for `outpost --help` and
 * for `outpost manifest validate` on one manifest, against `node -e ''` measured in the same run.
 * Targets (issue 13): --help within 4× of the bare node start, one validation within 6×.
 * Builds dist/ first when it is missing.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { percentile } from "./stats.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const main = join(root, "dist", "cli", "main.js");

function timeRuns(args: string[], runs: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const r = spawnSync(process.execPath, args, { cwd: root, encoding: "utf8" });
    out.push(performance.now() - started);
    if (r.status !== 0 && i === 0) throw new Error(`${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  }
  return out.sort((a, b) => a - b);
}

export async function run(): Promise<void> {
  if (!existsSync(main)) execFileSync(process.execPath, ["--import", "tsx", join(root, "tools", "build.ts")], { cwd: root, stdio: "inherit" });
  const runs = 15;
  const bare = timeRuns(["-e", ""], runs);
  const help = timeRuns([main, "--help"], runs);
  const validate = timeRuns([main, "manifest", "validate", join(root, "examples", "read-item", "manifest.xml")], runs);
  const p50 = (s: number[]) => percentile(s, 50);
  console.log(`node -e '' (baseline): p50 ${p50(bare).toFixed(0)} ms`);
  console.log(`outpost --help: p50 ${p50(help).toFixed(0)} ms — ${(p50(help) / p50(bare)).toFixed(2)}× the bare start (target ≤ 4×)`);
  console.log(`outpost manifest validate (1 XML manifest): p50 ${p50(validate).toFixed(0)} ms — ${(p50(validate) / p50(bare)).toFixed(2)}× the bare start (target ≤ 6×)`);
}
