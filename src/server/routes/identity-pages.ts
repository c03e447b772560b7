/** The identity provider's own pages (sign-in, consent, result): plain HTML, no script but a nonce'd one-liner. */
import { scopeDef } from "../../identity/index.ts";

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

const STYLE = `body{font:15px system-ui,sans-serif;max-width:34em;margin:2em auto;padding:0 1em;color:#222}h1{font-size:1.3em}li{margin:.4em 0}
button{font:inherit;padding:.4em 1.2em;margin-right:.6em}.muted{color:#666;font-size:.9em}`;

function page(title: string, body: string, nonce?: string, script?: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title><style>${STYLE}</style></head><body>${body}${
    script && nonce ? `<script nonce="${nonce}">${script}</script>` : ""
  }</body></html>`;
}

export function pageHeaders(nonce?: string): Record<string, string> {
  return {
    "content-type": "text/html; charset=utf-8",
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    "x-frame-options": "SAMEORIGIN",
    // Same-origin form posts must carry their Origin (no-referrer makes it "null", which cross-site checks refuse).
    "referrer-policy": "same-origin",
    // Framable by Outpost's own pages only (the host's consent dialog): an add-in cannot frame and click-jack it.
    "content-security-policy": `default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'self'; base-uri 'none'${nonce ? `; script-src 'nonce-${nonce}'` : ""}`,
  };
}

export function consentPage(input: { appName: string; publisher: string; scopes: string[]; admin: boolean; action: string; hidden: Record<string, string>; userEmail: string }): string {
  const items = input.scopes
    .map((s) => {
      const d = scopeDef(s);
      return `<li><strong>${esc(s)}</strong>: ${esc(d ? (input.admin ? d.adminText : d.userText) : s)}</li>`;
    })
    .join("");
  const hidden = Object.entries(input.hidden)
    .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`)
    .join("");
  return page(
    "Permissions requested",
    `<h1>${esc(input.appName)} wants to:</h1><ul>${items}</ul>
<p class="muted">${input.admin ? "You are consenting for everyone in your organisation." : `Signed in as ${esc(input.userEmail)}. Only you are affected.`}
${input.publisher ? ` Published by ${esc(input.publisher)}.` : ""} You can withdraw this at any time (outpost identity revoke, or the add-in's settings).</p>
<form method="post" action="${esc(input.action)}">${hidden}<button name="decision" value="accept" id="accept">Accept</button><button name="decision" value="cancel" id="cancel">Cancel</button></form>`,
  );
}

export function signInPage(input: { action: string; hidden: Record<string, string>; error?: string }): string {
  const hidden = Object.entries(input.hidden)
    .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`)
    .join("");
  return page(
    "Sign in to Outpost",
    `<h1>Sign in to Outpost</h1>${input.error ? `<p role="alert">${esc(input.error)}</p>` : ""}
<form method="post" action="${esc(input.action)}">${hidden}<p><label>Email <input name="email" type="email" autocomplete="username"></label></p>
<p><label>Password <input name="password" type="password" autocomplete="current-password"></label></p><button id="sign-in">Sign in</button></form>`,
  );
}

export function errorPage(title: string, message: string): string {
  return page(title, `<h1>${esc(title)}</h1><p>${esc(message)}</p>`);
}

/** Tells the opener (the host's consent dialog) the outcome; the host checks origin and source. */
export function dialogResultPage(outcome: "accepted" | "cancelled", nonce: string): string {
  return page(
    outcome === "accepted" ? "Permissions granted" : "Cancelled",
    `<p>${outcome === "accepted" ? "Permissions granted. You can close this window." : "Nothing was granted."}</p>`,
    nonce,
    `parent.postMessage({ outpostConsent: 1, outcome: ${JSON.stringify(outcome)} }, location.origin);`,
  );
}
