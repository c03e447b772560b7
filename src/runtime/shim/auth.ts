/**
 * The add-in page's side of modern auth (a shim extension, see extensions.ts): window.nestedAppAuthBridge, the object
 * MSAL.js's nested app mode (createNestablePublicClientApplication) talks to, relaying its string messages to the host
 * page and back; and Office.auth.getAccessToken / Office.context.auth.getAccessTokenAsync (SSO), answered by the same
 * host broker (src/web/addin-host/naa-broker.ts). Self-contained: its source text runs in the add-in's frame.
 * In the JavaScript-only runtime (no window, no host page) SSO answers 13012 and no bridge is installed.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */

export function installAuth(Office: any, hooks: any): void {
  const g: any = typeof window !== "undefined" ? window : undefined;
  function officeError(code: number, name: string, message: string): any {
    const e: any = new Error(message);
    Object.defineProperty(e, "name", { value: name, enumerable: true, writable: true });
    Object.defineProperty(e, "message", { value: message, enumerable: true, writable: true });
    e.code = code;
    return e;
  }
  const framed = !!g && hooks && hooks.runtime !== "js" && g.parent && g.parent !== g;
  const pending: Record<number, (r: any) => void> = {};
  let next = 0;

  if (framed) {
    const listeners: Array<(m: string) => void> = [];
    g.nestedAppAuthBridge = {
      postMessage(message: string) {
        g.parent.postMessage({ outpostNaa: 1, payload: String(message) }, "*");
      },
      addEventListener(name: string, cb: (m: string) => void) {
        if (name === "message" && typeof cb === "function") listeners.push(cb);
      },
      removeEventListener(name: string, cb: (m: string) => void) {
        const i = listeners.indexOf(cb);
        if (name === "message" && i >= 0) listeners.splice(i, 1);
      },
    };
    g.addEventListener("message", (e: any) => {
      const d = e.data;
      if (e.source !== g.parent || !d || d.outpostNaa !== 1) return;
      if (typeof d.payload === "string") {
        for (const cb of listeners.slice()) {
          try {
            cb(d.payload);
          } catch (err: any) {
            if (hooks.onError) hooks.onError(err && err.message ? String(err.message) : String(err), err && err.stack);
          }
        }
      } else if (d.ssoReply && pending[d.ssoReply.id]) {
        const done = pending[d.ssoReply.id]!;
        delete pending[d.ssoReply.id];
        done(d.ssoReply);
      }
    });
  }

  function getAccessToken(_options?: any): Promise<string> {
    if (!framed) return Promise.reject(officeError(13012, "Not Supported Here", "getAccessToken is not supported in this runtime."));
    return new Promise((resolve, reject) => {
      const id = ++next;
      pending[id] = (r: any) => (r.ok && typeof r.token === "string" ? resolve(r.token) : reject(officeError(Number(r.error && r.error.code) || 13007, String((r.error && r.error.name) || "Token Unavailable"), String((r.error && r.error.message) || "No token."))));
      g.parent.postMessage({ outpostNaa: 1, sso: { id: id } }, "*");
    });
  }

  function getAccessTokenAsync(...args: any[]): void {
    let options: any;
    let callback: any;
    for (const a of args) {
      if (typeof a === "function") callback = a;
      else if (a && typeof a === "object") options = a;
    }
    const asyncContext = options ? options.asyncContext : undefined;
    getAccessToken(options).then(
      (token) => callback && callback({ status: "succeeded", value: token, asyncContext: asyncContext }),
      (error) => callback && callback({ status: "failed", value: undefined, error: error, asyncContext: asyncContext }),
    );
  }

  // NestedAppAuth 1.1 and IdentityAPI 1.3 where the host broker answers (a page in the browser runtime). The bootstrap
  // sets Office.context.requirements later; the answer for these two sets is added to whatever it installs.
  const extra: Record<string, number> = framed ? { nestedappauth: 1.1, identityapi: 1.3 } : {};
  let requirements: any = Office.context && Office.context.requirements;
  const wrap = (r: any) =>
    r && {
      ...r,
      isSetSupported(name: string, version?: string | number) {
        const max = extra[String(name).toLowerCase()];
        if (max !== undefined) return Number(version === undefined ? "1.1" : version) <= max;
        return r.isSetSupported(name, version);
      },
    };
  Office.context = Office.context || {};
  Object.defineProperty(Office.context, "requirements", {
    configurable: true,
    enumerable: true,
    get: () => requirements,
    set: (v: any) => {
      requirements = wrap(v);
    },
  });
  requirements = wrap(requirements);

  Office.auth = Office.auth || {};
  Office.auth.getAccessToken = getAccessToken;
  Office.context.auth = Office.context.auth || {};
  Office.context.auth.getAccessToken = getAccessToken;
  Office.context.auth.getAccessTokenAsync = getAccessTokenAsync;
}
