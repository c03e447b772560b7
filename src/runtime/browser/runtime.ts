/**
 * The browser runtime: an add-in's pages run in real headless Chromium (Debian's, through playwright-core) inside
 * the same host page and sandboxed cross-origin iframe as the web client (src/web/addin-host), with the same
 * postMessage bridge signed by the host page and checked by the one dispatch. Remote requests are answered from
 * `--map` entries, office.js from Outpost's shim; anything else is fetched only when the network is allowed and is
 * otherwise refused with an error naming the URL and the flag.
 *
 * One Chromium serves many runs (each in a fresh browser context: its own storage and cookies).
 */
import { chromium, type Browser, type BrowserContext, type Page, type Route } from "playwright-core";
import type { SessionHandle } from "../bridge/client.ts";
import type { BridgeHost } from "../bridge/dispatch.ts";
import { browserOfficeJs } from "../shim/source.ts";
import { startHostServer, type HostServer } from "./host-server.ts";
import { contentType } from "./mime.ts";
import { OFFICE_JS_PATH, startOriginServer, type OriginServer } from "./origin-server.ts";
import { MapError, resolveMapped, type UrlMapEntry } from "./url-map.ts";
import { relative, sep } from "node:path";
import { realpath } from "node:fs/promises";

export const CHROMIUM_PATH = process.env.OUTPOST_CHROMIUM ?? "/usr/bin/chromium";
// Site isolation off keeps the cross-origin add-in frame in the page's renderer, so request interception is in place
// before its first request (an out-of-process frame's first requests could otherwise race it under load). The
// same-origin policy and the iframe sandbox still separate the frame from the host page.
export const CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--headless", "--disable-features=IsolateOrigins,site-per-process"];

export type BrowserRunKind = "taskpane" | "function" | "event";

export interface BrowserControl {
  /** Fires an Office event (e.g. "ItemChanged" or an Office.EventType value) into the task pane's handlers. */
  fire(eventType: string, args?: Record<string, unknown>): Promise<void>;
  /** ItemChanged onto another item: the page moves to that item's session, re-reads it, its handlers run. */
  changeItem(session: SessionHandle): Promise<void>;
  /** The host page (browser runtime): act as the user in the task pane or a dialog (click, type). */
  page: Page;
}

export interface BrowserRunInput {
  bridge: BridgeHost;
  session: SessionHandle;
  /** The add-in root served as its origin (default: the manifest's folder). */
  root: string;
  /** The page to open: a file inside `root`. */
  entry: string;
  kind?: BrowserRunKind;
  functionName?: string;
  eventType?: string;
  event?: Record<string, unknown>;
  maps?: readonly UrlMapEntry[];
  /** Fetch unmapped remote URLs from the network (default false: refused with a clear error). */
  network?: boolean;
  appDomains?: string[];
  /** Wall-clock cap of the run (default 15 s). */
  runMs?: number;
  /** Quiet time (no Office call, no request in flight) after which the page counts as idle (default 300 ms). */
  idleMs?: number;
  onReady?: (control: BrowserControl) => Promise<void> | void;
  /** A frame that cannot answer for this long is unresponsive and the run ends (governance: UnresponsiveSeconds). */
  unresponsiveMs?: number;
  /** Time the page has to reach Office.onReady once loaded (governance: InitializationTimeout). */
  initTimeoutMs?: number;
}

/** What governance counts from a browser run: the same kinds the JavaScript-only runtime reports. */
export interface BrowserRunEvent {
  kind: "unresponsive" | "initialization-failure";
  detail: string;
  /** Seconds (unresponsive) or milliseconds (initialization) measured. */
  measured: number;
}

export interface BrowserCall {
  frame: string;
  member: string;
  outcome: string;
  code: number;
  local?: boolean;
}

export interface BrowserRunResult {
  ready: boolean;
  calls: BrowserCall[];
  refusals: Array<{ frame: string; member: string; message: string }>;
  errors: Array<{ message: string; stack?: string; frame?: string }>;
  console: string[];
  /** Requests refused because nothing mapped them (each names the URL and the --map flag). */
  requestErrors: string[];
  completion?: { event: string; completed: boolean; options: Record<string, unknown>; outcome?: string; error?: string };
  dialogs: Array<{ opened?: string; closed?: string }>;
  closed: boolean;
  /** Text of the task pane's elements with an id, by id (inputs: their value). */
  page: Record<string, string>;
  events: BrowserRunEvent[];
  timedOut: boolean;
  ms: number;
}

/**
 * Runs in the host page (plain JS text: the TypeScript loader must not rewrite it): mounts the add-in with the
 * host-page module and reports what happens through the exposed __outpostReport binding.
 */
