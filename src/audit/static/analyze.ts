/**
 * Static analysis of an add-in's code with the TypeScript compiler API: one program over every unit (so imports
 * and globals shared between a page's scripts resolve), then one walk that records each Office.js member the code
 * reaches, each REST/EWS request sent with a legacy token, and each member reached through a name it cannot compute.
 */
import ts from "typescript";
import { allMembers } from "../../permissions/index.ts";
import type { CodeUnit } from "../sources.ts";
import type { Guard, SourceLocation } from "../types.ts";
import { isFunctionLike, ValueAnalysis, type EventNames, type Val } from "./values.ts";

export interface StaticUse {
  path: string;
  kind: "call" | "read";
  location: SourceLocation;
  guard?: Guard;
  /** Literal arguments that change the tier or the evidence. */
  args?: { entityType?: string; isRest?: boolean; ewsBodies?: string[]; ewsUnresolved?: boolean; completedKeys?: string[] };
}

export interface RestRequest {
  method: string;
  url: string;
  api: "rest" | "ews" | "graph" | "outlook";
  currentItem: boolean;
  token?: "callback" | "identity";
  location: SourceLocation;
  guard?: Guard;
  /** SOAP body of an EWS POST, when the code spells it. */
  body?: string;
}

/** A Microsoft Graph request sent without a legacy token (NAA/SSO token): judged by Graph scopes, not the tier. */
export interface GraphRequest {
  method: string;
  url: string;
  location: SourceLocation;
  guard?: Guard;
  /** How it was sent: fetch/XHR/jQuery/axios, or the Graph JavaScript SDK's `client.api(path).verb()`. */
  via: "http" | "sdk";
}

/** Scopes the code asks MSAL for (`acquireTokenSilent({ scopes })` and the like). */
export interface ScopeRequest {
  method: string;
  scopes: string[];
  /** Some entries are not literal strings. */
  unresolved: boolean;
  location: SourceLocation;
}

export interface UnresolvedAccess {
  base: string;
  expression: string;
  location: SourceLocation;
}

export interface StaticResult {
  uses: StaticUse[];
  requests: RestRequest[];
  graph: GraphRequest[];
  scopeRequests: ScopeRequest[];
  unresolved: UnresolvedAccess[];
  /** True when the value analysis hit its work budget: some values were not followed to the end. */
  incomplete?: boolean;
  /** Syntax errors TypeScript reports per unit (the rest of the file is still audited). */
  syntaxErrors: { location: SourceLocation; message: string }[];
}

const HTTP_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);
const OUTLOOK_HOSTS = ["outlook.office.com/api", "outlook.office365.com/api", "/api/v2.0/", "/api/beta/"];
const GRAPH_HOST = "graph.microsoft.com";
const JQUERY_NAMES = new Set(["$", "jQuery"]);
const AXIOS_METHODS = new Set(["get", "post", "put", "patch", "delete", "head", "request"]);
/** A Graph path on any host (Outpost's Graph base is a setting): `/v1.0/me…`, `/beta/users/{id}…`. */
const GRAPH_PATH = /\/(?:v1\.0|beta)\/(?:me(?:[/?]|$)|users\/)/;
/** Graph JavaScript SDK: `client.api(path)[.select(…)…].get()`; the verb names the HTTP method. */
const GRAPH_SDK_VERBS: Readonly<Record<string, string>> = { get: "GET", getStream: "GET", post: "POST", create: "POST", patch: "PATCH", update: "PATCH", put: "PUT", putStream: "PUT", delete: "DELETE", del: "DELETE" };
/** MSAL.js methods that take `{ scopes }` (nested app authentication or a standalone client). */
const MSAL_TOKEN_METHODS = new Set(["acquireTokenSilent", "acquireTokenPopup", "acquireTokenRedirect", "acquireTokenByCode", "ssoSilent", "loginPopup", "loginRedirect"]);

/**
 * Every name an Office.js path spells (from the permission table), plus `value` (an async result's). In a large file
 * (a bundle: library code around the add-in's) only member chains that spell one of them, or start at `Office`, are
 * followed: 1,589 of a 5 MB bundle's 43,758 member chains. A chain of names Office.js does not have (`mbx.foo` with
 * `mbx` an alias of the mailbox) is then not reported as an unknown member there.
 */
