/**
 * Outpost's add-in host page module (plain DOM, no framework): mounts an add-in's page in a sandboxed cross-origin
 * iframe and relays its Office.js calls to the bridge, signing each with the session secret, which the add-in never
 * sees. Also: dialogs (displayDialogAsync / messageParent / messageChild), function commands and event handlers in
 * hidden frames (their `event.completed` reaches the server's completion records), and Office events (ItemChanged).
 *
 *   const s = await (await fetch("/bridge/sessions", {method: "POST", ...})).json();   // {session, secret, itemId}
 *   const pane = mountTaskPane(el, { session: s, url: "https://addins.example:3001/taskpane.html" });
 *   await pane.ready;
 *   pane.changeItem(otherSession);                 // ItemChanged (the bridge binds a session to one item)
 *   const c = await runFunctionCommand(el, { session: s, url: functionFileUrl, functionName: "markRead" });
 *   const send = await fireEvent(el, { session: s, url: runtimeUrl, eventType: "OnMessageSend", functionName: "onSend" });
 *
 * Only messages whose `event.source` is a frame this module created, and whose `event.origin` is that frame's
 * add-in origin, are acted on; answers are posted to that origin only.
 */
import { checkDialogUrl, DIALOG_ERRORS, type DialogErrorCode } from "./dialog-rules.ts";
import { addinOrigin, createFrame, FrameOriginError, SANDBOX_FLAGS } from "./frame.ts";
import { BOOTSTRAP_MEMBER, COMPLETED_MEMBERS, UI_PREFIX, isFrameMessage, type CallResultLike, type InvokeRequest } from "./protocol.ts";
import { BridgeRelay, type BridgeSession, type RelayOptions } from "./relay.ts";
import { installNaaBroker } from "./naa-broker.ts";

export { SANDBOX_FLAGS, FrameOriginError, BridgeRelay, checkDialogUrl, DIALOG_ERRORS };
export type { BridgeSession, RelayOptions, CallResultLike, InvokeRequest };

export type FrameKind = "taskpane" | "dialog" | "function" | "event";

export interface CallRecord {
  frame: FrameKind;
  member: string;
  outcome: CallResultLike["outcome"];
  code: number;
  /** Answered by the host page itself (dialogs, closeContainer) rather than the server. */
  local?: boolean;
}

export interface Completion {
  /** "AddinCommands.Event" (function command) or "MailboxEvent" (event-based handler). */
  event: "AddinCommands.Event" | "MailboxEvent";
  /** false: the handler never called event.completed() (or failed before) within the time allowed. */
  completed: boolean;
  options: Record<string, unknown>;
  /** The server's answer to the completion call (it is checked and recorded like any call). */
  outcome?: CallResultLike["outcome"];
  error?: string;
}

export interface HostHooks {
  /** Office is ready in a frame (Office.initialize / onReady ran). */
  onReady?(frame: { frame: FrameKind }): void;
  /** A call left the frame (answered later through onCall): lets an embedder tell when the page is idle. */
  onCallStart?(call: { frame: FrameKind; member: string }): void;
  onCall?(record: CallRecord): void;
  /** The page refused a call before it reached the server (office.js throws synchronously). */
  onRefused?(refusal: { frame: FrameKind; member: string; message: string }): void;
  /** An exception escaped the add-in's code. */
  onError?(error: { frame: FrameKind; message: string; stack?: string }): void;
  onCompleted?(completion: Completion): void;
  onDialog?(event: { opened?: string; closed?: string }): void;
  /** Office.context.ui.closeContainer(): the add-in asked to close its task pane. */
  onClose?(): void;
  /**
   * The server accepted a display*Form call (displayNewMessageForm, displayReplyForm, …): the embedder opens the form
   * with what the add-in passed. Only calls the server answered "ok" get here (permission and limits checked there).
   */
  onDisplayForm?(request: { frame: FrameKind; member: string; args: unknown[] }): void;
}

/** Members whose success asks the host to open a form (Outlook's display*Form family, sync and Async). */
export const DISPLAY_FORM_MEMBER = /^Office\.context\.mailbox\.(?:display(?:New)?(?:Message|Appointment)Form|item\.displayReply(?:All)?Form)(?:Async)?$/;

export interface FrameOptions extends HostHooks, RelayOptions {
  /** From POST /bridge/sessions. */
  session: BridgeSession;
  /** The add-in page on the add-in origin (never the host page's origin). */
  url: string;
  /** The manifest's AppDomains: where dialogs may open besides the add-in's own origin. */
  appDomains?: string[];
  /** Default location.origin. */
  hostOrigin?: string;
}

