/**
 * HTML mail made safe to show: sanitize-html with a closed list of tags, attributes, URL schemes and CSS
 * properties, then rendered in the client's sandboxed frame (no scripts, no same origin) under a CSP of its own
 * (mailFrameCsp). Two layers, so a sanitizer gap alone does not run script or fetch remote content.
 *
 * - scripts, event handlers, forms, frames, objects, SVG/MathML, <style>, <link>, <meta>, <base>: dropped;
 * - links: http(s)/mailto only, opened in a new browsing context without opener or referrer;
 * - CSS: a few presentational properties, values without url(), expression(), @import or escapes (no exfiltration);
 * - images: `cid:` parts inlined as data: URLs from the message's own attachments; `data:` images only when they
 *   are raster types and small; remote images removed (counted) until the user allows them.
 */
import sanitizeHtml from "sanitize-html";

/** Largest single inline image shown (bytes of decoded data); larger ones become a placeholder. */
export const INLINE_IMAGE_MAX_BYTES = 512 * 1024;
/** All inline images of one message together. */
export const INLINE_IMAGES_TOTAL_MAX_BYTES = 4 * 1024 * 1024;

export interface InlinePart {
  contentId: string;
  contentType: string;
  /** Loads the part's bytes (only called for parts the body references). */
  load(): Promise<Uint8Array>;
  size: number;
}

export interface SafeMail {
  html: string;
  /** Remote images removed (or kept, when allowed). */
  remoteImages: number;
  /** Inline images replaced by a placeholder because they were too large or not an image. */
  droppedImages: number;
}

