/**
 * OData query options of Graph message lists: $top, $skip, $orderby, $select and $filter on the common fields.
 * $filter grammar (a subset of OData 4): comparisons `<property> eq|ne|gt|ge|lt|le <literal>` joined by `and`/`or`,
 * optionally parenthesized, `not`; literals true/false/null, 'string' ('' escapes a quote), numbers and ISO dates;
 * also startswith(subject,'…') and contains(subject,'…'). Properties name Graph JSON paths (from/emailAddress/address).
 */
import type { ItemOrder } from "../mailbox/index.ts";
import { messageSummaryJson } from "./json.ts";

export class QueryError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "QueryError";
  }
}

export interface GraphListQuery {
  top: number;
  skip: number;
  orderBy: ItemOrder;
  descending: boolean;
  select: string[] | undefined;
  filter: Predicate | undefined;
}
export type GraphListQueryString = { $top?: string; $skip?: string; $orderby?: string; $select?: string; $filter?: string };
export type Predicate = (m: Record<string, unknown>) => boolean;

const ORDERABLE: Record<string, ItemOrder> = {
  receiveddatetime: "receivedAt",
  sentdatetime: "sentAt",
  createddatetime: "createdAt",
  lastmodifieddatetime: "modifiedAt",
  subject: "subject",
  importance: "importance",
};
const SUMMARY_KEYS = Object.keys(messageSummaryJson({ importance: "Normal" } as never)).filter((k) => !k.startsWith("@"));
const SELECTABLE = new Map(
  [...SUMMARY_KEYS, "body", "categories", "sender", "toRecipients", "ccRecipients", "bccRecipients", "replyTo", "flag"].map((k) => [k.toLowerCase(), k]),
);
const FILTERABLE = new Set(["isread", "hasattachments", "importance", "subject", "receiveddatetime", "sentdatetime", "createddatetime", "lastmodifieddatetime", "isdraft", "conversationid", "internetmessageid", "parentfolderid", "from/emailaddress/address", "from/emailaddress/name"]);

const bad = (message: string) => new QueryError("BadRequest", message);

/** Graph defaults for message lists: 10 per page, newest received first; $top at most 1000. */
export function parseGraphListQuery(q: GraphListQueryString): GraphListQuery {
  const int = (v: string | undefined, name: string, dflt: number, min: number, max: number) => {
    if (v === undefined) return dflt;
    if (!/^\d{1,9}$/.test(v.trim())) throw bad(`Invalid value '${v.slice(0, 50)}' for query option ${name}: a non-negative integer is expected.`);
    return Math.min(Math.max(Number(v), min), max);
  };
  let orderBy: ItemOrder = "receivedAt";
  let descending = true;
  if (q.$orderby !== undefined) {
    const m = /^\s*([A-Za-z]+)(?:\s+(asc|desc))?\s*$/i.exec(q.$orderby);
    const key = m && ORDERABLE[m[1]!.toLowerCase()];
    if (!m || !key) throw bad(`$orderby: unsupported ordering '${q.$orderby.slice(0, 100)}' (receivedDateTime, sentDateTime, createdDateTime, lastModifiedDateTime, subject or importance, then asc or desc).`);
    orderBy = key;
    descending = (m[2] ?? "asc").toLowerCase() === "desc";
  }
  let select: string[] | undefined;
  if (q.$select !== undefined) {
    select = [];
    for (const raw of q.$select.split(",")) {
      const name = SELECTABLE.get(raw.trim().toLowerCase());
      if (!name) throw bad(`Could not find a property named '${raw.trim().slice(0, 100)}' on type 'microsoft.graph.message'.`);
      if (!select.includes(name)) select.push(name);
    }
  }
  const filter = q.$filter !== undefined ? parseFilter(q.$filter) : undefined;
  return { top: int(q.$top, "$top", 10, 1, 1000), skip: int(q.$skip, "$skip", 0, 0, 1_000_000), orderBy, descending, select, filter };
}

export function project(value: Record<string, unknown>, select: string[] | undefined): Record<string, unknown> {
  if (!select) return value;
  const out: Record<string, unknown> = { "@odata.etag": value["@odata.etag"], id: value.id };
  for (const k of select) if (k in value) out[k] = value[k];
  return out;
}

export function nextLink(base: string, q: GraphListQueryString, parsed: GraphListQuery): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && k !== "$skip" && k !== "$top") params.set(k, v);
  params.set("$top", String(parsed.top));
  params.set("$skip", String(parsed.skip + parsed.top));
  return `${base}?${params.toString().replace(/%24/g, "$")}`;
}

// ── $filter ────────────────────────────────────────────────────────────────────────────────────────

type Tok = { t: "id" | "str" | "num" | "date" | "op" | "lp" | "rp" | "comma" | "kw"; v: string };

