/**
 * Office.context.ui.displayDialogAsync's checks, with Office's error codes (Office dialog API docs):
 * 12003/12005 HTTP where HTTPS is required · 12004 a domain that is neither the add-in's nor in its AppDomains ·
 * 12007 a dialog is already open from this page · 12002 the URL cannot be parsed.
 */

export const DIALOG_ERRORS = {
  12002: "The URL passed to displayDialogAsync cannot be opened.",
  12004: "The domain of the URL passed to displayDialogAsync isn't trusted. The domain must be the same domain as the host page (including protocol and port number).",
  12005: "The URL passed to displayDialogAsync uses the HTTP protocol. HTTPS is required.",
  12006: "The dialog box was closed, usually because the user chose the Close button X.",
  12007: "A dialog box is already opened from this host window. A host window, such as a task pane, can only have one dialog box open at a time.",
} as const;

export type DialogErrorCode = keyof typeof DIALOG_ERRORS;

/** Returns the code refusing the dialog, or the dialog page's absolute URL. */
export function checkDialogUrl(url: unknown, addinOrigin: string, appDomains: readonly string[]): { url: string } | { code: DialogErrorCode } {
  if (typeof url !== "string" || url.length === 0 || url.length > 2048) return { code: 12002 };
  let u: URL;
  try {
    u = new URL(url, `${addinOrigin}/`);
  } catch {
    return { code: 12002 };
  }
  const ownHttps = addinOrigin.startsWith("https:");
  // HTTPS is required, except when the add-in itself is served over plain HTTP (a loopback development origin).
  if (u.protocol === "http:" && ownHttps) return { code: 12005 };
  if (u.protocol !== "https:" && u.protocol !== "http:") return { code: 12002 };
  if (u.origin === addinOrigin) return { url: u.href };
  for (const d of appDomains) {
    const allowed = domainOrigin(d);
    if (allowed && (allowed === u.origin || (allowed.startsWith("*.") && u.hostname.endsWith(allowed.slice(1))))) return { url: u.href };
  }
  return { code: 12004 };
}

function domainOrigin(d: string): string | null {
  if (d.startsWith("*.")) return d.toLowerCase();
  try {
    return new URL(/^[a-z]+:\/\//i.test(d) ? d : `https://${d}`).origin;
  } catch {
    return null;
  }
}
