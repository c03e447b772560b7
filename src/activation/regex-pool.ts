/**
 * A warm pool of regex workers with a watchdog. The main thread never runs an add-in's regex: it
 * sends the item's texts once per item, the worker runs every add-in's regexes in turn and writes
 * which add-in it is on (and since when) into shared memory; a timer on the main thread reads that
 * and terminates the worker when an add-in overruns its budget, then resumes the remaining add-ins
 * on a fresh worker. The event loop stays free the whole time.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { literalScreen, requiredLiterals } from "./regex-literals.mjs";

export interface RegexSpec {
  /** RegExName / FilterName, for reports. */
  name: string;
  source: string;
  flags: string;
  /** Index into the texts sent with the job… */
  text?: number;
  /** …or a list of strings to test one by one (entity filters). */
  strings?: string[];
  maxMatches: number;
  maxLength: number;
}

export interface AddinRegexJob {
  addinId: string;
  regexes: RegexSpec[];
}

export interface MatchOutcome {
  matches: string[];
  /** Matches dropped for exceeding maxLength. */
  tooLong: number;
  longestDropped: number;
  /** More distinct matches existed than maxMatches. */
  truncated: boolean;
}
export interface FilterOutcome {
  hits: number[];
}
export interface ErrorOutcome {
  error: string;
}
export type RegexOutcome = MatchOutcome | FilterOutcome | ErrorOutcome;

export type AddinRegexResult =
  | { addinId: string; status: "ok"; elapsedMs: number; results: RegexOutcome[] }
  | { addinId: string; status: "timeout"; elapsedMs: number; runningRegex?: string; results?: RegexOutcome[] };

interface Task {
  seq: number;
  texts: string[];
  addins: AddinRegexJob[];
  budgetMs: number;
  results: (AddinRegexResult | undefined)[];
  /** Original indices of the add-ins sent in the current dispatch. */
  sent: number[];
  resolve: (r: AddinRegexResult[]) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  progress: Int32Array;
  startedAt: Float64Array;
  task?: Task;
  timer?: NodeJS.Timeout;
  online: Promise<void>;
  /** Spec ids this worker has been sent the definition of. */
  known: Set<number>;
}

/** Specs are defined to a worker once and named by id afterwards; past this many the table starts afresh. */
const SPEC_TABLE_MAX = 20_000;

const WORKER_URL = new URL("./regex-worker.mjs", import.meta.url);

function now(): number {
  return performance.timeOrigin + performance.now();
}

export interface RegexPoolOptions {
  size?: number;
  /** Heap cap per worker: a regex that builds huge intermediate state fails instead of eating the host. */
  maxOldGenerationSizeMb?: number;
}