export interface AddinHandle {
  readonly iframe: HTMLIFrameElement;
  readonly origin: string;
  /** Resolves once Office.initialize / onReady ran in the frame. */
  readonly ready: Promise<void>;
  /** Fires an Office event (Office.EventType value or name, e.g. "ItemChanged") into the page's handlers. */
  fireEvent(eventType: string, args?: Record<string, unknown>): void;
  /** ItemChanged: the page moves to another session's item, re-reads it, then its ItemChanged handlers run. */
  changeItem(session: BridgeSession): void;
  close(): void;
}

export interface InvokeOptions extends FrameOptions {
  functionName: string;
  /** Extra event properties. */
  event?: Record<string, unknown>;
  /** Outlook gives handlers up to ~5 minutes; default 300,000 ms. */
  timeoutMs?: number;
}

const EVENT_NAMES: Record<string, string> = {
  ItemChanged: "olkItemSelectedChanged",
  RecipientsChanged: "olkRecipientsChanged",
  AppointmentTimeChanged: "olkAppointmentTimeChanged",
  RecurrenceChanged: "olkRecurrenceChanged",
  AttachmentsChanged: "olkAttachmentsChanged",
  SelectedItemsChanged: "olkSelectedItemsChanged",
};

interface Entry {
  kind: FrameKind;
  iframe: HTMLIFrameElement;
  origin: string;
  relay: BridgeRelay | null;
  hooks: HostHooks;
  appDomains: string[];
  ready: () => void;
  dialog?: Entry;
  opener?: Entry;
  onCompleted?: (c: Completion) => void;
  closed: boolean;
}

const entries = new Map<Window, Entry>();
let listening = false;

function listen(): void {
  if (listening) return;
  listening = true;
  globalThis.addEventListener("message", (e: MessageEvent) => {
    const source = e.source as Window | null;
    const entry = source ? entries.get(source) : undefined;
    // Not from a frame we made, or from it but no longer at the add-in origin (it navigated away): ignored.
    if (!entry || entry.closed || e.origin !== entry.origin || !isFrameMessage(e.data)) return;
    void handle(entry, e.data as unknown as Record<string, unknown>);
  });
}

function post(entry: Entry, data: Record<string, unknown>): void {
  if (entry.closed) return;
  entry.iframe.contentWindow?.postMessage({ outpost: 1, ...data }, entry.origin);
}

async function handle(entry: Entry, d: Record<string, unknown>): Promise<void> {
  if (d.ready === true) {
    entry.hooks.onReady?.({ frame: entry.kind });
    return entry.ready();
  }
  if (typeof d.error === "string") {
    entry.hooks.onError?.({ frame: entry.kind, message: d.error, ...(typeof d.stack === "string" ? { stack: d.stack } : {}) });
    return;
  }
  if (d.refused && typeof d.refused === "object") {
    const r = d.refused as { member?: unknown; message?: unknown };
    entry.hooks.onRefused?.({ frame: entry.kind, member: String(r.member).slice(0, 200), message: String(r.message).slice(0, 500) });
    return;
  }
  if (typeof d.id !== "number" || typeof d.member !== "string" || !Array.isArray(d.args)) return;
  const id = d.id;
  const member = d.member;
  const args = d.args as unknown[];
  entry.hooks.onCallStart?.({ frame: entry.kind, member });
  let result: CallResultLike;
  let local = false;
  if (member.startsWith(UI_PREFIX)) {
    local = true;
    result = ui(entry, member.slice(UI_PREFIX.length), args);
  } else if (!entry.relay) {
    local = true;
    // A dialog has no mailbox session: its Office.context holds ui only, as in Outlook.
    result = member === BOOTSTRAP_MEMBER ? { outcome: "ok", value: dialogBoot() } : fail(5000, "This API is not available in a dialog box.");
  } else {
    result = await entry.relay.call(member, args);
  }
  entry.hooks.onCall?.({ frame: entry.kind, member, outcome: result.outcome, code: result.error?.code ?? 0, ...(local ? { local } : {}) });
  if (!local && result.outcome === "ok" && DISPLAY_FORM_MEMBER.test(member)) entry.hooks.onDisplayForm?.({ frame: entry.kind, member, args });
  if ((COMPLETED_MEMBERS as readonly string[]).includes(member)) {
    const completion: Completion = {
      event: member === "Office.MailboxEvent.completed" ? "MailboxEvent" : "AddinCommands.Event",
      completed: true,
      options: (args[0] && typeof args[0] === "object" ? args[0] : {}) as Record<string, unknown>,
      outcome: result.outcome,
      ...(result.outcome !== "ok" ? { error: result.error?.message ?? result.outcome } : {}),
    };
    entry.hooks.onCompleted?.(completion);
    entry.onCompleted?.(completion);
  }
  post(entry, { id, result });
}

