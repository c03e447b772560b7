/**
 * Add-ins in the client: the add-in bar (buttons from the manifest's extension points for the current form), the
 * business bar, the info bar (notificationMessages), contextual highlights, task panes (pinnable, ItemChanged),
 * function commands, launch events with the Smart Alerts dialog, and the watch for forged messages.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import type { AddinBar, AddinBarEntry, AddinButton, BusinessNotice } from "../../server/web/api-types.ts";
import { api, mail } from "./api.ts";
import { bridgeTransport, fireEvent, hostState, mountTaskPane, openBridgeSession, runFunctionCommand, type AddinHandle, type CallRecord, type Completion, type HostState } from "./addin-host-api.ts";
import { openAddinForm } from "./forms.ts";

/** The host module's hook for an accepted display*Form call: the client opens the form (src/web/client/forms.ts). */
function displayForm(session: () => string | null, onError: (message: string) => void) {
  return ({ member, args }: { member: string; args: unknown[] }) => {
    const id = session();
    if (id) void openAddinForm(id, member, args).catch((e: Error) => onError(`The form the add-in asked for could not open: ${e.message}`));
  };
}

export interface OpenPane {
  addinId: string;
  name: string;
  url: string;
  pinnable: boolean;
  key: number;
}

/** Reports what the host page stopped: a message that claims to be Outpost's but does not come from a frame we opened. */
export function watchForgedMessages(): () => void {
  const onMessage = (e: MessageEvent) => {
    const d = e.data as { outpost?: unknown } | null;
    if (!d || typeof d !== "object" || d.outpost !== 1) return;
    const frames = [...document.querySelectorAll<HTMLIFrameElement>("iframe[data-outpost-addin]")];
    const frame = frames.find((f) => f.contentWindow === e.source);
    if (frame && frame.dataset.outpostAddin === e.origin) return;
    const kind = frame ? "unexpected-origin" : "forged-message";
    window.dispatchEvent(new CustomEvent("outpost:stopped", { detail: { kind, origin: e.origin } }));
    void mail.report({ kind, origin: e.origin.slice(0, 300), detail: JSON.stringify(d).slice(0, 500) }).then(() => reported(kind));
  };
  addEventListener("message", onMessage);
  return () => removeEventListener("message", onMessage);
}

function reportEscape(addinId: string, message: string, origin: string) {
  const kind = /top|navigat/i.test(message) ? "top-navigation" : /parent|cross-origin|SecurityError|Blocked a frame|localStorage|cookie/i.test(message) ? "parent-access" : null;
  if (!kind) return;
  window.dispatchEvent(new CustomEvent("outpost:stopped", { detail: { kind, origin } }));
  void mail.report({ kind, addinId, origin, detail: message.slice(0, 1000) }).then(() => reported(kind));
}

/** The server has the record of what was stopped (a signal tests and embedders can wait for). */
function reported(kind: string) {
  window.dispatchEvent(new CustomEvent("outpost:reported", { detail: { kind } }));
}

export function BusinessBar({ notices }: { notices: BusinessNotice[] }) {
  if (!notices.length) return null;
  return (
    <div class="bar business" role="status" aria-label="Business bar">
      <span aria-hidden="true">⚠</span>
      <div>
        {notices.map((n, i) => (
          <div key={i} data-kind={n.kind}>
            {n.text}
          </div>
        ))}
      </div>
    </div>
  );
}

export function InfoBar({ notes, onDismiss }: { notes: HostState["notifications"]; onDismiss: (key: string) => void }) {
  if (!notes.length) return null;
  return (
    <>
      {notes.map((n) => (
        <div class={`bar ${n.type === "errorMessage" ? "error-bar" : "info"}`} role="status" key={n.key} aria-label="Add-in notification">
          <span>{n.message ?? ""}</span>
          {n.type !== "errorMessage" && (
            <button type="button" class="link" onClick={() => onDismiss(n.key)} aria-label="Dismiss notification">
              ×
            </button>
          )}
        </div>
      ))}
    </>
  );
}

function BarButton({ b, onAction }: { b: AddinButton; onAction: (b: AddinButton) => void }) {
  const [open, setOpen] = useState(false);
  if (b.action.kind === "menu") {
    return (
      <span class="menu">
        <button type="button" aria-haspopup="menu" aria-expanded={open} onClick={() => setOpen(!open)} title={b.tooltip}>
          {b.icon && <img src={b.icon} alt="" />}
          {b.label} ▾
        </button>
        {open && (
          <div role="menu" onKeyDown={(e) => e.key === "Escape" && setOpen(false)}>
            {(b.items ?? []).map((i) => (
              <button type="button" role="menuitem" key={i.controlId} onClick={() => (setOpen(false), onAction(i))}>
                {i.label}
              </button>
            ))}
          </div>
        )}
      </span>
    );
  }
  return (
    <button type="button" onClick={() => onAction(b)} title={b.tooltip} data-control={b.controlId}>
      {b.icon && <img src={b.icon} alt="" />}
      {b.label}
    </button>
  );
}

