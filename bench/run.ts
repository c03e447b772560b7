/**
 * `npm run bench`: runs every bench/*.bench.ts (or those named on the command line) in this process.
 * Each benchmark prints its own figures and its ratio to a baseline measured in the same run.
 */
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here).filter((f) => f.endsWith(".bench.ts") && (!only.length || only.some((o) => f.includes(o)))).sort();
let failed = 0;
for (const f of files) {
  console.log(`\n=== ${f} ===`);
  const started = performance.now();
  try {
    const mod = (await import(pathToFileURL(join(here, f)).href)) as { run?: () => Promise<void> };
    if (typeof mod.run === "function") await mod.run();
    console.log(`(${f}: ${((performance.now() - started) / 1000).toFixed(1)} s)`);
  } catch (e) {
    failed++;
    console.error(`${f} failed: ${(e as Error).stack ?? e}`);
  }
}
process.exit(failed ? 1 : 0);
