/**
 * Runs an add-in entry in the runtime Outlook would use: a page in the browser runtime (Chromium, the host page,
 * the sandboxed frame), or code in the JavaScript-only runtime (isolated-vm) as classic Outlook runs event handlers
 * and function files. Optionally invokes a function command or fires a launch event. Shared by `outpost run` and
 * `outpost/testing`.
 */
import { dirname, extname } from "node:path";
import type { Item } from "../mailbox/index.ts";
import { BOOTSTRAP_MEMBER } from "./bridge/bootstrap.ts";
import { BrowserRuntime, type BrowserRunResult } from "./browser/runtime.ts";
import type { UrlMapEntry } from "./browser/url-map.ts";
import { readEntry } from "./entry.ts";
import { launchEventData, LAUNCH_EVENTS, smartAlertOutcome, type Invocation, type SmartAlertOutcome } from "./events.ts";
import { openAddinSession, recordGovernance, runHeadless, type AddinSessionSpec, type Completion, type GovernanceNote, type HeadlessResult, type PageRefusal } from "./headless.ts";
import type { SandboxControl, SandboxScript } from "./sandbox/sandbox.ts";
import type { Session } from "./session.ts";
import { shortMember, type TraceEntry } from "./trace.ts";

export type RuntimeKind = "browser" | "js";

/** Pages run in the browser runtime, scripts in the JavaScript-only runtime, unless told otherwise. */
export function defaultRuntime(entry: string | { code: string }): RuntimeKind {
  return typeof entry === "string" && /^\.html?$/i.test(extname(entry)) ? "browser" : "js";
}

export interface AddinControl {
  /** Fires an Office event (ItemChanged, RecipientsChanged…) into the page's handlers. */
  fire(eventType: string, args?: Record<string, unknown>): Promise<void>;
  /** ItemChanged onto another item (browser runtime): a session for that item, then the page re-reads it. */
  changeItem(item: Item): Promise<void>;
  /** Browser runtime only: the Playwright page holding the host page, the add-in's frame and its dialogs. */
  page?: import("playwright-core").Page;
}

export interface RunAddinInput extends AddinSessionSpec {
  entry: string | { code: string };
  runtime?: RuntimeKind;
  invoke?: Invocation;
  /** Browser runtime: the add-in root served as its origin (default: the manifest's folder, else the entry's). */
  root?: string;
  manifestPath?: string;
  maps?: readonly UrlMapEntry[];
  network?: boolean;
  /** A running Chromium to share (tests and benchmarks); otherwise one is launched and closed for this run. */
  browser?: BrowserRuntime;
  runMs?: number;
  onReady?: (control: AddinControl) => Promise<void> | void;
}

export interface AddinRunResult {
  runtime: RuntimeKind;
  /** Server-side trace of the session, then the page's own refusals (where: "page"). */
  trace: Array<TraceEntry | PageRefusal>;
  governance: GovernanceNote[];
  console: string[];
  page: Record<string, string>;
  session: Session;
  disabled: boolean;
  refusals: PageRefusal[];
  crash?: { message: string; stack?: string };
  completion?: Completion;
  /** OnMessageSend / OnAppointmentSend: what Outlook does with the handler's answer. */
  smartAlert?: SmartAlertOutcome;
  /** Browser runtime: requests nothing answered (each names the URL and the --map flag), dialogs, raw result. */
  requestErrors?: string[];
  browser?: BrowserRunResult;
  headless?: HeadlessResult;
}

