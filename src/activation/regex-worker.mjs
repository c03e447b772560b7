// Runs add-ins' activation regexes off the main thread so the host can stop a catastrophic
// pattern with worker.terminate(). Plain JavaScript on purpose: a worker started from a .ts file
// depends on how the parent process loaded TypeScript; this file needs no loader.
import { parentPort, workerData } from "node:worker_threads";
import { literalScreen, requiredLiterals } from "./regex-literals.mjs";

const progress = new Int32Array(workerData.progress, 0, 3); // [jobSeq, addinIndex, regexIndex]
const startedAt = new Float64Array(workerData.progress, 16, 1);
const cache = new Map();
const CACHE_MAX = 1000;

function compile(source, flags) {
  const key = flags + "/" + source;
  let re = cache.get(key);
  if (!re) {
    if (cache.size >= CACHE_MAX) cache.clear();
    re = new RegExp(source, flags);
    cache.set(key, re);
  }
  return re;
}

function now() {
  return performance.timeOrigin + performance.now();
}

/** Unique non-empty matches up to maxMatches; stops once a (maxMatches+1)th distinct one is seen. */
function collect(re, text, maxMatches, maxLength) {
  re.lastIndex = 0;
  const seen = new Set();
  let tooLong = 0;
  let truncated = false;
  let longest = 0;
  let m;
  while ((m = re.exec(text)) !== null) {
    const s = m[0];
    if (s.length === 0) {
      re.lastIndex++;
      continue;
    }
    if (s.length > maxLength) {
      tooLong++;
      if (s.length > longest) longest = s.length;
      continue;
    }
    if (!seen.has(s)) {
      if (seen.size === maxMatches) {
        truncated = true;
        break;
      }
      seen.add(s);
    }
  }
  return { matches: [...seen], tooLong, longestDropped: longest, truncated };
}

function filter(re, strings) {
  const hits = [];
  for (let i = 0; i < strings.length; i++) {
    re.lastIndex = 0;
    if (re.test(strings[i])) hits.push(i);
  }
  return hits;
}

// Regex specs the host defined once (id → spec with its compiled prefilter); jobs name them by id.
const defs = new Map();
const EMPTY = 0; // a result with no match and nothing dropped, sent as a number (cheaper to clone)

function define(id, spec) {
  defs.set(id, { ...spec, prefilter: requiredLiterals(spec.source, spec.flags) });
}

/** Shared across the add-ins of one job: which literals occur (see regex-literals.mjs), results per spec id. */
function jobState(texts) {
  return { results: new Map(), mayMatch: literalScreen(texts) };
}

function runSpec(spec, texts) {
  const re = compile(spec.source, spec.flags);
  if (spec.strings) return { hits: filter(re, spec.strings) };
  const r = collect(re, texts[spec.text] ?? "", spec.maxMatches, spec.maxLength);
  return r.matches.length === 0 && r.tooLong === 0 && !r.truncated ? EMPTY : r;
}

// Results go back in one message per job: a message per add-in cost more than the regexes on
// small items. If the watchdog kills the worker mid-job, the host re-runs the unreported add-ins.
parentPort.on("message", (job) => {
  if (job.reset) defs.clear();
  for (const [id, spec] of job.defs ?? []) define(id, spec);
  Atomics.store(progress, 0, job.seq);
  const state = jobState(job.texts);
  const done = [];
  for (let a = 0; a < job.addins.length; a++) {
    const addin = job.addins[a];
    startedAt[0] = now();
    Atomics.store(progress, 1, a);
    const results = [];
    for (let r = 0; r < addin.regexes.length; r++) {
      const ref = addin.regexes[r];
      Atomics.store(progress, 2, r);
      // A number names a defined spec: identical regexes on the same text run once per item (shared work), and
      // a regex whose required literals are absent does not run at all.
      const spec = typeof ref === "number" ? defs.get(ref) : ref;
      try {
        if (typeof ref === "number") {
          let out = state.results.get(ref);
          if (out === undefined) {
            out = state.mayMatch(spec) ? runSpec(spec, job.texts) : EMPTY;
            state.results.set(ref, out);
          }
          results.push(out);
        } else results.push(runSpec(spec, job.texts));
      } catch (err) {
        results.push({ error: String(err && err.message ? err.message : err) });
      }
    }
    const elapsedMs = now() - startedAt[0];
    done.push({ index: a, results, elapsedMs });
  }
  Atomics.store(progress, 1, -1);
  parentPort.postMessage({ type: "done", seq: job.seq, addins: done });
});