export function AddinBarView(props: { bar: AddinBar | null; onOpen: (p: Omit<OpenPane, "key">) => void; onFunction: (entry: AddinBarEntry, b: AddinButton) => void }) {
  const { bar } = props;
  useEffect(() => {
    if (bar) performance.mark("outpost:addin-bar-shown");
  }, [bar]);
  if (!bar) return <div class="addin-bar" aria-busy="true" aria-label="Add-ins" />;
  const action = (entry: AddinBarEntry) => (b: AddinButton) => {
    performance.mark("outpost:addin-click");
    if (b.action.kind === "taskpane") props.onOpen({ addinId: entry.addinId, name: entry.name, url: b.action.url, pinnable: b.action.pinnable });
    else if (b.action.kind === "function") props.onFunction(entry, b);
  };
  const shown = bar.entries.filter((e) => e.buttons.length || e.legacyUrl);
  return (
    <div class="addin-bar" role="toolbar" aria-label="Add-ins" data-ready="true" data-item={bar.itemId}>
      <span class="label">Add-ins</span>
      {shown.length === 0 && <span class="label">none for this item</span>}
      {shown.map((e) =>
        e.legacyUrl ? (
          <button
            type="button"
            key={e.addinId}
            data-addin={e.addinId}
            onClick={() => (performance.mark("outpost:addin-click"), props.onOpen({ addinId: e.addinId, name: e.name, url: e.legacyUrl!, pinnable: false }))}
          >
            {e.name}
          </button>
        ) : (
          <span key={e.addinId} data-addin={e.addinId} style={{ display: "contents" }}>
            {e.buttons.map((b) => (
              <BarButton b={b} key={b.controlId} onAction={action(e)} />
            ))}
          </span>
        ),
      )}
    </div>
  );
}

export function Highlights({ bar, onOpen }: { bar: AddinBar | null; onOpen: (p: Omit<OpenPane, "key">) => void }) {
  const items = (bar?.entries ?? []).flatMap((e) => e.highlights.map((h) => ({ e, h })));
  if (!items.length) return null;
  const seen = new Set<string>();
  return (
    <div class="highlights" aria-label="Highlighted by add-ins">
      <span class="label">Found:</span>
      {items
        .filter(({ e, h }) => !seen.has(e.addinId + h.text) && seen.add(e.addinId + h.text))
        .slice(0, 20)
        .map(({ e, h }) => (
          <button
            type="button"
            key={e.addinId + h.text}
            title={`${e.name}: ${h.name}`}
            disabled={!e.detectedEntityUrl}
            onClick={() => e.detectedEntityUrl && onOpen({ addinId: e.addinId, name: e.name, url: e.detectedEntityUrl, pinnable: false })}
          >
            {h.text}
          </button>
        ))}
    </div>
  );
}