const OFFICE_NAMES = new Set(["Office", "value", ...allMembers().flatMap((m) => m.path.split(".").map((seg) => seg.replace(/\[\]$/, "")))]);
export const LARGE_UNIT_CHARS = 256 * 1024;

function spellsOfficeName(node: ts.Expression): boolean {
  let e = node;
  for (let depth = 0; depth < 64; depth++) {
    e = unwrapExpr(e);
    if (ts.isPropertyAccessExpression(e)) {
      if (OFFICE_NAMES.has(e.name.text)) return true;
      e = e.expression;
    } else if (ts.isElementAccessExpression(e)) {
      if (ts.isStringLiteralLike(e.argumentExpression) && OFFICE_NAMES.has(e.argumentExpression.text)) return true;
      e = e.expression;
    } else if (ts.isCallExpression(e)) e = e.expression;
    else return ts.isIdentifier(e) && e.text !== "value" && OFFICE_NAMES.has(e.text);
  }
  return false;
}

function scriptKind(name: string): ts.ScriptKind {
  const lower = name.toLowerCase();
  if (lower.endsWith(".tsx")) return ts.ScriptKind.TSX;
  if (lower.endsWith(".jsx")) return ts.ScriptKind.JSX;
  if (lower.endsWith(".ts") || lower.endsWith(".mts") || lower.endsWith(".cts")) return ts.ScriptKind.TS;
  return ts.ScriptKind.JS;
}

function createProgram(units: readonly CodeUnit[]): ts.Program {
  const options: ts.CompilerOptions = {
    allowJs: true,
    checkJs: false,
    noLib: true,
    noEmit: true,
    types: [],
    target: ts.ScriptTarget.ESNext,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowImportingTsExtensions: true,
    jsx: ts.JsxEmit.Preserve,
    skipLibCheck: true,
    noResolve: false,
  };
  const byName = new Map(units.map((u) => [u.programName, u]));
  const cache = new Map<string, ts.SourceFile>();
  const host: ts.CompilerHost = {
    getSourceFile(fileName) {
      const unit = byName.get(fileName);
      if (!unit) return undefined;
      let sf = cache.get(fileName);
      if (!sf) {
        // No JSDoc parsing (the analysis reads no types; on library bundles it is a third of the parse) and no
        // parent pass (the binder sets every parent when the checker is made, before anything reads them).
        sf = ts.createSourceFile(fileName, unit.text, { languageVersion: ts.ScriptTarget.ESNext, jsDocParsingMode: ts.JSDocParsingMode.ParseNone }, false, scriptKind(fileName));
        cache.set(fileName, sf);
      }
      return sf;
    },
    getDefaultLibFileName: () => "/__outpost_no_lib__.d.ts",
    writeFile: () => {},
    getCurrentDirectory: () => "/",
    getDirectories: () => [],
    getCanonicalFileName: (f) => f,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => "\n",
    fileExists: (f) => byName.has(f),
    readFile: (f) => byName.get(f)?.text,
  };
  return ts.createProgram({ rootNames: units.map((u) => u.programName), options, host });
}