function tokenize(src: string): Tok[] {
  if (src.length > 2000) throw bad("$filter is too long (at most 2,000 characters).");
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === " " || c === "\t") {
      i++;
      continue;
    }
    if (c === "(") (out.push({ t: "lp", v: c }), i++);
    else if (c === ")") (out.push({ t: "rp", v: c }), i++);
    else if (c === ",") (out.push({ t: "comma", v: c }), i++);
    else if (c === "'") {
      let s = "";
      i++;
      for (;;) {
        if (i >= src.length) throw bad("$filter: unterminated string literal.");
        if (src[i] === "'") {
          if (src[i + 1] === "'") {
            s += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        s += src[i++];
      }
      out.push({ t: "str", v: s });
    } else {
      const m = /^(\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)?)|^(-?\d+(?:\.\d+)?)|^([A-Za-z_][A-Za-z0-9_/]*)/.exec(src.slice(i));
      if (!m) throw bad(`$filter: unexpected '${src.slice(i, i + 20)}' at position ${i}.`);
      if (m[1]) out.push({ t: "date", v: m[1] });
      else if (m[2]) out.push({ t: "num", v: m[2] });
      else {
        const w = m[3]!;
        const lw = w.toLowerCase();
        if (["eq", "ne", "gt", "ge", "lt", "le"].includes(lw)) out.push({ t: "op", v: lw });
        else if (["and", "or", "not"].includes(lw)) out.push({ t: "kw", v: lw });
        else out.push({ t: "id", v: w });
      }
      i += m[0].length;
    }
  }
  return out;
}

function get(m: Record<string, unknown>, path: string): unknown {
  let v: unknown = m;
  for (const seg of path.split("/")) {
    if (v === null || typeof v !== "object") return undefined;
    const key = Object.keys(v).find((k) => k.toLowerCase() === seg.toLowerCase());
    v = key === undefined ? undefined : (v as Record<string, unknown>)[key];
  }
  return v;
}

export function parseFilter(src: string): Predicate {
  const toks = tokenize(src);
  let p = 0;
  const peek = () => toks[p];
  const take = (t?: Tok["t"]) => {
    const tok = toks[p];
    if (!tok || (t && tok.t !== t)) throw bad(`$filter: syntax error at '${tok?.v ?? "end of input"}' in '${src.slice(0, 200)}'.`);
    p++;
    return tok;
  };
  const literal = (): unknown => {
    const tok = take();
    if (tok.t === "str") return tok.v;
    if (tok.t === "num") return Number(tok.v);
    if (tok.t === "date") {
      const d = new Date(tok.v);
      if (Number.isNaN(d.getTime())) throw bad(`$filter: '${tok.v}' is not a valid date.`);
      return d.getTime();
    }
    if (tok.t === "id" && ["true", "false", "null"].includes(tok.v.toLowerCase())) return tok.v.toLowerCase() === "null" ? null : tok.v.toLowerCase() === "true";
    throw bad(`$filter: a literal was expected, found '${tok.v}'.`);
  };
  const property = (): string => {
    const tok = take("id");
    if (!FILTERABLE.has(tok.v.toLowerCase())) throw new QueryError("ErrorInvalidProperty", `$filter: the property '${tok.v.slice(0, 100)}' cannot be filtered on.`);
    return tok.v;
  };
  const norm = (v: unknown): unknown => {
    if (typeof v === "string" && /^\d{4}-\d{2}-\d{2}T/.test(v)) return new Date(v).getTime();
    if (typeof v === "string") return v.toLowerCase();
    return v;
  };
  const primary = (): Predicate => {
    const tok = peek();
    if (tok?.t === "kw" && tok.v === "not") {
      take();
      const inner = primary();
      return (m) => !inner(m);
    }
    if (tok?.t === "lp") {
      take();
      const inner = or();
      take("rp");
      return inner;
    }
    if (tok?.t === "id" && ["startswith", "contains", "endswith"].includes(tok.v.toLowerCase()) && toks[p + 1]?.t === "lp") {
      const fn = take().v.toLowerCase();
      take("lp");
      const prop = property();
      take("comma");
      const lit = literal();
      take("rp");
      if (typeof lit !== "string") throw bad(`$filter: ${fn} needs a string.`);
      const needle = lit.toLowerCase();
      return (m) => {
        const v = String(get(m, prop) ?? "").toLowerCase();
        return fn === "startswith" ? v.startsWith(needle) : fn === "endswith" ? v.endsWith(needle) : v.includes(needle);
      };
    }
    const prop = property();
    const op = take("op").v;
    const lit = norm(literal());
    return (m) => {
      const v = norm(get(m, prop));
      switch (op) {
        case "eq":
          return v === lit;
        case "ne":
          return v !== lit;
        default: {
          if (v === null || v === undefined || lit === null) return false;
          const a = v as number | string;
          const b = lit as number | string;
          return op === "gt" ? a > b : op === "ge" ? a >= b : op === "lt" ? a < b : a <= b;
        }
      }
    };
  };
  const and = (): Predicate => {
    let left = primary();
    while (peek()?.t === "kw" && peek()!.v === "and") {
      take();
      const l = left;
      const r = primary();
      left = (m) => l(m) && r(m);
    }
    return left;
  };
  const or = (): Predicate => {
    let left = and();
    while (peek()?.t === "kw" && peek()!.v === "or") {
      take();
      const l = left;
      const r = and();
      left = (m) => l(m) || r(m);
    }
    return left;
  };
  const pred = or();
  if (p !== toks.length) throw bad(`$filter: unexpected '${toks[p]!.v}' in '${src.slice(0, 200)}'.`);
  return pred;
}