const MOUNT_SCRIPT = `function (input) {
  var w = window; var kind = input.kind; var opts = input.opts;
  function report(t, d) { w.__outpostReport(t, d === undefined ? null : d); }
  var hooks = {
    onCallStart: function (c) { report("start", c); }, onCall: function (c) { report("call", c); },
    onRefused: function (r) { report("refused", r); }, onError: function (e) { report("error", e); },
    onDialog: function (d) { report("dialog", d); }, onClose: function () { report("close"); },
    onReady: function (f) { if (f && f.frame !== "dialog") report("ready"); }
  };
  var el = document.getElementById("addin"); var host = w.outpostHost;
  document.addEventListener("load", function (e) { if (e.target && e.target.tagName === "IFRAME") report("loaded"); }, true);
  var o = Object.assign({}, opts, hooks, { timeoutMs: opts.runMs });
  if (kind === "taskpane") {
    w.__pane = host.mountTaskPane(el, o);
    w.__pane.ready.then(function () { report("ready"); });
  } else {
    (kind === "function" ? host.runFunctionCommand : host.fireEvent)(el, o).then(function (c) { report("result", c); });
  }
}`;

const REMOTE_URL = /^https?:\/\/(?!(?:127\.0\.0\.1|localhost|\[::1\]|[a-z0-9-]+\.localhost)(?::\d+)?\/)/i;

export class BrowserRuntime {
  private readonly hostServers = new Map<BridgeHost, Promise<HostServer>>();
  private readonly originServers = new Map<string, Promise<OriginServer>>();
  private readonly officeJs = browserOfficeJs();

  private constructor(readonly browser: Browser) {}

