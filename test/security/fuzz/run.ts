/** `npm run fuzz`: FUZZ_RUNS inputs (default 100,000) per target; prints a report and exits 1 on any crash or hang. */
import { fuzz, targets } from "./targets.ts";

const runs = Number(process.env.FUZZ_RUNS ?? 100_000);
const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const only = process.argv[2];
let bad = 0;
process.stdout.write(`fuzz: ${runs.toLocaleString("en-US")} inputs per target, seed ${seed}\n`);
for (const t of await targets()) {
  if (only && !t.name.toLowerCase().includes(only.toLowerCase())) continue;
  const r = await fuzz(t, runs, seed);
  bad += r.crashes + r.hangs;
  process.stdout.write(
    `${r.target.padEnd(32)} ${r.inputs.toLocaleString("en-US").padStart(9)} inputs  ${String(r.crashes).padStart(3)} crashes  ${String(r.hangs).padStart(3)} hangs  max ${r.maxMs.toFixed(1)} ms  total ${(r.totalMs / 1000).toFixed(1)} s${r.firstFailure ? `\n  first: ${r.firstFailure}` : ""}\n`,
  );
}
process.exit(bad ? 1 : 0);