export class RegexWorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private seq = 0;
  private closed = false;
  private readonly specIds = new Map<string, number>();
  private nextSpecId = 1;
  readonly size: number;
  private readonly heapMb: number;
  /** Workers replaced after a watchdog kill (for tests and metrics). */
  terminations = 0;

  constructor(options: RegexPoolOptions = {}) {
    this.size = Math.max(1, options.size ?? Math.min(2, availableParallelism()));
    this.heapMb = options.maxOldGenerationSizeMb ?? 512;
  }

  /** Starts the workers now instead of on first use (first use otherwise pays ~40 ms per worker). */
  async warm(): Promise<void> {
    while (this.slots.length < this.size) this.slots.push(this.spawn());
    await Promise.all(this.slots.map((s) => s.online));
  }

  run(texts: string[], addins: AddinRegexJob[], budgetMs: number): Promise<AddinRegexResult[]> {
    if (this.closed) return Promise.reject(new Error("regex pool is closed"));
    if (addins.length === 0) return Promise.resolve([]);
    // Mail on which no regex can match (every one's required literals absent: an indexOf scan, linear, safe on
    // this thread) needs no worker round trip at all.
    const screen = literalScreen(texts);
    if (addins.every((a) => a.regexes.every((r) => !r.strings && !screen({ text: r.text, prefilter: this.prefilterOf(r) }))))
      return Promise.resolve(addins.map((a) => ({ addinId: a.addinId, status: "ok" as const, elapsedMs: 0, results: a.regexes.map(() => ({ matches: [], tooLong: 0, longestDropped: 0, truncated: false })) })));
    return new Promise((resolve, reject) => {
      this.queue.push({ seq: 0, texts, addins, budgetMs, results: new Array(addins.length), sent: [], resolve, reject });
      this.pump();
    });
  }

  private readonly prefilters = new Map<string, ReturnType<typeof requiredLiterals>>();
  private prefilterOf(spec: RegexSpec): ReturnType<typeof requiredLiterals> {
    const key = `${spec.flags}\u0000${spec.source}`;
    let pf = this.prefilters.get(key);
    if (pf === undefined) {
      if (this.prefilters.size > SPEC_TABLE_MAX) this.prefilters.clear();
      this.prefilters.set(key, (pf = requiredLiterals(spec.source, spec.flags)));
    }
    return pf;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.queue.splice(0)) t.reject(new Error("regex pool is closed"));
    await Promise.all(
      this.slots.splice(0).map((s) => {
        if (s.timer) clearTimeout(s.timer);
        s.task?.reject(new Error("regex pool is closed"));
        return s.worker.terminate();
      }),
    );
  }

  private spawn(): Slot {
    const buffer = new SharedArrayBuffer(24);
    const worker = new Worker(WORKER_URL, {
      workerData: { progress: buffer },
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: this.heapMb },
    });
    worker.unref();
    const online = new Promise<void>((resolve) => {
      worker.once("online", () => resolve());
      worker.once("exit", () => resolve());
    });
    const slot: Slot = { worker, progress: new Int32Array(buffer, 0, 3), startedAt: new Float64Array(buffer, 16, 1), online, known: new Set() };
    Atomics.store(slot.progress, 1, -1);
    worker.on("message", (msg) => this.onMessage(slot, msg));
    worker.on("error", (err) => this.onCrash(slot, err));
    return slot;
  }

  private pump(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => !s.task);
      if (!slot && this.slots.length < this.size) {
        slot = this.spawn();
        this.slots.push(slot);
      }
      if (!slot) return;
      const task = this.queue.shift()!;
      this.dispatch(slot, task);
    }
  }

  private dispatch(slot: Slot, task: Task): void {
    task.seq = ++this.seq;
    task.sent = [];
    for (let i = 0; i < task.addins.length; i++) if (!task.results[i]) task.sent.push(i);
    if (task.sent.length === 0) return this.finish(slot, task);
    slot.task = task;
    slot.worker.ref();
    let reset = false;
    if (this.specIds.size > SPEC_TABLE_MAX) {
      this.specIds.clear();
      for (const s of this.slots) s.known.clear();
      reset = true;
    }
    const defs: [number, RegexSpec][] = [];
    const ref = (spec: RegexSpec): number | RegexSpec => {
      if (spec.strings) return spec; // entity filters: per item, sent inline
      const key = `${spec.text}\u0000${spec.flags}\u0000${spec.maxMatches}\u0000${spec.maxLength}\u0000${spec.source}`;
      let id = this.specIds.get(key);
      if (id === undefined) this.specIds.set(key, (id = this.nextSpecId++));
      if (!slot.known.has(id)) {
        slot.known.add(id);
        defs.push([id, { name: spec.name, source: spec.source, flags: spec.flags, text: spec.text, maxMatches: spec.maxMatches, maxLength: spec.maxLength }]);
      }
      return id;
    };
    slot.worker.postMessage({
      seq: task.seq,
      reset: reset || undefined,
      defs,
      texts: task.texts,
      addins: task.sent.map((i) => ({ regexes: task.addins[i].regexes.map(ref) })),
    });
    this.arm(slot, task.budgetMs);
  }

  private arm(slot: Slot, delayMs: number): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = setTimeout(() => this.watch(slot), Math.max(1, Math.ceil(delayMs)));
  }

  private watch(slot: Slot): void {
    const task = slot.task;
    if (!task) return;
    const index = Atomics.load(slot.progress, 1);
    if (Atomics.load(slot.progress, 0) !== task.seq || index < 0) return this.arm(slot, task.budgetMs);
    const elapsed = now() - slot.startedAt[0];
    if (elapsed < task.budgetMs) return this.arm(slot, task.budgetMs - elapsed);
    const original = task.sent[index];
    const regexIndex = Atomics.load(slot.progress, 2);
    task.results[original] = {
      addinId: task.addins[original].addinId,
      status: "timeout",
      elapsedMs: elapsed,
      runningRegex: task.addins[original].regexes[regexIndex]?.name,
    };
    this.replace(slot);
    // Resume everything not yet reported on a fresh worker (results still in flight are redone).
    this.queue.unshift(task);
    this.pump();
  }

  private replace(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.task = undefined;
    void slot.worker.terminate();
    this.terminations++;
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
  }

  private onMessage(slot: Slot, msg: { type: string; seq: number; addins?: { index: number; results: (RegexOutcome | 0)[]; elapsedMs: number }[] }): void {
    const task = slot.task;
    if (!task || msg.seq !== task.seq || msg.type !== "done") return;
    for (const raw of msg.addins ?? []) {
      // 0 stands for "no match, nothing dropped" (the common result, cheaper to send).
      const done = { ...raw, results: raw.results.map((r): RegexOutcome => (r === 0 ? { matches: [], tooLong: 0, longestDropped: 0, truncated: false } : r)) };
      const original = task.sent[done.index];
      const addinId = task.addins[original].addinId;
      // Finished, but over budget before the watchdog looked: still a time-out.
      task.results[original] =
        done.elapsedMs > task.budgetMs
          ? { addinId, status: "timeout", elapsedMs: done.elapsedMs, results: done.results }
          : { addinId, status: "ok", elapsedMs: done.elapsedMs, results: done.results };
    }
    this.finish(slot, task);
  }

  private finish(slot: Slot, task: Task): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = undefined;
    slot.task = undefined;
    slot.worker.unref();
    task.resolve(task.results.map((r, i) => r ?? { addinId: task.addins[i].addinId, status: "ok", elapsedMs: 0, results: [] }));
    this.pump();
  }

  private onCrash(slot: Slot, err: Error): void {
    const task = slot.task;
    this.replace(slot);
    if (!task) return;
    // A worker that died (out of heap, …) fails the add-in it was on, like a timeout would.
    const index = Atomics.load(slot.progress, 1);
    const original = index >= 0 ? task.sent[index] : undefined;
    if (original !== undefined && !task.results[original]) {
      task.results[original] = {
        addinId: task.addins[original].addinId,
        status: "ok",
        elapsedMs: now() - slot.startedAt[0],
        results: task.addins[original].regexes.map(() => ({ error: `regex worker failed: ${err.message}` })),
      };
    }
    this.queue.unshift(task);
    this.pump();
  }
}

let shared: RegexWorkerPool | undefined;

/** The process-wide pool activation uses unless a caller passes its own. */
export function sharedRegexPool(): RegexWorkerPool {
  shared ??= new RegexWorkerPool();
  return shared;
}

export async function closeSharedRegexPool(): Promise<void> {
  const pool = shared;
  shared = undefined;
  await pool?.close();
}
