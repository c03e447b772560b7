/**
 * Runs add-in code in an isolated-vm isolate: its own V8 heap with a hard cap, CPU-bounded entries, no Node APIs.
 * Office calls leave the isolate only through the host's bridge client (which signs them) into dispatch.
 * A watchdog measures the isolate's CPU time; a busy isolate is disposed, which stops any code inside it.
 */
import ivm from "isolated-vm";
import { performance } from "node:perf_hooks";
import type { CallResult } from "../bridge/protocol.ts";
import type { ShimInvoke } from "../shim/office.ts";
import { INSTALL_SOURCE } from "../shim/source.ts";
import { SANDBOX_PRELUDE } from "./prelude.ts";

export interface SandboxLimits {
  /** V8 heap cap of the isolate; crossing it disposes the isolate. */
  memoryMb: number;
  /** From the first script to the end of Office.initialize / onReady callbacks. */
  initTimeoutMs: number;
  /** Continuous CPU use after start that counts as "unresponsive" (Outlook: seconds without a heartbeat). */
  busyLimitMs: number;
  /** Wall-clock cap of the whole run (a well-behaved add-in ends when idle, long before). */
  runMs: number;
  maxTimers: number;
  maxConsoleLines: number;
}

export const DEFAULT_LIMITS: SandboxLimits = { memoryMb: 64, initTimeoutMs: 5000, busyLimitMs: 5000, runMs: 15_000, maxTimers: 100, maxConsoleLines: 1000 };

export type SandboxEventKind = "initialization-failure" | "unresponsive" | "memory" | "crash";

export interface SandboxEvent {
  kind: SandboxEventKind;
  detail: string;
  /** For a crash: the exception's stack from the add-in's own code. */
  stack?: string;
  /** seconds (unresponsive), MB (memory), ms (initialization). */
  measured?: number;
}

export interface SandboxScript {
  name: string;
  code: string;
}

export interface SandboxRun {
  status: "completed" | "stopped";
  events: SandboxEvent[];
  console: string[];
  /** Text written into page elements, by element id. */
  page: Record<string, string>;
  startMs: number;
  initMs?: number;
  cpuMs: number;
  /** Calls the page refused synchronously (office.js throws) before anything reached the server. */
  refusals: Array<{ member: string; message: string }>;
}

/** What a host can do to a ready add-in: fire Office events, run a function command or event handler. */
export interface SandboxControl {
  invoke(request: ShimInvoke): Promise<void>;
}

export interface SandboxInput {
  boot: unknown;
  scripts: SandboxScript[];
  call(member: string, args: unknown[]): Promise<CallResult>;
  limits?: Partial<SandboxLimits>;
  /** Called once the add-in is ready, with a function that fires Office events (ItemChanged) into it. */
  onReady?(fire: (eventType: string, args?: unknown) => Promise<void>, control: SandboxControl): Promise<void> | void;
}

class Stop extends Error {}

function classify(e: unknown, phase: "init" | "run", limits: SandboxLimits): SandboxEvent {
  const message = e instanceof Error ? e.message : String(e);
  if (/memory limit/i.test(message)) return { kind: "memory", detail: "The add-in exceeded its memory limit and was stopped.", measured: limits.memoryMb };
  if (/timed out/i.test(message))
    return phase === "init"
      ? { kind: "initialization-failure", detail: "The add-in did not finish initializing in time and was stopped." }
      : { kind: "unresponsive", detail: "The add-in kept the CPU busy and stopped responding; it was stopped.", measured: limits.busyLimitMs / 1000 };
  const stack = e instanceof Error && typeof e.stack === "string" ? e.stack.slice(0, 4000) : undefined;
  return { kind: "crash", detail: `The add-in threw: ${message.slice(0, 300)}`, ...(stack ? { stack } : {}) };
}

