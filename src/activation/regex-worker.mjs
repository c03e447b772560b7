// Runs add-ins' activation regexes off the main thread so the host can stop a catastrophic
// pattern with worker.terminate(). Plain JavaScript on purpose: a worker started from a .ts file
// depends on how the parent process loaded TypeScript; this file needs no loader.
import { parentPort, workerData } from "node:worker_threads";

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

// Results go back in one message per job: a message per add-in cost more than the regexes on
// small items. If the watchdog kills the worker mid-job, the host re-runs the unreported add-ins.
parentPort.on("message", (job) => {
  Atomics.store(progress, 0, job.seq);
  const done = [];
  for (let a = 0; a < job.addins.length; a++) {
    const addin = job.addins[a];
    startedAt[0] = now();
    Atomics.store(progress, 1, a);
    const results = [];
    for (let r = 0; r < addin.regexes.length; r++) {
      const spec = addin.regexes[r];
      Atomics.store(progress, 2, r);
      try {
        const re = compile(spec.source, spec.flags);
        if (spec.strings) results.push({ hits: filter(re, spec.strings) });
        else results.push(collect(re, job.texts[spec.text] ?? "", spec.maxMatches, spec.maxLength));
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