export async function runAddin(input: RunAddinInput): Promise<AddinRunResult> {
  const runtime = input.runtime ?? defaultRuntime(input.entry);
  const form = input.form ?? (input.invoke?.eventType && LAUNCH_EVENTS[input.invoke.eventType]?.compose ? "compose" : "read");
  const invoke = input.invoke
    ? { name: input.invoke.name, kind: input.invoke.kind, ...(input.invoke.eventType ? { eventType: LAUNCH_EVENTS[input.invoke.eventType]?.type ?? input.invoke.eventType, event: launchEventData(input.invoke.eventType) } : {}) }
    : undefined;
  let result: AddinRunResult;
  if (runtime === "js") {
    const scripts: SandboxScript[] = typeof input.entry === "string" ? await readEntry(input.entry) : [{ name: "inline.js", code: input.entry.code }];
    const headless = await runHeadless({
      host: input.host,
      user: input.user,
      mailbox: input.mailbox,
      item: input.item,
      scripts,
      addinId: input.addinId,
      ...(input.addinName ? { addinName: input.addinName } : {}),
      tier: input.tier,
      ...(input.supplementary ? { supplementary: input.supplementary } : {}),
      form,
      ...(input.client ? { client: input.client } : {}),
      ...(input.tenant ? { tenant: input.tenant } : {}),
      ...(input.manifest ? { manifest: input.manifest } : {}),
      ...(input.limits ? { limits: input.limits } : {}),
      ...(invoke ? { invoke } : {}),
      ...(input.onReady
        ? {
            onReady: async (fire: (t: string, a?: unknown) => Promise<void>, _c: SandboxControl) =>
              input.onReady!({
                fire: (t, a) => fire(t, a),
                changeItem: async () => {
                  throw new Error("changeItem needs the browser runtime (the JavaScript-only runtime is bound to one item).");
                },
              }),
          }
        : {}),
    });
    result = { runtime, trace: [...headless.trace, ...headless.refusals], governance: headless.governance, console: headless.console, page: headless.page, session: headless.session, disabled: headless.disabled, refusals: headless.refusals, ...(headless.crash ? { crash: headless.crash } : {}), ...(headless.completion ? { completion: headless.completion } : {}), headless };
  } else {
    if (typeof input.entry !== "string") throw new Error("The browser runtime runs a page file; inline code runs in the JavaScript-only runtime.");
    const entry = input.entry;
    const root = input.root ?? (input.manifestPath ? dirname(input.manifestPath) : dirname(entry));
    const openSession = (item: Item | null) => openAddinSession(input, item, form);
    const { session, client } = await openSession(input.item);
    const sessions = [session];
    const gov = input.host.governance;
    const thresholds = await gov.thresholdsFor(input.user.tenantId);
    if (await gov.isDisabled(input.user.id, input.addinId)) {
      return { runtime, trace: [], governance: [{ event: "disabled", detail: "The add-in is disabled for this user; it was not started." }], console: [], page: {}, session, disabled: true, refusals: [] };
    }
    const browser = input.browser ?? (await BrowserRuntime.launch());
    let run: BrowserRunResult;
    try {
      run = await browser.run({
        unresponsiveMs: thresholds.UnresponsiveSeconds * 1000,
        initTimeoutMs: thresholds.InitializationTimeout,
        bridge: input.host,
        session: client.handle,
        root,
        entry,
        kind: invoke ? invoke.kind : "taskpane",
        ...(invoke ? { functionName: invoke.name } : {}),
        ...(invoke?.eventType ? { eventType: invoke.eventType } : {}),
        ...(invoke?.event ? { event: invoke.event } : {}),
        ...(input.maps ? { maps: input.maps } : {}),
        ...(input.network !== undefined ? { network: input.network } : {}),
        appDomains: input.manifest?.appDomains ?? [],
        ...(input.runMs ? { runMs: input.runMs } : {}),
        ...(input.onReady
          ? {
              onReady: (ctl) =>
                input.onReady!({
                  page: ctl.page,
                  fire: (t, a) => ctl.fire(t, a),
                  changeItem: async (item) => {
                    const next = await openSession(item);
                    sessions.push(next.session);
                    await ctl.changeItem(next.client.handle);
                  },
                }),
            }
          : {}),
      });
    } finally {
      if (!input.browser) await browser.close();
    }
    const trace: TraceEntry[] = [];
    for (const s of sessions) trace.push(...(await input.host.sessions.trace(s.id)).filter((t) => t.path !== BOOTSTRAP_MEMBER));
    const refusals: PageRefusal[] = run.refusals.map((r) => ({ where: "page", member: shortMember(r.member), path: r.member, outcome: "denied", message: r.message }));
    const err = run.errors.find((e) => !/^Outpost: /.test(e.message));
    // The same governance as the JavaScript-only runtime: each event counted, the add-in disabled at the limit.
    const { notes: governance, disabled } = await recordGovernance(input, session, run.events);
    result = {
      runtime,
      trace: [...trace, ...refusals],
      governance,
      console: run.console,
      page: run.page,
      session,
      disabled,
      refusals,
      ...(err ? { crash: { message: err.message, ...(err.stack ? { stack: err.stack } : {}) } } : {}),
      ...(run.completion ? { completion: run.completion as Completion } : {}),
      requestErrors: run.requestErrors,
      browser: run,
    };
  }
  const eventType = input.invoke?.eventType;
  if (eventType === "OnMessageSend" || eventType === "OnAppointmentSend") result.smartAlert = smartAlertOutcome(input.invoke?.sendMode, result.completion);
  return result;
}