export async function runInSandbox(input: SandboxInput): Promise<SandboxRun> {
  const limits = { ...DEFAULT_LIMITS, ...input.limits };
  const t0 = performance.now();
  const isolate = new ivm.Isolate({ memoryLimit: limits.memoryMb });
  const events: SandboxEvent[] = [];
  const consoleLines: string[] = [];
  const refusals: SandboxRun["refusals"] = [];
  let disposedByUs = false;
  let pending = 0;
  const timers = new Map<number, NodeJS.Timeout>();
  let stopped = false;
  let wake: () => void = () => undefined;
  const poke = () => wake();
  const stop = (event: SandboxEvent) => {
    if (stopped) return;
    stopped = true;
    events.push(event);
    if (!isolate.isDisposed) {
      disposedByUs = true;
      isolate.dispose();
    }
    poke();
  };

  const context = await isolate.createContext();
  const jail = context.global;
  await jail.set("globalThis", jail.derefInto());
  await jail.set("__host_log", new ivm.Callback((level: string, text: string) => {
    if (consoleLines.length < limits.maxConsoleLines) consoleLines.push(`${level === "log" ? "" : `${level}: `}${String(text).slice(0, 2000)}`);
  }));
  await jail.set("__host_error", new ivm.Callback((message: string, stack?: string) => {
    // An invoked name that does not exist is the host's request failing, not the add-in crashing.
    if (/^Outpost: /.test(String(message))) {
      if (consoleLines.length < limits.maxConsoleLines) consoleLines.push(`error: ${String(message).slice(9, 2009)}`);
      return;
    }
    stop({ kind: "crash", detail: `The add-in threw: ${String(message).slice(0, 300)}`, ...(typeof stack === "string" ? { stack: stack.slice(0, 4000) } : {}) });
  }));
  await jail.set("__host_refused", new ivm.Callback((member: string, message: string) => {
    if (refusals.length < 1000) refusals.push({ member: String(member).slice(0, 200), message: String(message).slice(0, 500) });
  }));
  const callHost = async (member: string, argsJson: string): Promise<string> => {
    pending += 1;
    try {
      return JSON.stringify(await input.call(member, JSON.parse(argsJson) as unknown[]));
    } finally {
      pending -= 1;
      poke();
    }
  };
  const hostCall = new ivm.Reference(callHost);
  await jail.set("__host_call", hostCall);
  await jail.set("__host_notify", new ivm.Callback((member: string, argsJson: string) => void callHost(member, argsJson).catch(() => undefined)));
  let fireTimer: ivm.Reference<(id: number) => boolean> | undefined;
  await jail.set("__host_timer_set", new ivm.Callback((id: number, ms: number) => {
    if (timers.size >= limits.maxTimers && !timers.has(id)) return;
    clearTimeout(timers.get(id));
    timers.set(id, setTimeout(() => {
      timers.delete(id);
      if (stopped || !fireTimer) return;
      try {
        fireTimer.applySync(undefined, [id], { timeout: Math.ceil(limits.busyLimitMs) });
      } catch (e) {
        stop(isolate.isDisposed && !disposedByUs ? { kind: "memory", detail: "The add-in exceeded its memory limit and was stopped.", measured: limits.memoryMb } : classify(e, "run", limits));
      }
      poke();
    }, Math.min(ms, limits.runMs)));
  }));
  await jail.set("__host_timer_clear", new ivm.Callback((id: number) => {
    clearTimeout(timers.get(id));
    timers.delete(id);
    poke();
  }));
  await jail.set("__boot", JSON.stringify(input.boot));

  const memoryEvent = (): SandboxEvent => ({ kind: "memory", detail: "The add-in exceeded its memory limit and was stopped.", measured: limits.memoryMb });
  const isDisposedByLimit = () => isolate.isDisposed && !disposedByUs;
  /** Answers delivered to the isolate whose callbacks have not run yet (read under the isolate's lock). */
  const inflightInIsolate = (): number => {
    try {
      return Number(context.evalSync("__outpostInflight", { timeout: 200 })) || 0;
    } catch {
      return 0;
    }
  };
  const startMs = performance.now() - t0;
  let initMs: number | undefined;
  let status: SandboxRun["status"] = "completed";
  let watchdog: NodeJS.Timeout | undefined;
  const deadline = setTimeout(() => stop({ kind: "unresponsive", detail: `The add-in was still running after ${limits.runMs} ms and was stopped.`, measured: limits.runMs / 1000 }), limits.runMs);
  try {
    const run = (code: string, filename: string, timeout: number, phase: "init" | "run") => {
      if (stopped) throw new Stop();
      try {
        context.evalSync(code, { timeout, filename });
      } catch (e) {
        if (stopped) throw new Stop();
        stop(isolate.isDisposed && !disposedByUs ? { kind: "memory", detail: "The add-in exceeded its memory limit and was stopped.", measured: limits.memoryMb } : classify(e, phase, limits));
        throw new Stop();
      }
    };
    run(SANDBOX_PRELUDE, "outpost:prelude", 1000, "init");
    run(`${INSTALL_SOURCE}
var __outpostInflight = 0;
var __outpost = __outpostInstallOffice(globalThis, {
  transport: function (m, a) {
    // Counted here until the add-in's callback has run (this reaction is queued after the shim's): the host must
    // not take the isolate for idle while an answer it delivered is still waiting to reach the add-in.
    __outpostInflight++;
    var p = __host_call.apply(undefined, [m, JSON.stringify(a)], { result: { promise: true } }).then(JSON.parse);
    p.then(function () {}, function () {}).then(function () { __outpostInflight--; });
    return p;
  },
  notify: function (m, a) { __host_notify(m, JSON.stringify(a)); },
  onError: function (msg, stack) { __host_error(String(msg), stack === undefined ? undefined : String(stack)); },
  refused: function (m, msg) { __host_refused(String(m), String(msg)); },
  enums: __outpostEnums,
  extensions: __outpostExtensions,
  runtime: "js"
}, JSON.parse(__boot));`, "outpost:office.js", 1000, "init");
    fireTimer = (await jail.get("__outpostFireTimer", { reference: true })) as ivm.Reference<(id: number) => boolean>;
    const initStart = performance.now();
    const left = () => Math.max(1, Math.ceil(limits.initTimeoutMs - (performance.now() - initStart)));
    for (const s of input.scripts) run(s.code, s.name, left(), "init");
    run("__outpostFireLoad(); document.readyState = 'complete';", "outpost:load", left(), "init");
    run("__outpost.start();", "outpost:start", left(), "init");
    initMs = performance.now() - initStart;
    run("__outpost.ready();", "outpost:ready", Math.ceil(limits.busyLimitMs), "run");

    // After start: work arrives from timers and bridge answers; the watchdog turns continuous CPU use into a stop.
    let lastCpu = isolate.cpuTime;
    let lastWall = performance.now();
    let busySince: number | undefined;
    watchdog = setInterval(() => {
      if (stopped) return;
      if (isolate.isDisposed) return stop({ kind: "memory", detail: "The add-in exceeded its memory limit and was stopped.", measured: limits.memoryMb });
      const cpu = isolate.cpuTime;
      const wall = performance.now();
      const share = Number(cpu - lastCpu) / 1e6 / Math.max(1, wall - lastWall);
      lastCpu = cpu;
      lastWall = wall;
      if (share >= 0.8) {
        busySince ??= wall;
        if (wall - busySince >= limits.busyLimitMs) stop({ kind: "unresponsive", detail: "The add-in kept the CPU busy and stopped responding; it was stopped.", measured: (wall - busySince) / 1000 });
      } else busySince = undefined;
      try {
        const heap = isolate.getHeapStatisticsSync();
        if (heap.used_heap_size > limits.memoryMb * 1024 * 1024 * 0.95) stop({ kind: "memory", detail: "The add-in exceeded its memory limit and was stopped.", measured: heap.used_heap_size / 1048576 });
      } catch {
        // disposed between the checks
      }
    }, 25);
    // Idle: no timers, no calls in flight, and the isolate did no work over a short grace period.
    for (;;) {
      if (stopped) break;
      if (timers.size === 0 && pending === 0) {
        const cpuBefore = isolate.cpuTime;
        await new Promise((r) => setTimeout(r, 15));
        if (stopped) break;
        if (timers.size === 0 && pending === 0 && isolate.cpuTime === cpuBefore && inflightInIsolate() === 0) {
          if (input.onReady) {
            const onReady = input.onReady;
            input.onReady = undefined;
            const enter = async (code: string) => {
              if (stopped) return;
              try {
                context.evalSync(code, { timeout: Math.ceil(limits.busyLimitMs) });
              } catch (e) {
                if (!stopped) stop(isDisposedByLimit() ? memoryEvent() : classify(e, "run", limits));
              }
              await new Promise((r) => setTimeout(r, 0));
            };
            await onReady((eventType, args) => enter(`__outpost.fire(${JSON.stringify(eventType)}, ${JSON.stringify(args ?? {})})`), {
              invoke: (request) => enter(`__outpost.invoke(${JSON.stringify(request)})`),
            });
            continue;
          }
          break;
        }
        continue;
      }
      await new Promise<void>((r) => {
        wake = r;
        setTimeout(r, 50);
      });
    }
  } catch (e) {
    if (!(e instanceof Stop)) stop(classify(e, initMs === undefined ? "init" : "run", limits));
  } finally {
    clearTimeout(deadline);
    clearInterval(watchdog);
    for (const t of timers.values()) clearTimeout(t);
  }
  if (stopped) status = "stopped";
  // Let bridge calls the add-in started settle before the isolate goes, so the trace is complete when the caller
  // reads it and no answer is delivered into a disposed isolate (isolated-vm aborts the process on that).
  for (let i = 0; i < 600 && pending > 0 && !isolate.isDisposed; i++) await new Promise((r) => setTimeout(r, 5));
  let page: Record<string, string> = {};
  let cpuMs = 0;
  if (!isolate.isDisposed) {
    try {
      page = JSON.parse(context.evalSync("__outpostPage()", { timeout: 200 }) as string) as Record<string, string>;
    } catch {
      page = {};
    }
    cpuMs = Number(isolate.cpuTime) / 1e6;
    // Handles into the isolate are released while it lives: left to the garbage collector, their finalizers would
    // run after the dispose, outside any isolate environment.
    for (const handle of [fireTimer, hostCall, jail, context]) {
      try {
        handle?.release();
      } catch {
        // already released
      }
    }
    fireTimer = undefined;
    isolate.dispose();
  }
  for (let i = 0; i < 100 && pending > 0; i++) await new Promise((r) => setTimeout(r, 5));
  return { status, events, console: consoleLines, page, startMs, ...(initMs !== undefined ? { initMs } : {}), cpuMs, refusals };
}