export function analyzeUnits(units: readonly CodeUnit[], events: EventNames): StaticResult {
  const result: StaticResult = { uses: [], requests: [], graph: [], scopeRequests: [], unresolved: [], syntaxErrors: [] };
  if (units.length === 0) return result;
  const program = createProgram(units);
  const checker = program.getTypeChecker();
  const unitOf = new Map(units.map((u) => [u.programName, u]));
  const files = units.map((u) => program.getSourceFile(u.programName)).filter((f): f is ts.SourceFile => f !== undefined);
  const values = new ValueAnalysis(checker, files, events, new Set(files.filter((f) => f.text.length > LARGE_UNIT_CHARS)));

  const locate = (node: ts.Node): SourceLocation => {
    const sf = node.getSourceFile();
    const unit = unitOf.get(sf.fileName)!;
    const start = node.getStart(sf);
    const { line, character } = sf.getLineAndCharacterOfPosition(start);
    const lineStart = sf.getLineStarts()[line];
    const lineEnd = sf.getLineEndOfPosition(start);
    let text = sf.text.slice(lineStart, lineEnd).trim();
    if (text.length > 160) {
      const from = Math.max(0, character - 60);
      text = `${from > 0 ? "…" : ""}${sf.text.slice(lineStart + from, Math.min(lineEnd, lineStart + from + 160)).trim()}…`;
    }
    return { file: unit.file, line: line + 1 + unit.lineOffset, column: character + 1 + (line === 0 ? unit.columnOffset : 0), text };
  };

  for (const sf of files) {
    for (const d of (sf as unknown as { parseDiagnostics?: ts.Diagnostic[] }).parseDiagnostics ?? []) {
      if (result.syntaxErrors.length >= 50) break;
      const fake = { getSourceFile: () => sf, getStart: () => d.start ?? 0 } as unknown as ts.Node;
      result.syntaxErrors.push({ location: locate(fake), message: ts.flattenDiagnosticMessageText(d.messageText, " ") });
    }
  }

  // Uses recorded at an alias site (`const item = mailbox.item`) count only if nothing is reached through the alias.
  const tentative: { use: StaticUse; origin: ts.Node }[] = [];

  const record = (node: ts.Node, vals: Val[], kind: "call" | "read", alias: boolean, extra?: StaticUse["args"]): void => {
    for (const v of vals) {
      if (v.k !== "path" || !v.path.startsWith("Office.")) continue;
      let path = v.path;
      if (kind === "call" && /\.(call|apply|bind)$/.test(path)) path = path.slice(0, path.lastIndexOf("."));
      const use: StaticUse = { path, kind, location: locate(node), ...(extra ? { args: extra } : {}) };
      const guard = guardOf(node, kind);
      if (guard === "feature-test") continue;
      if (guard) use.guard = guard;
      if (alias) tentative.push({ use, origin: v.origin });
      else result.uses.push(use);
    }
  };

  let large = false;
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) {
      const parent = node.parent;
      const inner = (ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent)) && parent.expression === node;
      if (large && !spellsOfficeName(node)) {
        // Library code of a bundle: no Office.js name anywhere in the chain (see OFFICE_NAMES).
      } else if (!inner) {
        values.query(() => {
          const isCall = ts.isCallExpression(parent) && parent.expression === node;
          const vals = values.valueOf(node);
          if (ts.isElementAccessExpression(node)) checkComputed(node);
          if (isCall) record(node, vals, "call", false, callArgs(parent as ts.CallExpression, vals));
          else record(node, vals, "read", isAliasSite(node));
        });
      } else if (ts.isElementAccessExpression(node)) values.query(() => checkComputed(node as ts.ElementAccessExpression));
    } else if (ts.isBindingElement(node) && ts.isObjectBindingPattern(node.parent)) {
      const name = node.propertyName ?? node.name;
      if (!large || ((ts.isIdentifier(name) || ts.isStringLiteral(name)) && OFFICE_NAMES.has(name.text))) values.query(() => record(node, values.valueOf(node), "read", true));
    } else if (ts.isCallExpression(node)) {
      values.query(() => httpRequest(node));
    }
    ts.forEachChild(node, visit);
  };

  /** `item[name]` where `name` has no literal value: reported, never dropped. */
  const checkComputed = (node: ts.ElementAccessExpression): void => {
    const arg = node.argumentExpression;
    const keys = values.valueOf(arg).filter((v) => v.k === "str" && v.exact);
    if (keys.length) return;
    if (ts.isNumericLiteral(arg) || ts.isPrefixUnaryExpression(arg)) return;
    for (const b of values.valueOf(node.expression)) {
      if (b.k !== "path" || !b.path.startsWith("Office.") || b.path.endsWith("[]")) continue;
      result.unresolved.push({ base: b.path, expression: node.getText().slice(0, 120), location: locate(node) });
    }
  };

  const callArgs = (call: ts.CallExpression, callee: Val[]): StaticUse["args"] | undefined => {
    const paths = callee.flatMap((v) => (v.k === "path" ? [v.path] : []));
    if (paths.length === 0) return undefined;
    const args: NonNullable<StaticUse["args"]> = {};
    const first = call.arguments[0];
    if (paths.some((p) => p.endsWith(".getEntitiesByType")) && first) {
      const v = values.valueOf(first).find((x) => x.k === "path" || (x.k === "str" && x.exact));
      if (v?.k === "path") args.entityType = v.path.split(".").pop();
      else if (v?.k === "str") args.entityType = v.s;
    }
    if (paths.some((p) => p.endsWith(".getCallbackTokenAsync")) && first && ts.isObjectLiteralExpression(unwrapExpr(first))) {
      const opts = unwrapExpr(first) as ts.ObjectLiteralExpression;
      for (const p of opts.properties) if (ts.isPropertyAssignment(p) && p.name.getText() === "isRest") args.isRest = p.initializer.kind === ts.SyntaxKind.TrueKeyword;
    }
    if (paths.some((p) => p.endsWith(".makeEwsRequestAsync")) && first) {
      const bodies = values.valueOf(first).flatMap((v) => (v.k === "str" ? [v] : []));
      args.ewsBodies = bodies.map((b) => b.s);
      args.ewsUnresolved = bodies.length === 0 || bodies.every((b) => !b.s.includes("Body"));
    }
    if (paths.some((p) => p.endsWith(".completed")) && first && ts.isObjectLiteralExpression(unwrapExpr(first))) {
      args.completedKeys = (unwrapExpr(first) as ts.ObjectLiteralExpression).properties.flatMap((p) => (p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? [p.name.text] : []));
    }
    return Object.keys(args).length ? args : undefined;
  };

  // ── HTTP: fetch, XMLHttpRequest, jQuery, axios ──────────────────────────────────────────────────

  const strs = (e: ts.Expression | undefined) => (e ? values.strings(e).filter((v): v is Extract<Val, { k: "str" }> => v.k === "str") : []);
  const objProp = (obj: ts.Expression | undefined, ...names: string[]): ts.Expression | undefined => {
    if (!obj) return undefined;
    for (const v of values.valueOf(obj)) {
      if (v.k !== "obj") continue;
      for (const p of v.node.properties) {
        if (!p.name || !(ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) || !names.includes(p.name.text)) continue;
        if (ts.isPropertyAssignment(p)) return p.initializer;
        if (ts.isShorthandPropertyAssignment(p)) return p.name;
      }
    }
    return undefined;
  };
  const tokenIn = (headers: ts.Expression | undefined): "callback" | "identity" | undefined => {
    if (!headers) return undefined;
    for (const v of values.valueOf(headers)) {
      if (v.k !== "obj") continue;
      for (const p of v.node.properties) {
        const init = ts.isPropertyAssignment(p) ? p.initializer : ts.isShorthandPropertyAssignment(p) ? p.name : undefined;
        const t = init ? strs(init).find((s) => s.token)?.token : undefined;
        if (t) return t;
      }
    }
    return undefined;
  };

  const graphRequest = (call: ts.CallExpression, method: string, url: string, via: GraphRequest["via"]): void => {
    result.graph.push({ method, url: url.slice(0, 300), location: locate(call), via, ...(guardOf(call, "call") === "caught" ? { guard: "caught" as const } : {}) });
  };

  /** `client.api("/me/messages")[.select(…)…].get()`: the Graph JavaScript SDK. */
  const graphSdk = (call: ts.CallExpression, callee: ts.Expression): boolean => {
    if (!ts.isPropertyAccessExpression(callee) || !GRAPH_SDK_VERBS[callee.name.text]) return false;
    let inner: ts.Expression = unwrapExpr(callee.expression);
    let select: string | undefined;
    for (let depth = 0; depth < 12 && ts.isCallExpression(inner); depth++) {
      const c = unwrapExpr(inner.expression);
      if (!ts.isPropertyAccessExpression(c)) return false;
      // `.select("subject,from")` is the request's $select (it decides whether Mail.ReadBasic is enough).
      if (c.name.text === "select" && inner.arguments[0]) select = strs(inner.arguments[0]).map((x) => x.s).join(",");
      if (c.name.text === "api" && inner.arguments[0]) {
        for (const u of strs(inner.arguments[0])) {
          if (!(/^\/?(?:me|users)\b/.test(u.s) || GRAPH_PATH.test(u.s) || u.s.includes(GRAPH_HOST))) continue;
          graphRequest(call, GRAPH_SDK_VERBS[callee.name.text]!, select === undefined ? u.s : `${u.s}${u.s.includes("?") ? "&" : "?"}$select=${select}`, "sdk");
        }
        return true;
      }
      inner = unwrapExpr(c.expression);
    }
    return false;
  };

  /** `pca.acquireTokenSilent({ scopes: ["Mail.Read"] })`: the Graph scopes the code asks for. */
  const scopeRequest = (call: ts.CallExpression, callee: ts.Expression): boolean => {
    if (!ts.isPropertyAccessExpression(callee) || !MSAL_TOKEN_METHODS.has(callee.name.text)) return false;
    const scopesExpr = objProp(call.arguments[0], "scopes");
    if (!scopesExpr) return true;
    const scopes: string[] = [];
    let unresolved = false;
    for (const v of values.valueOf(scopesExpr)) {
      if (v.k !== "array") {
        unresolved = true;
        continue;
      }
      for (const el of v.node.elements) {
        const s = ts.isSpreadElement(el) ? [] : strs(el).filter((x) => x.exact);
        if (!s.length) unresolved = true;
        for (const x of s) if (!scopes.includes(x.s)) scopes.push(x.s);
      }
    }
    result.scopeRequests.push({ method: callee.name.text, scopes, unresolved, location: locate(call) });
    return true;
  };

  const httpRequest = (call: ts.CallExpression): void => {
    const callee = unwrapExpr(call.expression);
    if (graphSdk(call, callee) || scopeRequest(call, callee)) return;
    let url: ts.Expression | undefined;
    let method: string[] = [];
    let headers: ts.Expression | undefined;
    let body: ts.Expression | undefined;
    const globalName = (id: ts.Expression, names: Set<string> | string): boolean =>
      ts.isIdentifier(id) && (typeof names === "string" ? id.text === names : names.has(id.text)) && !checker.getSymbolAtLocation(id);
    const m = (e: ts.Expression | undefined, fallback: string): string[] => {
      const s = strs(e).filter((x) => x.exact).map((x) => x.s.toUpperCase());
      return s.length ? s : [fallback];
    };
    if (globalName(callee, "fetch") || (ts.isPropertyAccessExpression(callee) && callee.name.text === "fetch" && values.valueOf(callee.expression).some((v) => v.k === "global"))) {
      url = call.arguments[0];
      method = m(objProp(call.arguments[1], "method"), "GET");
      headers = objProp(call.arguments[1], "headers");
      body = objProp(call.arguments[1], "body");
    } else if (ts.isPropertyAccessExpression(callee) && globalName(callee.expression, JQUERY_NAMES)) {
      const name = callee.name.text;
      if (name === "ajax") {
        const opts = call.arguments.length > 1 ? call.arguments[1] : call.arguments[0];
        url = call.arguments.length > 1 ? call.arguments[0] : objProp(opts, "url");
        method = m(objProp(opts, "method", "type"), "GET");
        headers = objProp(opts, "headers");
        body = objProp(opts, "data");
      } else if (name === "get" || name === "getJSON" || name === "post") {
        url = call.arguments[0];
        method = [name === "post" ? "POST" : "GET"];
      } else return;
    } else if (globalName(callee, "axios") || (ts.isPropertyAccessExpression(callee) && globalName(callee.expression, "axios") && AXIOS_METHODS.has(callee.name.text))) {
      const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : "request";
      if (name === "request") {
        url = objProp(call.arguments[0], "url") ?? call.arguments[0];
        method = m(objProp(call.arguments[0], "method"), "GET");
        headers = objProp(call.arguments[0], "headers");
        body = objProp(call.arguments[0], "data");
      } else {
        url = call.arguments[0];
        method = [name.toUpperCase()];
        const cfg = name === "get" || name === "delete" || name === "head" ? call.arguments[1] : call.arguments[2];
        headers = objProp(cfg, "headers");
        body = name === "get" || name === "delete" || name === "head" ? undefined : call.arguments[1];
      }
    } else if (ts.isPropertyAccessExpression(callee) && callee.name.text === "open" && call.arguments.length >= 2) {
      const verbs = strs(call.arguments[0]).filter((x) => x.exact && HTTP_METHODS.has(x.s.toUpperCase()));
      if (verbs.length === 0) return;
      url = call.arguments[1];
      method = verbs.map((v) => v.s.toUpperCase());
    } else return;
    if (!url) return;
    const token = tokenIn(headers);
    const bodies = body ? strs(body).filter((b) => b.s.includes("Body")) : [];
    for (const u of strs(url)) {
      const api = u.api ?? (u.s.includes(GRAPH_HOST) ? "graph" : OUTLOOK_HOSTS.some((h) => u.s.includes(h)) ? "outlook" : GRAPH_PATH.test(u.s) ? "graph" : undefined);
      if (!api) continue;
      const t = token ?? u.token;
      // Graph with a token that is not a legacy one (NAA/SSO) is governed by Entra ID scopes, not the mailbox tier.
      if (api === "graph" && !t) {
        for (const verb of new Set(method)) graphRequest(call, verb, u.s, "http");
        continue;
      }
      for (const verb of new Set(method)) {
        result.requests.push({
          method: verb,
          url: u.s.slice(0, 300),
          api,
          currentItem: u.item === true,
          ...(t ? { token: t } : {}),
          location: locate(call),
          ...(guardOf(call, "call") === "caught" ? { guard: "caught" as const } : {}),
          ...(bodies[0] ? { body: bodies[0].s } : {}),
        });
      }
    }
  };

  for (const sf of files) {
    large = sf.text.length > LARGE_UNIT_CHARS;
    visit(sf);
  }
  for (const t of tentative) if (!values.dereferenced.has(t.origin)) result.uses.push(t.use);
  if (values.incomplete) result.incomplete = true;
  result.uses.sort((a, b) => a.location.file.localeCompare(b.location.file) || a.location.line - b.location.line || a.location.column - b.location.column);
  return result;
}