function fail(code: number, message: string): CallResultLike {
  return { outcome: "failed", error: { code, name: "Error", message } };
}

function dialogFail(code: DialogErrorCode): CallResultLike {
  return { outcome: "failed", error: { code, name: "Error", message: DIALOG_ERRORS[code] } };
}

let dialogCounter = 0;

function ui(entry: Entry, op: string, args: unknown[]): CallResultLike {
  switch (op) {
    case "displayDialogAsync": {
      if (entry.kind === "dialog") return dialogFail(12007);
      if (entry.dialog && !entry.dialog.closed) return dialogFail(12007);
      const checked = checkDialogUrl(args[0], entry.origin, entry.appDomains);
      if ("code" in checked) return dialogFail(checked.code);
      const opts = (args[1] && typeof args[1] === "object" ? args[1] : {}) as { height?: number; width?: number };
      const overlay = entry.iframe.ownerDocument.createElement("div");
      const h = clampPercent(opts.height, 80);
      const w = clampPercent(opts.width, 80);
      overlay.style.cssText = `position:fixed;inset:${(100 - h) / 2}vh ${(100 - w) / 2}vw;background:#fff;box-shadow:0 4px 24px rgba(0,0,0,.3);z-index:1000`;
      overlay.dataset.outpostDialog = String(++dialogCounter);
      const closeButton = entry.iframe.ownerDocument.createElement("button");
      closeButton.textContent = "×";
      closeButton.setAttribute("aria-label", "Close dialog");
      closeButton.style.cssText = "position:absolute;top:0;right:0";
      overlay.appendChild(closeButton);
      entry.iframe.ownerDocument.body.appendChild(overlay);
      let frame: { iframe: HTMLIFrameElement; origin: string };
      try {
        frame = createFrame(overlay, { url: checked.url, title: "Add-in dialog" });
      } catch {
        overlay.remove();
        return dialogFail(12004);
      }
      const dialog: Entry = { kind: "dialog", iframe: frame.iframe, origin: frame.origin, relay: null, hooks: entry.hooks, appDomains: entry.appDomains, ready: () => undefined, opener: entry, closed: false };
      entries.set(frame.iframe.contentWindow!, dialog);
      entry.dialog = dialog;
      // The user closing the dialog: DialogEventReceived with 12006 in the opener.
      closeButton.addEventListener("click", () => {
        closeDialog(entry);
        post(entry, { dialogEvent: { type: "dialogEventReceived", error: 12006 } });
      });
      entry.hooks.onDialog?.({ opened: checked.url });
      return { outcome: "ok", value: { id: overlay.dataset.outpostDialog } };
    }
    case "closeDialog":
      closeDialog(entry);
      return { outcome: "ok", value: null };
    case "messageParent": {
      const opener = entry.opener;
      if (entry.kind !== "dialog" || !opener) return fail(5000, "messageParent can only be called from a dialog box.");
      const message = args[0];
      if (typeof message !== "string" && typeof message !== "boolean") return fail(5001, "The message must be a string or a boolean.");
      post(opener, { dialogEvent: { type: "dialogMessageReceived", message, origin: entry.origin } });
      return { outcome: "ok", value: null };
    }
    case "messageChild": {
      const dialog = entry.dialog;
      if (!dialog || dialog.closed) return fail(5000, "No dialog box is open.");
      if (typeof args[0] !== "string" && typeof args[0] !== "boolean") return fail(5001, "The message must be a string or a boolean.");
      post(dialog, { dialogEvent: { type: "dialogParentMessageReceived", message: args[0], origin: entry.origin } });
      return { outcome: "ok", value: null };
    }
    case "closeContainer":
      if (entry.kind === "dialog") {
        if (entry.opener) closeDialog(entry.opener);
      } else {
        entry.hooks.onClose?.();
        setTimeout(() => closeEntry(entry), 0);
      }
      return { outcome: "ok", value: null };
    default:
      return fail(5000, `Office.context.ui.${op.slice(0, 60)} is not supported.`);
  }
}

function clampPercent(v: unknown, fallback: number): number {
  return typeof v === "number" && v >= 10 && v <= 100 ? v : fallback;
}