/** A task pane: the add-in's page from its own origin in a sandboxed frame mounted by the add-in host module. */
export function TaskPane(props: {
  pane: OpenPane;
  itemId: string | null;
  form: "read" | "compose";
  pinned: boolean;
  onPin: (pinned: boolean) => void;
  onClose: () => void;
  onHostState: (s: HostState) => void;
}) {
  const box = useRef<HTMLDivElement>(null);
  const handle = useRef<AddinHandle | null>(null);
  const sessionId = useRef<string | null>(null);
  const [status, setStatus] = useState("Loading…");
  const [error, setError] = useState<string | null>(null);
  const [lastError, setLastError] = useState<string | null>(null);
  const { pane } = props;
  const refresh = () => sessionId.current && hostState(sessionId.current).then(props.onHostState).catch(() => undefined);

  useEffect(() => {
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopWatch: (() => void) | null = null;
    setStatus("Loading…");
    setError(null);
    setLastError(null);
    const unresponsive = (seconds: number) => {
      if (cancelled) return;
      clearTimeout(timer);
      void reportGovernance(pane.addinId, "unresponsive", seconds).then((r) => {
        setError(r?.disabled ? (r.text ?? `${pane.name} stopped responding and was turned off.`) : `${pane.name} is not responding (${Math.round(seconds)} s).`);
        if (r?.disabled) {
          handle.current?.close();
          handle.current = null;
          dispatchEvent(new Event("outpost:addins-changed"));
        }
      });
    };
    (async () => {
      try {
        const session = await openBridgeSession(pane.addinId, props.itemId, props.form);
        if (cancelled || !box.current) return;
        sessionId.current = session.session;
        const h = mountTaskPane(box.current, {
          session,
          ...bridgeTransport(),
          url: pane.url,
          onCall: (r: CallRecord) => {
            if (r.member !== "Outpost.bootstrap") return void (/notificationMessages|display\w*Form/.test(r.member) && refresh());
            beats.set(h, performance.now());
            // office.js runs in the frame: from now on it must answer the heartbeat.
            stopWatch ??= watchdog(h, unresponsive);
          },
          onError: (e) => {
            reportEscape(pane.addinId, e.message, new URL(pane.url).origin);
            if (!cancelled) setLastError(e.message);
          },
          onClose: props.onClose,
          onDisplayForm: displayForm(() => sessionId.current, (m) => !cancelled && setLastError(m)),
        });
        h.iframe.title = `${pane.name} task pane`;
        handle.current = h;
        timer = setTimeout(() => {
          if (cancelled) return;
          setError(`The add-in's page at ${pane.url} did not answer.`);
          void reportGovernance(pane.addinId, "initialization-failure", undefined);
        }, 15_000);
        await h.ready;
        clearTimeout(timer);
        performance.mark("outpost:taskpane-ready");
        if (cancelled) return;
        setStatus("Ready");
      } catch (err) {
        if (!cancelled) setError((err as Error).message);
      }
    })();
    return () => {
      cancelled = true;
      clearTimeout(timer);
      stopWatch?.();
      handle.current?.close();
      handle.current = null;
    };
  }, [pane.key]);

  // Pinned pane: the selection moved to another item; the pane stays and gets ItemChanged.
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    if (!handle.current) return;
    void openBridgeSession(pane.addinId, props.itemId, props.form).then((s) => {
      sessionId.current = s.session;
      handle.current?.changeItem(s);
    });
  }, [props.itemId]);

  return (
    <aside class="taskpane" aria-label={`${pane.name} task pane`}>
      <header>
        <h2>{pane.name}</h2>
        {pane.pinnable && (
          <button type="button" aria-pressed={props.pinned} onClick={() => props.onPin(!props.pinned)} title="Keep this pane open when the selection changes">
            {props.pinned ? "Unpin" : "Pin"}
          </button>
        )}
        <button type="button" onClick={props.onClose} aria-label="Close task pane">
          ×
        </button>
      </header>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <div class="frame" ref={box} />
      <div class="status" aria-live="polite">
        {error ? "Not available" : status}
        {lastError && !error && <div class="addin-error" title="Reported by the add-in's page">The add-in reported: {lastError}</div>}
      </div>
    </aside>
  );
}

/** Seconds without a heartbeat before a pane counts as unresponsive (the tenant's UnresponsiveSeconds). */
export const watchSettings = { unresponsiveSeconds: 5 };
const beats = new WeakMap<AddinHandle, number>();

/**
 * The host page's heartbeat: asks the pane's office.js to re-read its session (a round trip through the bridge);
 * a page whose script never answers (an endless loop) is reported once it has been silent for the threshold.
 */
function watchdog(h: AddinHandle, onUnresponsive: (seconds: number) => void): () => void {
  let sent = 0;
  let reported = false;
  const tick = () => {
    const now = performance.now();
    const last = beats.get(h) ?? 0;
    if (sent && last < sent) {
      const silent = (now - sent) / 1000;
      if (!reported && silent >= watchSettings.unresponsiveSeconds) {
        reported = true;
        onUnresponsive(silent);
      }
      return;
    }
    sent = now;
    h.iframe.contentWindow?.postMessage({ outpost: 1, fire: { type: "outpostHeartbeat", args: {}, rebootstrap: true } }, h.origin);
  };
  const id = setInterval(tick, 1000);
  return () => clearInterval(id);
}

function reportGovernance(addinId: string, kind: "unresponsive" | "initialization-failure", measured: number | undefined): Promise<{ disabled: boolean; text: string | null } | undefined> {
  return api<{ disabled: boolean; text: string | null }>("POST", "/api/web/governance/report", { addinId, kind, ...(measured !== undefined ? { measured } : {}) }).catch(() => undefined);
}

/** One hidden container for function-command and event frames. */
function hiddenHost(): HTMLElement {
  let el = document.getElementById("outpost-hidden-frames");
  if (!el) {
    el = document.createElement("div");
    el.id = "outpost-hidden-frames";
    el.setAttribute("aria-hidden", "true");
    document.body.appendChild(el);
  }
  return el;
}

