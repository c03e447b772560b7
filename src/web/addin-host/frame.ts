/**
 * The add-in's frame: a sandboxed, cross-origin iframe. Every flag is a decision:
 *
 * - allow-scripts — add-ins are scripts.
 * - allow-same-origin — gives the frame its OWN origin (the add-in origin, another host:port), so localStorage,
 *   cookies and same-origin fetch to the add-in's backend work as in Outlook. It is only safe because that origin is
 *   never the host page's: `createFrame` refuses an add-in URL on the host page's origin (the frame could otherwise
 *   reach into the host page and take the session key).
 * - allow-forms — add-ins post sign-in and settings forms.
 * - allow-popups + allow-popups-to-escape-sandbox — window.open for sign-in and help pages; the opened page is
 *   another site's top-level page and must work unsandboxed (an identity provider's page breaks in a sandbox).
 * Not granted: allow-top-navigation* (the frame must not navigate the host page away), allow-modals (a blocking
 * alert() would freeze the host page; Outlook does not support alert/confirm/prompt in add-ins either),
 * allow-downloads, allow-pointer-lock, allow-presentation, allow-storage-access-by-user-activation.
 * The `allow` attribute grants no powerful feature (camera, microphone, geolocation, clipboard-read…).
 */

export const SANDBOX_FLAGS = ["allow-scripts", "allow-same-origin", "allow-forms", "allow-popups", "allow-popups-to-escape-sandbox"] as const;

export class FrameOriginError extends Error {}

export interface CreateFrameOptions {
  url: string;
  hidden?: boolean;
  title?: string;
  /** The host page's origin (default: location.origin); the add-in's must differ. */
  hostOrigin?: string;
}

export function addinOrigin(url: string, base?: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url, base ?? globalThis.location?.href);
  } catch {
    throw new FrameOriginError(`The add-in URL ${url} is not a valid URL.`);
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") throw new FrameOriginError(`The add-in URL ${url} must be http(s).`);
  return parsed.origin;
}

export function createFrame(container: HTMLElement, options: CreateFrameOptions): { iframe: HTMLIFrameElement; origin: string } {
  const hostOrigin = options.hostOrigin ?? globalThis.location.origin;
  const origin = addinOrigin(options.url);
  if (origin === hostOrigin)
    throw new FrameOriginError(`The add-in page ${options.url} is on the host page's own origin (${hostOrigin}); add-ins must be served from a separate origin (the add-in origin server).`);
  const doc = container.ownerDocument;
  const iframe = doc.createElement("iframe");
  iframe.setAttribute("sandbox", SANDBOX_FLAGS.join(" "));
  iframe.setAttribute("allow", "");
  iframe.setAttribute("referrerpolicy", "origin");
  iframe.setAttribute("title", options.title ?? "Add-in");
  iframe.dataset.outpostAddin = origin;
  if (options.hidden) {
    iframe.setAttribute("aria-hidden", "true");
    iframe.style.cssText = "display:none";
  } else {
    iframe.style.cssText = "border:0;width:100%;height:100%";
  }
  iframe.src = new URL(options.url, globalThis.location?.href).href;
  container.appendChild(iframe);
  return { iframe, origin };
}
