// The store's package audit on a thread of its own (package-thread.ts): the auditor is synchronous and a multi-MB
// bundle keeps it busy for seconds, which on the server's event loop would stall every other request meanwhile.
// `workerData.module` is package.ts (under the TypeScript loader) or package.js (the built package).
import { parentPort, workerData } from "node:worker_threads";

// Under the TypeScript loader (`node --import tsx`) a worker does not inherit the loader's hooks: it registers its own.
if (workerData.module.endsWith(".ts")) (await import("tsx/esm/api")).register();
const { auditPackage, storedVerdict } = await import(workerData.module);

parentPort.on("message", ({ id, manifest, code }) => {
  try {
    parentPort.postMessage({ id, verdict: storedVerdict(auditPackage(manifest, code), code) });
  } catch (e) {
    parentPort.postMessage({ id, error: e instanceof Error ? e.message : String(e) });
  }
});
parentPort.postMessage({ ready: true });