export async function runFunction(entry: AddinBarEntry, b: AddinButton, itemId: string | null, form: "read" | "compose"): Promise<{ completion: Completion; session: string }> {
  if (b.action.kind !== "function") throw new Error("not a function command");
  const session = await openBridgeSession(entry.addinId, itemId, form);
  const completion = await runFunctionCommand(hiddenHost(), {
    session,
    ...bridgeTransport(),
    url: b.action.functionFile,
    functionName: b.action.functionName,
    timeoutMs: 60_000,
    onDisplayForm: displayForm(() => session.session, () => undefined),
  });
  return { completion, session: session.session };
}

export interface EventRun {
  entry: AddinBarEntry;
  type: string;
  sendMode?: string;
  completion: Completion;
  session: string;
}

/** Fires one launch event type at every add-in that handles it; returns each handler's completion. */
export async function fireLaunchEvents(bar: AddinBar | null, type: string, itemId: string, timeoutMs = 60_000): Promise<EventRun[]> {
  const runs: EventRun[] = [];
  for (const entry of bar?.entries ?? []) {
    for (const ev of entry.events.filter((e) => e.type === type)) {
      if (!entry.runtimeUrl) continue;
      const session = await openBridgeSession(entry.addinId, itemId, "compose");
      const completion = await fireEvent(hiddenHost(), { session, ...bridgeTransport(), url: entry.runtimeUrl, eventType: type, functionName: ev.functionName, timeoutMs });
      runs.push({ entry, type, ...(ev.sendMode ? { sendMode: ev.sendMode } : {}), completion, session: session.session });
    }
  }
  return runs;
}

/**
 * Smart Alerts: what OnMessageSend handlers decided. A handler that allowed the event lets the send go on; one that
 * refused shows its message — PromptUser offers "Send anyway", SoftBlock and Block only "Don't send". A handler
 * that did not complete (unavailable, timed out) blocks only in Block mode.
 */
export function smartAlertDecision(runs: EventRun[]): { send: boolean; dialog?: { addin: string; message: string; canSendAnyway: boolean } } {
  for (const r of runs) {
    const mode = (r.completion.options.sendModeOverride as string | undefined) ?? r.sendMode ?? "SoftBlock";
    if (!r.completion.completed) {
      if (/^block$/i.test(mode)) return { send: false, dialog: { addin: r.entry.name, message: `${r.entry.name} is unavailable, so the message can't be sent right now. Try again later.`, canSendAnyway: false } };
      continue;
    }
    if (r.completion.options.allowEvent === false) {
      const message = String(r.completion.options.errorMessage ?? `${r.entry.name} stopped this message from being sent.`);
      return { send: false, dialog: { addin: r.entry.name, message, canSendAnyway: /^promptuser$/i.test(mode) } };
    }
  }
  return { send: true };
}

export function SmartAlertDialog(props: { addin: string; message: string; canSendAnyway: boolean; onDone: (sendAnyway: boolean) => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  return (
    <dialog ref={ref} aria-labelledby="smart-alert-title" onCancel={(e) => (e.preventDefault(), props.onDone(false))} data-testid="smart-alert">
      <h2 id="smart-alert-title">{props.addin}</h2>
      <p>{props.message}</p>
      <div class="buttons">
        {props.canSendAnyway && (
          <button type="button" onClick={() => props.onDone(true)}>
            Send anyway
          </button>
        )}
        <button type="button" class="primary" onClick={() => props.onDone(false)} autoFocus>
          Don't send
        </button>
      </div>
    </dialog>
  );
}

/** The add-in bar of an item, reloaded when the item or form changes. */
export function useAddinBar(itemId: string | null, form: "read" | "compose"): [AddinBar | null, () => void] {
  const [bar, setBar] = useState<AddinBar | null>(null);
  const [n, setN] = useState(0);
  useEffect(() => {
    const changed = () => setN((x) => x + 1);
    addEventListener("outpost:addins-changed", changed);
    return () => removeEventListener("outpost:addins-changed", changed);
  }, []);
  useEffect(() => {
    setBar(null);
    if (!itemId) return;
    let live = true;
    mail
      .addinBar(itemId, form)
      .then((b) => live && setBar(b))
      .catch(() => live && setBar({ itemId, form, surface: "", entries: [], business: [] }));
    return () => {
      live = false;
    };
  }, [itemId, form, n]);
  return [bar, () => setN((x) => x + 1)];
}
