/**
 * HTML → plain text as Outlook's BodyAsPlaintext shows an HTML body: tags dropped, block ends become
 * line breaks, character references decoded, script/style content removed. One linear pass with
 * indexOf (no backtracking regex over untrusted megabytes).
 */

const BLOCK_TAGS = new Set([
  "p", "div", "br", "tr", "li", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6",
  "blockquote", "pre", "hr", "section", "article", "header", "footer", "title", "dd", "dt",
]);
const SKIP_CONTENT = new Set(["script", "style", "head", "template"]);
const CELL_TAGS = new Set(["td", "th"]);

const NAMED: Record<string, string> = {
  amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0", copy: "©", reg: "®",
  trade: "™", hellip: "…", mdash: "—", ndash: "–", rsquo: "’", lsquo: "‘", rdquo: "”",
  ldquo: "“", bull: "•", middot: "·", euro: "€", pound: "£", yen: "¥", cent: "¢", shy: "",
  zwnj: "", zwj: "", laquo: "«", raquo: "»", deg: "°", times: "×",
};

export function decodeEntities(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z][a-z0-9]{1,31});/gi, (whole, ref: string) => {
    if (ref[0] === "#") {
      const code = ref[1] === "x" || ref[1] === "X" ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      if (!Number.isFinite(code) || code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return "\ufffd";
      return String.fromCodePoint(code);
    }
    const named = NAMED[ref.toLowerCase()];
    return named ?? whole;
  });
}

function tagName(tag: string): string {
  let i = tag[0] === "/" ? 1 : 0;
  let name = "";
  for (; i < tag.length; i++) {
    const c = tag[i];
    if (c === " " || c === "/" || c === "\t" || c === "\n" || c === "\r" || c === ">") break;
    name += c;
  }
  return name.toLowerCase();
}

export function htmlToText(html: string): string {
  const out: string[] = [];
  let i = 0;
  let skipUntil: string | undefined;
  while (i < html.length) {
    const lt = html.indexOf("<", i);
    if (lt < 0) {
      if (!skipUntil) out.push(html.slice(i));
      break;
    }
    if (!skipUntil && lt > i) out.push(html.slice(i, lt));
    if (html.startsWith("<!--", lt)) {
      const end = html.indexOf("-->", lt + 4);
      i = end < 0 ? html.length : end + 3;
      continue;
    }
    const gt = html.indexOf(">", lt + 1);
    if (gt < 0) {
      if (!skipUntil) out.push(html.slice(lt));
      break;
    }
    const inner = html.slice(lt + 1, gt);
    const name = tagName(inner);
    const closing = inner[0] === "/";
    if (skipUntil) {
      if (closing && name === skipUntil) skipUntil = undefined;
    } else if (!closing && SKIP_CONTENT.has(name) && !inner.endsWith("/")) {
      skipUntil = name;
    } else if (BLOCK_TAGS.has(name)) {
      out.push("\n");
    } else if (CELL_TAGS.has(name) && closing) {
      out.push("\t");
    }
    i = gt + 1;
  }
  return decodeEntities(out.join(""))
    .replace(/[ \t\u00a0]+\n/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