function closeDialog(opener: Entry): void {
  const d = opener.dialog;
  if (!d || d.closed) return;
  // The overlay is the frame's parent: taken before closeEntry detaches the frame (it would be null after, and the
  // empty overlay would stay on the page).
  const overlay = d.iframe.parentElement;
  closeEntry(d);
  overlay?.remove();
  opener.hooks.onDialog?.({ closed: d.iframe.src });
}

function closeEntry(entry: Entry): void {
  if (entry.closed) return;
  entry.closed = true;
  if (entry.dialog) closeDialog(entry);
  for (const [w, e] of entries) if (e === entry) entries.delete(w);
  entry.iframe.remove();
}

function dialogBoot(): Record<string, unknown> {
  return { mode: "read", itemType: "message", hasItem: false, dialog: true, displayLanguage: "en-US", properties: {}, dates: [], methods: [], throws: {}, limits: {}, roamingSettings: {}, sync: {}, requirementSets: [] };
}

function mount(container: HTMLElement, kind: FrameKind, opts: FrameOptions): { entry: Entry; ready: Promise<void> } {
  listen();
  const frame = createFrame(container, { url: opts.url, hidden: kind === "function" || kind === "event", ...(opts.hostOrigin ? { hostOrigin: opts.hostOrigin } : {}) });
  let ready!: () => void;
  const readyP = new Promise<void>((r) => (ready = r));
  const relay = new BridgeRelay(opts.session, { ...(opts.bridgeUrl ? { bridgeUrl: opts.bridgeUrl } : {}), ...(opts.fetch ? { fetch: opts.fetch } : {}), ...(opts.socketUrl ? { socketUrl: opts.socketUrl } : {}) });
  const entry: Entry = { kind, iframe: frame.iframe, origin: frame.origin, relay, hooks: opts, appDomains: opts.appDomains ?? [], ready, closed: false };
  // contentWindow exists as soon as the iframe is in the document; it stays the same WindowProxy across navigations,
  // which is why every message's origin is checked too.
  entries.set(frame.iframe.contentWindow!, entry);
  return { entry, ready: readyP };
}

/** Mounts a task pane (or any add-in page) in `container`. */
export function mountTaskPane(container: HTMLElement, opts: FrameOptions): AddinHandle {
  const { entry, ready } = mount(container, "taskpane", opts);
  installNaaBroker(globalThis, { frame: entry.iframe, origin: entry.origin, session: opts.session }); // MSAL nested app auth and Office SSO
  return {
    iframe: entry.iframe,
    origin: entry.origin,
    ready,
    fireEvent(eventType, args) {
      post(entry, { fire: { type: EVENT_NAMES[eventType] ?? eventType, args: args ?? {} } });
    },
    changeItem(session) {
      entry.relay!.switchSession(session);
      post(entry, { fire: { type: EVENT_NAMES.ItemChanged, args: {}, rebootstrap: true } });
    },
    close: () => closeEntry(entry),
  };
}

function invoke(container: HTMLElement, kind: "function" | "event", opts: InvokeOptions, request: InvokeRequest): Promise<Completion> {
  const { entry, ready } = mount(container, kind, opts);
  const event = kind === "function" ? "AddinCommands.Event" : "MailboxEvent";
  return new Promise<Completion>((resolve) => {
    let settled = false;
    const finish = (c: Completion) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // Let the frame receive the answer to its completed() call before it goes.
      setTimeout(() => closeEntry(entry), 0);
      resolve(c);
    };
    const timer = setTimeout(() => finish({ event, completed: false, options: {}, error: "The handler did not call event.completed() in time." }), opts.timeoutMs ?? 300_000);
    entry.onCompleted = finish;
    const hooks = entry.hooks;
    entry.hooks = {
      ...hooks,
      onError(e) {
        hooks.onError?.(e);
        if (/^Outpost: /.test(e.message)) finish({ event, completed: false, options: {}, error: e.message.slice(9) });
      },
    };
    void ready.then(() => post(entry, { invoke: request }));
  });
}

/** Runs a function command (ExecuteFunction): the FunctionFile page in a hidden frame, then the named function. */
export function runFunctionCommand(container: HTMLElement, opts: InvokeOptions): Promise<Completion> {
  return invoke(container, "function", opts, { name: opts.functionName, kind: "function", event: { source: { id: opts.functionName }, ...opts.event } });
}

/** Fires a launch event (OnNewMessageCompose, OnMessageSend, …) at the handler the manifest names, in a hidden frame. */
export function fireEvent(container: HTMLElement, opts: InvokeOptions & { eventType: string }): Promise<Completion> {
  return invoke(container, "event", opts, { name: opts.functionName, kind: "event", eventType: opts.eventType, ...(opts.event ? { event: opts.event } : {}) });
}

export { addinOrigin };
