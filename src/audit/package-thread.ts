/**
 * The store's static verdict on a submission, computed off the event loop: one worker thread (package-worker.mjs),
 * started on first use and kept for the next submission (loading the TypeScript compiler costs more than a small
 * audit), never keeping the process alive while idle. Submissions queue on it one at a time. A worker that dies
 * fails what it was doing and the next call starts a new one.
 */
import { Worker } from "node:worker_threads";
import { extname } from "node:path";
import { fileURLToPath } from "node:url";
import type { StoredVerdict } from "./package.ts";
import type { PackageFile } from "./package-files.ts";

const WORKER_URL = new URL("./package-worker.mjs", import.meta.url);
// This file's own extension: .ts under the TypeScript loader, .js once built; the worker imports its sibling alike.
const PACKAGE_MODULE = new URL(`./package${extname(fileURLToPath(import.meta.url))}`, import.meta.url).href;

interface Pending {
  resolve: (v: StoredVerdict) => void;
  reject: (e: Error) => void;
}

/** The auditor's thread and the moment it has loaded the auditor; undefined until first use or after it stopped. */
let current: { worker: Worker; ready: Promise<void> } | undefined;
const pending = new Map<number, Pending>();
let nextId = 1;

function start(): { worker: Worker; ready: Promise<void> } {
  const w = new Worker(WORKER_URL, { workerData: { module: PACKAGE_MODULE } });
  w.unref();
  const fail = (err: Error) => {
    if (current?.worker === w) current = undefined;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  const ready = new Promise<void>((resolve, reject) => {
    w.on("message", (m: { ready?: true; id?: number; verdict?: StoredVerdict; error?: string }) => {
      if (m.ready) return resolve();
      const p = pending.get(m.id!);
      if (!p) return;
      pending.delete(m.id!);
      if (pending.size === 0) w.unref();
      if (m.error !== undefined) p.reject(new Error(m.error));
      else p.resolve(m.verdict!);
    });
    w.on("error", (err) => (fail(err), reject(err)));
    w.on("exit", (code) => {
      const err = new Error(`the auditor's thread exited (${code})`);
      fail(err);
      reject(err);
    });
  });
  return { worker: w, ready };
}

/** `storedVerdict(auditPackage(manifest, code), code)`, on the auditor's thread. */
export async function auditPackageOffThread(manifest: { text: string; file: string }, code?: readonly PackageFile[]): Promise<StoredVerdict> {
  const thread = (current ??= start());
  await thread.ready;
  // Stopped while it was starting: this audit fails as one in flight would.
  if (current !== thread) throw new Error("the auditor's thread exited");
  const id = nextId++;
  // Referenced while it works: a CLI that submits one package waits for the verdict.
  if (pending.size === 0) thread.worker.ref();
  return new Promise<StoredVerdict>((resolve, reject) => {
    pending.set(id, { resolve, reject });
    thread.worker.postMessage({ id, manifest, code });
  });
}

/** Stops the auditor's thread (tests; a server closing). The next audit starts a new one. */
export async function stopAuditThread(): Promise<void> {
  const thread = current;
  current = undefined;
  await thread?.worker.terminate();
}