  static async launch(options: { executablePath?: string } = {}): Promise<BrowserRuntime> {
    const browser = await chromium.launch({ executablePath: options.executablePath ?? CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
    return new BrowserRuntime(browser);
  }

  private hostServer(bridge: BridgeHost): Promise<HostServer> {
    let s = this.hostServers.get(bridge);
    if (!s) this.hostServers.set(bridge, (s = startHostServer(bridge)));
    return s;
  }

  private originServer(root: string): Promise<OriginServer> {
    let s = this.originServers.get(root);
    if (!s) this.originServers.set(root, (s = startOriginServer({ root, officeJs: this.officeJs })));
    return s;
  }

  async run(input: BrowserRunInput): Promise<BrowserRunResult> {
    const started = Date.now();
    const root = await realpath(input.root);
    const entry = await realpath(input.entry).catch(() => {
      throw new MapError(`${input.entry}: cannot read the add-in page`);
    });
    const rel = relative(root, entry);
    if (rel.startsWith(`..${sep}`) || rel === "..") throw new MapError(`${input.entry} lies outside the add-in root ${root} (set --root)`);
    const [hostServer, origin] = await Promise.all([this.hostServer(input.bridge), this.originServer(root)]);
    const url = origin.urlFor(rel);
    const kind = input.kind ?? "taskpane";
    const result: BrowserRunResult = { ready: false, calls: [], refusals: [], errors: [], console: [], requestErrors: [], dialogs: [], closed: false, page: {}, events: [], timedOut: false, ms: 0 };
    const context = await this.browser.newContext();
    let inflightCalls = 0;
    let inflightRequests = 0;
    let lastActivity = Date.now();
    const touch = () => (lastActivity = Date.now());
    let finished: (() => void) | undefined;
    let invocationDone = false;
    let loaded = false;
    try {
      // Loopback traffic (the host page, the add-in origin, /bridge/call) is not intercepted: only remote URLs are
      // (Playwright matches a RegExp in the browser process, so unmatched requests never wait on this process).
      await context.route(REMOTE_URL, (route) => this.route(route, { hostOrigin: hostServer.origin, addinOrigin: origin.origin, maps: input.maps ?? [], network: input.network ?? false, result }));
      context.on("request", () => (inflightRequests++, touch()));
      context.on("requestfinished", () => (inflightRequests--, touch()));
      context.on("requestfailed", (r) => {
        inflightRequests--;
        touch();
        // A remote request that failed without passing the interception still gets the clear error.
        const u = r.url();
        if (!input.network && REMOTE_URL.test(u) && !result.requestErrors.some((e) => e.startsWith(u))) {
          const o = new URL(u);
          result.requestErrors.push(`${u} was not fetched: no --map covers it and the network is off. Supply a local copy with --map ${o.origin}${o.pathname}=<file> (or --map ${o.origin}/=<dir>), or allow the network with --network.`);
        }
      });
      const page = await context.newPage();
      page.on("console", (m) => {
        if (result.console.length < 1000) result.console.push(`${m.type() === "log" ? "" : `${m.type()}: `}${m.text().slice(0, 2000)}`);
      });
      await page.exposeBinding("__outpostReport", (_source, type: string, data: any) => {
        touch();
        switch (type) {
          case "start":
            inflightCalls++;
            break;
          case "call":
            inflightCalls--;
            result.calls.push({ frame: data.frame, member: data.member, outcome: data.outcome, code: data.code, ...(data.local ? { local: true } : {}) });
            break;
          case "refused":
            result.refusals.push(data);
            break;
          case "error":
            if (result.errors.length < 100) result.errors.push(data);
            break;
          case "dialog":
            result.dialogs.push(data);
            break;
          case "close":
            result.closed = true;
            break;
          case "ready":
            result.ready = true;
            break;
          case "loaded":
            loaded = true;
            break;
          case "result":
            result.completion = data;
            invocationDone = true;
            finished?.();
            break;
        }
      });
      await page.goto(`${hostServer.origin}/host.html`);
      await page.evaluate(`(${MOUNT_SCRIPT})(${JSON.stringify({
        kind,
        opts: {
          session: { session: input.session.id, secret: input.session.secret, itemId: input.session.itemId },
          url,
          appDomains: input.appDomains ?? [],
          functionName: input.functionName ?? "",
          eventType: input.eventType ?? "",
          ...(input.event ? { event: input.event } : {}),
          runMs: input.runMs ?? 15_000,
        },
      })})`);
      const runMs = input.runMs ?? 15_000;
      const idleMs = input.idleMs ?? 300;
      const deadline = started + runMs;
      let onReadyDone = !input.onReady;
      const idle = () => inflightCalls <= 0 && inflightRequests <= 0 && Date.now() - lastActivity >= idleMs;
      const unresponsiveMs = input.unresponsiveMs ?? 5000;
      const initTimeoutMs = input.initTimeoutMs ?? 5000;
      let loadedAt: number | undefined;
      let silentSince: number | undefined;
      let lastProbe = 0;
      for (;;) {
        if (invocationDone) break;
        if (Date.now() > deadline) {
          result.timedOut = true;
          break;
        }
        // Governance: a frame whose event loop does not answer (a long task, a spin) is unresponsive; a page that
        // loaded office.js but never reached onReady failed to initialize.
        if (loaded && Date.now() - lastProbe >= 500) {
          lastProbe = Date.now();
          loadedAt ??= lastProbe;
          const { answered } = await probeFrames(page, origin.origin);
          if (answered) silentSince = undefined;
          else silentSince ??= lastProbe;
          if (silentSince !== undefined && Date.now() - silentSince >= unresponsiveMs) {
            result.events.push({ kind: "unresponsive", detail: "The add-in stopped responding and was stopped.", measured: Math.round((Date.now() - silentSince) / 100) / 10 });
            break;
          }
          if (kind === "taskpane" && !result.ready && answered && Date.now() - loadedAt >= initTimeoutMs && (await usesOffice(page, origin.origin))) {
            result.events.push({ kind: "initialization-failure", detail: "The add-in did not finish initializing in time and was stopped.", measured: Date.now() - loadedAt });
            break;
          }
        }
        // A page whose Office never became ready (no office.js, a crash) ends once it loaded and stayed quiet.
        // The wait for a page that never became ready is long: on a loaded machine office.js can arrive seconds late.
        const quietEnough = idle() && (result.ready || (loaded && Date.now() - lastActivity >= Math.max(idleMs, 5000))) && !(await framesBusy(page, origin.origin, touch));
        if (quietEnough && kind === "taskpane") {
          if (!onReadyDone && result.ready) {
            onReadyDone = true;
            await input.onReady!(this.control(page));
            touch();
            continue;
          }
          break;
        }
        // An invoked handler that is quiet and never completed: Outlook would wait, then give up. The wait is generous
        // because a hidden frame on a loaded machine can sit quiet for seconds before its handler runs.
        if (kind !== "taskpane" && idle() && loaded && Date.now() - lastActivity >= (result.ready ? Math.max(idleMs, 5000) : 10_000) && !(await framesBusy(page, origin.origin, touch))) break;
        await new Promise<void>((r) => {
          finished = () => r();
          setTimeout(r, 25);
        });
      }
      if (kind !== "taskpane" && !result.completion)
        result.completion = { event: kind === "function" ? "AddinCommands.Event" : "MailboxEvent", completed: false, options: {}, error: result.timedOut ? "The handler did not call event.completed() in time." : "The handler finished without calling event.completed()." };
      // An unresponsive frame cannot be read (its event loop never turns); its text is not waited for.
      if (kind === "taskpane" && !result.closed && !result.events.some((e) => e.kind === "unresponsive")) result.page = await pageText(page, origin.origin);
    } finally {
      await context.close();
    }
    result.ms = Date.now() - started;
    return result;
  }

  private control(page: Page): BrowserControl {
    return {
      page,
      fire: async (eventType, args) => {
        await page.evaluate(`window.__pane.fireEvent(${JSON.stringify(eventType)}, ${JSON.stringify(args ?? {})})`);
      },
      changeItem: async (session) => {
        await page.evaluate(`window.__pane.changeItem(${JSON.stringify({ session: session.id, secret: session.secret, itemId: session.itemId })})`);
      },
    };
  }

  private async route(route: Route, ctx: { hostOrigin: string; addinOrigin: string; maps: readonly UrlMapEntry[]; network: boolean; result: BrowserRunResult }): Promise<void> {
    const request = route.request();
    const raw = request.url();
    let u: URL;
    try {
      u = new URL(raw);
    } catch {
      return route.abort();
    }
    if (u.origin === ctx.hostOrigin || u.origin === ctx.addinOrigin || (u.protocol !== "http:" && u.protocol !== "https:")) return route.continue();
    if (/^appsforoffice\.microsoft\.com$/i.test(u.hostname) && OFFICE_JS_PATH.test(u.pathname)) {
      return route.fulfill({ status: 200, contentType: "text/javascript; charset=utf-8", body: this.officeJs, headers: { "access-control-allow-origin": "*" } });
    }
    const cors = { "access-control-allow-origin": "*", "access-control-allow-headers": "*", "access-control-allow-methods": "GET, POST, PUT, PATCH, DELETE, OPTIONS" };
    let file: string | null;
    try {
      file = await resolveMapped(ctx.maps, raw);
    } catch (e) {
      const message = e instanceof MapError ? e.message : String(e);
      ctx.result.requestErrors.push(message);
      return route.fulfill({ status: 404, contentType: "text/plain; charset=utf-8", body: `${message}\n`, headers: cors });
    }
    if (file) {
      if (request.method() === "OPTIONS") return route.fulfill({ status: 204, headers: cors });
      return route.fulfill({ status: 200, path: file, contentType: contentType(file), headers: cors });
    }
    if (ctx.network) return route.continue();
    ctx.result.requestErrors.push(`${raw} was not fetched: no --map covers it and the network is off. Supply a local copy with --map ${u.origin}${u.pathname}=<file> (or --map ${u.origin}/=<dir>), or allow the network with --network.`);
    return route.abort("blockedbyclient");
  }

  async close(): Promise<void> {
    await this.browser.close();
    for (const s of this.hostServers.values()) await (await s).close();
    for (const s of this.originServers.values()) await (await s).close();
  }
}

/**
 * Asks each add-in frame, after a turn of its event loop, whether it still has work in hand (an Office call whose
 * callback has not run, a request, a short timer): the explicit signal that a quiet page is finished, so a starved
 * renderer is never taken for an idle one. A frame that cannot answer within a second has a long task holding its
 * event loop: not answered (governance), and busy.
 */
async function probeFrames(page: Page, addinOrigin: string): Promise<{ answered: boolean; busy: boolean }> {
  const frames = page.frames().filter((f) => f.url().startsWith(`${addinOrigin}/`));
  const counts = await Promise.all(
    frames.map((f) =>
      Promise.race([
        f.evaluate(`typeof window.__outpostBusy === "function" ? window.__outpostBusy() : 0`).then(Number, () => 0),
        new Promise<null>((r) => setTimeout(() => r(null), 1000).unref()),
      ]),
    ),
  );
  return { answered: counts.every((n) => n !== null), busy: counts.some((n) => n === null || n > 0) };
}

/** A quiet page is finished only when its frames hold no work; a busy frame counts as activity. */
async function framesBusy(page: Page, addinOrigin: string, touch: () => void): Promise<boolean> {
  const { busy } = await probeFrames(page, addinOrigin);
  if (busy) touch();
  return busy;
}

/** Whether the task pane loaded Outpost's office.js (a page without it never initializes, by design). */
async function usesOffice(page: Page, addinOrigin: string): Promise<boolean> {
  const frame = page.frames().find((f) => f.url().startsWith(`${addinOrigin}/`));
  return frame ? Boolean(await frame.evaluate("window.__outpostOffice === true").catch(() => false)) : false;
}

async function pageText(page: Page, addinOrigin: string): Promise<Record<string, string>> {
  const frame = page.frames().find((f) => f.url().startsWith(`${addinOrigin}/`));
  if (!frame) return {};
  try {
    return (await frame.evaluate(`(function () {
      var out = {};
      document.querySelectorAll("[id]").forEach(function (el) {
        var field = el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.tagName === "SELECT";
        out[el.id] = field ? String(el.value) : (el.textContent || "").trim();
      });
      return out;
    })()`)) as Record<string, string>;
  } catch {
    return {};
  }
}