const RASTER = /^image\/(png|jpe?g|gif|webp|bmp)$/i;
const SAFE_CSS_VALUE = /^(?!.*(?:url\s*\(|expression\s*\(|@import|\\|javascript:|behavior|-moz-binding|image-set|var\s*\())[#%,.\w\s()"'+-]{0,200}$/i;
const STYLE_PROPS = [
  "color", "background-color", "font-family", "font-size", "font-weight", "font-style", "text-align", "text-decoration",
  "line-height", "margin", "margin-left", "margin-right", "margin-top", "margin-bottom", "padding", "padding-left",
  "padding-right", "padding-top", "padding-bottom", "border", "border-collapse", "border-color", "border-style",
  "border-width", "width", "max-width", "height", "vertical-align", "white-space", "list-style-type", "display",
];

const TAGS = [
  "a", "abbr", "b", "blockquote", "br", "caption", "center", "cite", "code", "col", "colgroup", "dd", "del", "div", "dl", "dt",
  "em", "font", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s",
  "small", "span", "strike", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "tt", "u", "ul",
];

function decodedSize(dataUrl: string): number {
  const comma = dataUrl.indexOf(",");
  const payload = comma < 0 ? "" : dataUrl.slice(comma + 1);
  return /;base64,/i.test(dataUrl.slice(0, comma + 1)) ? Math.floor((payload.replace(/\s/g, "").length * 3) / 4) : payload.length;
}

/** Sanitizes one message body. `allowRemoteImages`: the user chose to load them for this message. */
export async function safeMailHtml(html: string, options: { parts?: InlinePart[]; allowRemoteImages?: boolean; highlights?: string[] } = {}): Promise<SafeMail> {
  let remoteImages = 0;
  let droppedImages = 0;
  let inlineTotal = 0;
  // cid: images are resolved before sanitizing (async), then kept as data: URLs by the img filter below.
  const cids = new Map<string, string>();
  for (const part of options.parts ?? []) {
    const id = part.contentId.replace(/^<|>$/g, "").toLowerCase();
    if (!html.toLowerCase().includes(`cid:${id}`)) continue;
    if (!RASTER.test(part.contentType) || part.size > INLINE_IMAGE_MAX_BYTES || inlineTotal + part.size > INLINE_IMAGES_TOTAL_MAX_BYTES) continue;
    inlineTotal += part.size;
    cids.set(id, `data:${part.contentType.toLowerCase()};base64,${Buffer.from(await part.load()).toString("base64")}`);
  }

  const placeholder = (alt: string) => ({ tagName: "span", attribs: { class: "outpost-image-removed", title: "image removed" }, text: `[image${alt ? `: ${alt.slice(0, 80)}` : ""}]` });

  const clean = sanitizeHtml(html, {
    allowedTags: TAGS,
    disallowedTagsMode: "discard",
    nonTextTags: ["style", "script", "textarea", "option", "noscript", "title", "head", "template", "xmp", "iframe", "object", "svg", "math"],
    allowedAttributes: {
      a: ["href", "title", "name", "target", "rel"],
      img: ["src", "alt", "width", "height", "title", "referrerpolicy"],
      td: ["colspan", "rowspan", "align", "valign", "width", "bgcolor"],
      th: ["colspan", "rowspan", "align", "valign", "width", "bgcolor"],
      table: ["width", "border", "cellpadding", "cellspacing", "align", "bgcolor"],
      font: ["color", "size", "face"],
      span: ["class", "title"],
      ol: ["start", "type"],
      "*": ["style", "dir", "lang", "align"],
    },
    allowedSchemes: ["http", "https", "mailto"],
    allowedSchemesByTag: { img: ["http", "https", "data", "cid"] },
    allowedSchemesAppliedToAttributes: ["href", "src"],
    allowProtocolRelative: false,
    allowedStyles: { "*": Object.fromEntries(STYLE_PROPS.map((p) => [p, [SAFE_CSS_VALUE]])) },
    parseStyleAttributes: true,
    transformTags: {
      a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, target: "_blank", rel: "noopener noreferrer nofollow" } }),
      img: (tagName, attribs) => {
        const src = (attribs.src ?? "").trim();
        const alt = attribs.alt ?? "";
        if (/^cid:/i.test(src)) {
          const data = cids.get(decodeURIComponent(src.slice(4)).replace(/^<|>$/g, "").toLowerCase());
          if (!data) {
            droppedImages++;
            return placeholder(alt);
          }
          return { tagName, attribs: { ...attribs, src: data } };
        }
        if (/^data:/i.test(src)) {
          const type = /^data:([^;,]+)/i.exec(src)?.[1] ?? "";
          if (!RASTER.test(type) || decodedSize(src) > INLINE_IMAGE_MAX_BYTES || (inlineTotal += decodedSize(src)) > INLINE_IMAGES_TOTAL_MAX_BYTES) {
            droppedImages++;
            return placeholder(alt);
          }
          return { tagName, attribs };
        }
        if (/^https?:\/\//i.test(src)) {
          remoteImages++;
          if (options.allowRemoteImages) return { tagName, attribs: { ...attribs, referrerpolicy: "no-referrer" } };
          return placeholder(alt);
        }
        droppedImages++;
        return placeholder(alt);
      },
    },
    exclusiveFilter: (frame) => frame.tag === "img" && !frame.attribs.src,
    // sanitize-html hands the text already escaped and inserts the result as is: marks wrap escaped matches only.
    ...(options.highlights?.length ? { textFilter: (text: string) => highlightEscaped(text, options.highlights!) } : {}),
  });
  return { html: clean, remoteImages, droppedImages };
}

/** Wraps each occurrence of the (escaped) match strings in a mark; longest first so overlaps favour them. */
export function highlightEscaped(escapedText: string, matches: string[]): string {
  const wanted = [...new Set(matches.filter((m) => m.length >= 2).map((m) => m.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;")))].sort((a, b) => b.length - a.length).slice(0, 200);
  if (!wanted.length) return escapedText;
  const re = new RegExp(wanted.map((m) => m.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "g");
  return escapedText.replace(re, (m) => `<mark class="outpost-hl">${m}</mark>`);
}

/** The mail frame's policy: nothing runs, nothing loads except inline images (and remote ones once allowed). */
export function mailFrameCsp(allowRemoteImages: boolean): string {
  return [
    "sandbox allow-popups allow-popups-to-escape-sandbox",
    "default-src 'none'",
    `img-src data:${allowRemoteImages ? " https: http:" : ""}`,
    "style-src 'unsafe-inline'",
    "form-action 'none'",
    "base-uri 'none'",
    "frame-ancestors 'self'",
  ].join("; ");
}

/** A complete document for the mail frame. */
export function mailFrameDocument(body: string, plain: boolean): string {
  const content = plain ? `<pre class="plain">${escapeHtml(body)}</pre>` : body;
  return `<!doctype html><html><head><meta charset="utf-8"><meta name="referrer" content="no-referrer"><style>
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1b1b1b;margin:12px;word-wrap:break-word}
pre.plain{white-space:pre-wrap;font:inherit}img{max-width:100%;height:auto}
.outpost-image-removed{display:inline-block;padding:2px 6px;border:1px dashed #999;color:#555;font-size:12px}
mark.outpost-hl{background:#fff3a0;border-bottom:2px solid #c90}
</style></head><body>${content}</body></html>`;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