function unwrapExpr(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isTypeAssertionExpression(e) || ts.isSatisfiesExpression(e)) e = e.expression;
  return e;
}

/** Whether the value at `node` flows into a binding (variable, field, parameter, return) rather than being used. */
function isAliasSite(node: ts.Node): boolean {
  let n: ts.Node = node;
  let p = n.parent;
  while (p && (ts.isParenthesizedExpression(p) || ts.isAsExpression(p) || ts.isNonNullExpression(p) || ts.isConditionalExpression(p) || (ts.isBinaryExpression(p) && [ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.AmpersandAmpersandToken, ts.SyntaxKind.CommaToken].includes(p.operatorToken.kind) && p.right === n) || ts.isAwaitExpression(p))) {
    if (ts.isConditionalExpression(p) && p.condition === n) return false;
    n = p;
    p = p.parent;
  }
  if (!p) return false;
  if (ts.isVariableDeclaration(p) && p.initializer === n) return true;
  if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken && p.right === n) return true;
  if (ts.isPropertyAssignment(p) && p.initializer === n) return true;
  if (ts.isPropertyDeclaration(p) && p.initializer === n) return true;
  if (ts.isReturnStatement(p)) return true;
  if (ts.isArrowFunction(p) && p.body === n) return true;
  if (ts.isCallExpression(p) && p.arguments.includes(n as ts.Expression)) return true;
  if (ts.isArrayLiteralExpression(p)) return true;
  if (ts.isBindingElement(p) && p.initializer === n) return true;
  if (ts.isParameter(p) && p.initializer === n) return true;
  return false;
}

/** `caught`: inside a try block (same function) that has a catch; `typeof x.y` and `"y" in x` only test for a member. */
function guardOf(node: ts.Node, _kind: "call" | "read"): Guard | "feature-test" | undefined {
  const parent = node.parent;
  if (ts.isTypeOfExpression(parent)) return "feature-test";
  if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.InKeyword) return "feature-test";
  let n: ts.Node = node;
  for (let p = node.parent; p && !isFunctionLike(p) && !ts.isSourceFile(p); n = p, p = p.parent) {
    if (ts.isTryStatement(p) && p.tryBlock === n && p.catchClause) return "caught";
  }
  return undefined;
}
