/**
 * The host side of nested app authentication and Office SSO, next to the host page module (index.ts calls it once per
 * task pane). The add-in frame's MSAL.js posts its bridge requests (window.nestedAppAuthBridge, installed by the shim's
 * auth.ts) to this page; this page asks Outpost's /identity/naa on the add-in's behalf, signing each request with the
 * bridge session's secret (which the frame never sees), opens the consent dialog itself when MSAL asks interactively,
 * and answers the frame at its own origin only.
 *
 * Self-contained (no imports, nothing from the enclosing module): the server also serves its source text as
 * /identity/naa-broker.js for host pages that are not bundled.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */

export interface NaaBrokerOptions {
  frame: HTMLIFrameElement;
  /** The add-in's origin: requests are taken from this frame at this origin, answers go to it only. */
  origin: string;
  /** From POST /bridge/sessions ({ session, secret }). */
  session: { session: string; secret: string };
  /** Outpost's origin (default: this page's). */
  baseUrl?: string;
}

export function installNaaBroker(win: any, options: NaaBrokerOptions): { detach(): void } {
  const base = options.baseUrl || "";
  const frame = options.frame;
  const sessionId = options.session.session;
  const secretHex = options.session.secret;
  const enc = new win.TextEncoder();
  let keyPromise: Promise<any> | undefined;

  function key(): Promise<any> {
    if (!keyPromise) {
      const bytes = new Uint8Array(secretHex.length / 2);
      for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(secretHex.substr(i * 2, 2), 16);
      keyPromise = win.crypto.subtle.importKey("raw", bytes, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    }
    return keyPromise!;
  }

  function hex(buf: ArrayBuffer): string {
    const b = new Uint8Array(buf);
    let s = "";
    for (let i = 0; i < b.length; i++) s += (b[i]! < 16 ? "0" : "") + b[i]!.toString(16);
    return s;
  }

  async function call(op: string, params: Record<string, unknown>): Promise<any> {
    const nonceBytes = new Uint8Array(18);
    win.crypto.getRandomValues(nonceBytes);
    const nonce = hex(nonceBytes.buffer).slice(0, 32);
    const env: any = { v: 1, session: sessionId, nonce: nonce, ts: Date.now(), op: op, params: params };
    const mac = await win.crypto.subtle.sign("HMAC", await key(), enc.encode(JSON.stringify([env.v, env.session, env.nonce, env.ts, env.op, env.params])));
    env.mac = hex(mac);
    const res = await win.fetch(base + "/identity/naa", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(env), credentials: "same-origin" });
    return res.json();
  }

  function post(data: Record<string, unknown>): void {
    const w = frame.contentWindow;
    if (w) w.postMessage(Object.assign({ outpostNaa: 1 }, data), options.origin === "null" ? "*" : options.origin);
  }

  /** The consent dialog: Outpost's own page in a modal on this page (never inside the add-in's frame). */
  function consentDialog(url: string): Promise<string> {
    return new Promise((resolve) => {
      const doc = win.document;
      const dlg = doc.createElement("dialog");
      dlg.setAttribute("data-outpost-consent", "");
      dlg.style.cssText = "padding:0;border:0;box-shadow:0 4px 24px rgba(0,0,0,.3)";
      const ifr = doc.createElement("iframe");
      ifr.src = base + url;
      ifr.title = "Permissions requested";
      ifr.style.cssText = "width:34em;height:28em;border:0;display:block";
      dlg.appendChild(ifr);
      doc.body.appendChild(dlg);
      if (typeof dlg.showModal === "function") dlg.showModal();
      else dlg.setAttribute("open", "");
      let finished = false;
      function done(outcome: string): void {
        if (finished) return;
        finished = true;
        win.removeEventListener("message", onResult);
        dlg.remove();
        resolve(outcome);
      }
      function onResult(e: any): void {
        if (e.source === ifr.contentWindow && e.origin === win.location.origin && e.data && e.data.outpostConsent === 1) done(String(e.data.outcome));
      }
      win.addEventListener("message", onResult);
      dlg.addEventListener("cancel", function () {
        done("cancelled");
      });
    });
  }

  let ssoBusy = false;

  async function naa(payload: string): Promise<void> {
    let req: any;
    try {
      req = JSON.parse(payload);
    } catch {
      return;
    }
    if (!req || req.messageType !== "NestedAppAuthRequest" || typeof req.requestId !== "string") return;
    const respond = (body: Record<string, unknown>) => post({ payload: JSON.stringify(Object.assign({ messageType: "NestedAppAuthResponse", requestId: req.requestId }, body)) });
    try {
      if (req.method === "GetInitContext") {
        const r = await call("init", { origin: options.origin });
        return respond(r.ok ? { success: true, initContext: r.initContext } : { success: false, error: r.error });
      }
      if (req.method === "GetToken" || req.method === "GetTokenPopup") {
        const tp = req.tokenParams || {};
        const params = { clientId: tp.clientId, scope: tp.scope, origin: options.origin };
        let r = await call("token", params);
        if (!r.ok && req.method === "GetTokenPopup" && r.error && r.error.subError === "consent_required") {
          const c = await call("consent", params);
          if (!c.ok) return respond({ success: false, error: c.error });
          if (c.consentUrl) {
            const outcome = await consentDialog(c.consentUrl);
            if (outcome !== "accepted") return respond({ success: false, error: { status: "USER_CANCEL", code: "user_cancelled", description: "The user cancelled the consent dialog." } });
          }
          r = await call("token", params);
        }
        return respond(r.ok ? { success: true, token: r.token, account: r.account } : { success: false, error: r.error });
      }
      return respond({ success: false, error: { status: "PERSISTENT_ERROR", code: "unsupported_method", description: "The host does not support " + String(req.method).slice(0, 40) + "." } });
    } catch (err: any) {
      return respond({ success: false, error: { status: "TRANSIENT_ERROR", code: "network_error", description: String(err && err.message ? err.message : err) } });
    }
  }

  async function sso(id: number): Promise<void> {
    if (ssoBusy) return post({ ssoReply: { id: id, ok: false, error: { code: 13008, name: "Operation In Progress", message: "A previous getAccessToken call has not completed yet." } } });
    ssoBusy = true;
    try {
      const r = await call("sso", { origin: options.origin });
      post({ ssoReply: { id: id, ok: !!r.ok, token: r.token, error: r.error } });
    } catch (err: any) {
      post({ ssoReply: { id: id, ok: false, error: { code: 13007, name: "Token Unavailable", message: String(err && err.message ? err.message : err) } } });
    } finally {
      ssoBusy = false;
    }
  }

  function onMessage(e: any): void {
    if (e.source !== frame.contentWindow || e.origin !== options.origin) return;
    const d = e.data;
    if (!d || d.outpostNaa !== 1) return;
    if (typeof d.payload === "string" && d.payload.length < 65536) void naa(d.payload);
    else if (d.sso && typeof d.sso.id === "number") void sso(d.sso.id);
  }

  win.addEventListener("message", onMessage);
  return {
    detach() {
      win.removeEventListener("message", onMessage);
    },
  };
}
