/**
 * What an expression may hold, as far as the auditor cares: an Office.js object (by its path from `Office`), a string
 * (with whether it carries the REST/EWS URL, the current item's id or a legacy token), a function, an async result,
 * a promise. Demand-driven and flow-insensitive: a variable holds the union of everything ever assigned to it;
 * parameters hold what their call sites pass (callbacks of Office.js methods receive the method's async result).
 * Names are resolved with the TypeScript checker (scopes, imports, shadowing), never by text.
 */
import ts from "typescript";
import { RESULT_VALUE_TYPES, TOKEN_METHODS, TYPE_OF_PATH } from "../members.ts";

export type Val =
  | { k: "path"; path: string; origin: ts.Node }
  | { k: "global" }
  | { k: "str"; s: string; api?: "rest" | "ews"; item?: boolean; token?: "callback" | "identity"; exact: boolean }
  | { k: "fn"; node: ts.SignatureDeclaration }
  | { k: "result"; of: string; call: ts.CallExpression }
  | { k: "resolver"; promise: ts.NewExpression }
  /** `site`/`wrapper`: the promise came out of a call to a wrapper function; settle it with that call's arguments. */
  | { k: "promise"; node: ts.NewExpression; site?: ts.CallExpression; wrapper?: ts.SignatureDeclaration }
  | { k: "array"; node: ts.ArrayLiteralExpression }
  | { k: "obj"; node: ts.ObjectLiteralExpression };

const MAX_VALUES = 48;
/** Work one `x.name` field question may take (see field()). */
const FIELD_BUDGET = 20_000;
/** Work one question of the walk may take (see query()). */
const QUERY_BUDGET = 10_000;
const MAX_STRING = 200_000;
const GLOBAL_NAMES = new Set(["window", "globalThis", "self", "top", "parent", "global"]);
const ARRAY_CALLBACKS = new Set(["forEach", "map", "filter", "some", "every", "find", "findIndex", "flatMap", "findLast"]);
const HTTP_NOOP_STRINGS = new Set(["encodeURIComponent", "encodeURI", "String", "decodeURIComponent"]);

const nodeIds = new WeakMap<ts.Node, number>();
let nextNodeId = 1;
function nodeId(n: ts.Node): number {
  let id = nodeIds.get(n);
  if (id === undefined) nodeIds.set(n, (id = nextNodeId++));
  return id;
}

function key(v: Val): unknown {
  switch (v.k) {
    case "path":
      return `p:${nodeId(v.origin)}:${v.path}`;
    case "str":
      return `s:${v.s}:${v.api}:${v.item}:${v.token}`;
    case "global":
      return "global";
    case "promise":
      return `pr:${nodeId(v.node)}:${v.site ? nodeId(v.site) : 0}`;
    case "fn":
    case "array":
    case "obj":
      return v.node;
    case "result":
      return v.call;
    case "resolver":
      return v.promise;
  }
}

function union(...lists: Val[][]): Val[] {
  const out: Val[] = [];
  const seen = new Set<unknown>();
  for (const list of lists)
    for (const v of list) {
      const k = key(v);
      if (seen.has(k)) continue;
      seen.add(k);
      out.push(v);
      if (out.length >= MAX_VALUES) return out;
    }
  return out;
}

export function isFunctionLike(node: ts.Node): node is ts.SignatureDeclaration & { body?: ts.Node } {
  return ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node) || ts.isMethodDeclaration(node) || ts.isConstructorDeclaration(node) || ts.isGetAccessorDeclaration(node);
}

function unwrap(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isTypeAssertionExpression(e) || ts.isNonNullExpression(e) || ts.isSatisfiesExpression(e)) e = e.expression;
  return e;
}

export interface EventNames {
  /** Functions the manifest names for launch events (their first parameter is an Office.MailboxEvent). */
  launch: ReadonlySet<string>;
  /** Functions the manifest names for function commands (Office.AddinCommands.Event). */
  commands: ReadonlySet<string>;
}

export class ValueAnalysis {
  private readonly memo = new Map<ts.Node, Val[]>();
  private readonly symMemo = new Map<ts.Symbol, Val[]>();
  private readonly busy = new Set<unknown>();
  /** Alias sites whose Office object was later dereferenced (so the alias itself is no use of its own). */
  readonly dereferenced = new Set<ts.Node>();
  /** `name = value` by the assigned name; which symbol each one assigns is asked of the checker only when needed. */
  private readonly assignmentsByName = new Map<string, ts.BinaryExpression[]>();
  private readonly fieldAssignments = new Map<string, ts.Expression[]>();
  private readonly callsByName = new Map<string, ts.CallExpression[]>();
  private readonly argRefsByName = new Map<string, ts.Identifier[]>();
  private readonly topFunctions = new Map<string, ts.SignatureDeclaration[]>();

  constructor(
    private readonly checker: ts.TypeChecker,
    files: readonly ts.SourceFile[],
    private readonly events: EventNames,
    /** Files so large they are bundles (library code around the add-in's): see access(). */
    private readonly large: ReadonlySet<ts.SourceFile> = new Set(),
  ) {
    for (const f of files) this.index(f);
  }

  // ── Indexes built in one pass ─────────────────────────────────────────────────────────────────

  private index(file: ts.SourceFile): void {
    const push = <K, V>(m: Map<K, V[]>, k: K, v: V): void => {
      const list = m.get(k);
      if (list) list.push(v);
      else m.set(k, [v]);
    };
    const visit = (node: ts.Node): void => {
      if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
        const left = unwrap(node.left);
        if (ts.isIdentifier(left)) push(this.assignmentsByName, left.text, node);
        else if (ts.isPropertyAccessExpression(left)) push(this.fieldAssignments, left.name.text, node.right);
        else if (ts.isElementAccessExpression(left) && ts.isStringLiteralLike(left.argumentExpression)) push(this.fieldAssignments, left.argumentExpression.text, node.right);
      } else if (ts.isPropertyAssignment(node) && (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name))) {
        push(this.fieldAssignments, node.name.text, node.initializer);
      } else if (ts.isPropertyDeclaration(node) && node.initializer && ts.isIdentifier(node.name)) {
        push(this.fieldAssignments, node.name.text, node.initializer);
      } else if (ts.isCallExpression(node)) {
        let callee = unwrap(node.expression);
        // `(0, module.fn)(…)`: how bundlers call an imported function without a `this`.
        if (ts.isBinaryExpression(callee) && callee.operatorToken.kind === ts.SyntaxKind.CommaToken) callee = unwrap(callee.right);
        const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
        if (name) push(this.callsByName, name, node);
        for (const a of node.arguments) if (ts.isIdentifier(a)) push(this.argRefsByName, a.text, a);
      } else if (ts.isNewExpression(node)) {
        for (const a of node.arguments ?? []) if (ts.isIdentifier(a)) push(this.argRefsByName, a.text, a);
      }
      if (ts.isFunctionDeclaration(node) && node.name) push(this.topFunctions, node.name.text, node);
      else if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer && isFunctionLike(unwrap(node.initializer))) push(this.topFunctions, node.name.text, unwrap(node.initializer) as ts.SignatureDeclaration);
      ts.forEachChild(node, visit);
    };
    visit(file);
  }

  /**
   * The assignments to one name, grouped by the symbol each assigns (undefined: an undeclared global). Resolved with
   * the checker once per name, on the first question about it: most names of a library bundle are never asked about.
   */
  private assignmentsOf(name: string): Map<ts.Symbol | undefined, ts.Expression[]> {
    let bySym = this.resolvedAssignments.get(name);
    if (!bySym) {
      bySym = new Map();
      for (const b of this.assignmentsByName.get(name) ?? []) {
        const sym = this.checker.getSymbolAtLocation(unwrap(b.left));
        const list = bySym.get(sym);
        if (list) list.push(b.right);
        else bySym.set(sym, [b.right]);
      }
      this.resolvedAssignments.set(name, bySym);
    }
    return bySym;
  }

  private readonly resolvedAssignments = new Map<string, Map<ts.Symbol | undefined, ts.Expression[]>>();

  /** What is assigned to `sym` by `sym = value` anywhere. */
  private assignedTo(sym: ts.Symbol): ts.Expression[] {
    return this.assignmentsOf(sym.name).get(sym) ?? [];
  }

  /** What is assigned to an undeclared global `name` in a script. */
  private implicitGlobal(name: string): ts.Expression[] {
    return this.assignmentsOf(name).get(undefined) ?? [];
  }

  // ── Expressions ───────────────────────────────────────────────────────────────────────────────

  valueOf(expr: ts.Node): Val[] {
    if (this.ctx) return this.guarded(expr, () => this.compute(expr), () => {});
    const cached = this.memo.get(expr);
    if (cached) return cached;
    return this.guarded(expr, () => this.compute(expr), (r) => this.memo.set(expr, r));
  }

  /**
   * Parameters bound to one call's arguments while a wrapper's promise is settled for that call
   * (`await officeCall((cb) => item.loadCustomPropertiesAsync(cb))` yields custom properties, not every result the
   * wrapper ever passes on). Nothing is remembered while it is set.
   */
  private ctx: Map<ts.ParameterDeclaration, Val[]> | undefined;

  private settledValue(v: Extract<Val, { k: "promise" }>): Val[] {
    if (!v.site || !v.wrapper || this.ctx) return this.settled(v.node);
    const bound = new Map<ts.ParameterDeclaration, Val[]>();
    v.wrapper.parameters.forEach((p, i) => {
      const arg = v.site!.arguments[i];
      if (arg && !p.dotDotDotToken) bound.set(p, this.valueOf(arg));
    });
    this.ctx = bound;
    const budget = this.budget;
    this.budget = Math.min(budget, this.steps + 20_000);
    try {
      return this.settled(v.node);
    } finally {
      this.ctx = undefined;
      this.budget = budget;
    }
  }

  /**
   * Runs `compute` unless `key` is already being computed (a cycle: answer [] for now). A result that depended on a
   * cut cycle is not remembered, except by the cycle's head, so a later question sees the completed values.
   */
  private guarded(key: unknown, compute: () => Val[], remember: (r: Val[]) => void): Val[] {
    if (this.busy.has(key)) {
      this.pendingHeads.add(key);
      return [];
    }
    this.busy.add(key);
    const outer = this.pendingHeads;
    this.pendingHeads = new Set();
    let result: Val[];
    try {
      result = compute();
    } finally {
      this.busy.delete(key);
    }
    const heads = this.pendingHeads;
    heads.delete(key);
    if (heads.size === 0) remember(result);
    this.pendingHeads = outer;
    for (const h of heads) outer.add(h);
    return result;
  }

  private pendingHeads = new Set<unknown>();

  /** Work done; past `budget` the analysis answers [] so that a pathological bundle ends (reported as incomplete). */
  steps = 0;
  budget = 2_000_000;
  get exhausted(): boolean {
    return this.steps > this.budget;
  }

  /** Some question stopped at the budget or its share of it: values may be missing (reported). */
  get incomplete(): boolean {
    return this.exhausted || this.cut;
  }

  private compute(node: ts.Node): Val[] {
    if (++this.steps > this.budget) return [];
    if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isTypeAssertionExpression(node) || ts.isNonNullExpression(node) || ts.isSatisfiesExpression(node)) return this.valueOf(node.expression);
    if (ts.isIdentifier(node)) return this.identifier(node);
    if (ts.isPropertyAccessExpression(node)) return this.access(node, [node.name.text], node.expression);
    if (ts.isElementAccessExpression(node)) return this.access(node, this.keys(node.argumentExpression), node.expression);
    if (ts.isCallExpression(node)) return this.call(node);
    if (ts.isNewExpression(node)) {
      const callee = unwrap(node.expression);
      return ts.isIdentifier(callee) && callee.text === "Promise" && !this.checker.getSymbolAtLocation(callee) ? [{ k: "promise", node }] : [];
    }
    if (ts.isAwaitExpression(node)) return union(...this.valueOf(node.expression).map((v) => (v.k === "promise" ? this.settledValue(v) : [v])));
    if (ts.isBinaryExpression(node)) {
      const op = node.operatorToken.kind;
      if (op === ts.SyntaxKind.CommaToken || op === ts.SyntaxKind.EqualsToken) return this.valueOf(node.right);
      if (op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken || op === ts.SyntaxKind.AmpersandAmpersandToken) return union(this.valueOf(node.left), this.valueOf(node.right));
      if (op === ts.SyntaxKind.PlusToken || op === ts.SyntaxKind.PlusEqualsToken) return this.concat([this.strings(node.left), this.strings(node.right)]);
      return [];
    }
    if (ts.isConditionalExpression(node)) return union(this.valueOf(node.whenTrue), this.valueOf(node.whenFalse));
    if (ts.isStringLiteralLike(node)) return [{ k: "str", s: node.text, exact: true }];
    if (ts.isNumericLiteral(node)) return [{ k: "str", s: node.text, exact: true }];
    if (ts.isTemplateExpression(node)) {
      const parts: Val[][] = [[{ k: "str", s: node.head.text, exact: true }]];
      for (const span of node.templateSpans) parts.push(this.strings(span.expression), [{ k: "str", s: span.literal.text, exact: true }]);
      return this.concat(parts);
    }
    if (ts.isArrayLiteralExpression(node)) return [{ k: "array", node }];
    if (ts.isObjectLiteralExpression(node)) return [{ k: "obj", node }];
    if (isFunctionLike(node)) return [{ k: "fn", node }];
    if (ts.isBindingElement(node)) return this.binding(node);
    if (ts.isVariableDeclaration(node)) return this.declaration(node);
    if (ts.isParameter(node)) return this.parameter(node);
    return [];
  }

  /** String values of an expression; a non-string operand becomes a placeholder that keeps what it carries. */
  strings(expr: ts.Expression): Val[] {
    const out: Val[] = [];
    const vals = this.valueOf(expr);
    for (const v of vals) {
      if (v.k === "str") out.push(v);
      else if (v.k === "path" && v.path === "Office.context.mailbox.restUrl") out.push({ k: "str", s: "{restUrl}", api: "rest", exact: false });
      else if (v.k === "path" && v.path === "Office.context.mailbox.ewsUrl") out.push({ k: "str", s: "{ewsUrl}", api: "ews", exact: false });
      else if (v.k === "path" && v.path === "Office.context.mailbox.item.itemId") out.push({ k: "str", s: "{itemId}", item: true, exact: false });
    }
    if (out.length === 0) out.push({ k: "str", s: `{${vals.length ? "…" : "?"}}`, exact: false });
    return out;
  }

  private concat(parts: Val[][]): Val[] {
    let acc: Val[] = [{ k: "str", s: "", exact: true }];
    for (const part of parts) {
      const next: Val[] = [];
      for (const a of acc)
        for (const b of part) {
          if (a.k !== "str" || b.k !== "str") continue;
          const s = (a.s + b.s).slice(0, MAX_STRING);
          next.push({ k: "str", s, exact: a.exact && b.exact, ...(a.api || b.api ? { api: a.api ?? b.api } : {}), ...(a.item || b.item ? { item: true } : {}), ...(a.token || b.token ? { token: a.token ?? b.token } : {}) });
          if (next.length >= 16) break;
        }
      acc = next;
    }
    return union(acc);
  }

  private keys(arg: ts.Expression): string[] {
    return this.valueOf(arg).flatMap((v) => (v.k === "str" && v.exact ? [v.s] : []));
  }

  private identifier(node: ts.Identifier): Val[] {
    if (node.text === "undefined") return [];
    let sym = this.checker.getSymbolAtLocation(node);
    // An undeclared global assigned in a script (`Office.initialize = …`, `mailbox = …`) gets an expando symbol
    // from the binder: Office stays the global; others hold what is assigned to them.
    if (sym && !(sym.declarations ?? []).some((d) => !ts.isPropertyAccessExpression(d) && !ts.isBinaryExpression(d) && !ts.isElementAccessExpression(d) && !ts.isIdentifier(d))) {
      if (node.text !== "Office" && !GLOBAL_NAMES.has(node.text) && this.assignedTo(sym).length) return this.symbolValues(sym);
      sym = undefined;
    }
    if (!sym) {
      if (node.text === "Office") return [{ k: "path", path: "Office", origin: node }];
      if (GLOBAL_NAMES.has(node.text)) return [{ k: "global" }];
      // A global created by assignment in a script (`mailbox = Office.context.mailbox` without a declaration).
      const assigned = this.implicitGlobal(node.text);
      return assigned.length ? this.guarded(`global:${node.text}`, () => union(...assigned.map((e) => this.valueOf(e))), () => {}) : [];
    }
    if (ts.isShorthandPropertyAssignment(node.parent) && node.parent.name === node) sym = this.checker.getShorthandAssignmentValueSymbol(node.parent) ?? sym;
    if (sym.flags & ts.SymbolFlags.Alias) {
      try {
        sym = this.checker.getAliasedSymbol(sym);
      } catch {
        return [];
      }
    }
    return this.symbolValues(sym);
  }

  symbolValues(sym: ts.Symbol): Val[] {
    const cached = this.ctx ? undefined : this.symMemo.get(sym);
    if (cached) return cached;
    return this.guarded(
      sym,
      () => {
        const lists: Val[][] = [];
        for (const d of sym.declarations ?? []) {
          if (ts.isVariableDeclaration(d) || ts.isParameter(d) || ts.isBindingElement(d)) lists.push(this.valueOf(d));
          else if (isFunctionLike(d)) lists.push([{ k: "fn", node: d }]);
          else if ((ts.isPropertyAssignment(d) || ts.isPropertyDeclaration(d)) && d.initializer) lists.push(this.valueOf(d.initializer));
          else if (ts.isPropertyAccessExpression(d) && ts.isBinaryExpression(d.parent) && d.parent.left === d) lists.push(this.valueOf(d.parent.right));
        }
        for (const rhs of this.assignedTo(sym)) lists.push(this.valueOf(rhs));
        return union(...lists);
      },
      (r) => this.ctx || this.symMemo.set(sym, r),
    );
  }

  private declaration(d: ts.VariableDeclaration): Val[] {
    if (!ts.isIdentifier(d.name)) return [];
    // for (const x of list)
    if (ts.isVariableDeclarationList(d.parent) && ts.isForOfStatement(d.parent.parent) && d.parent.parent.initializer === d.parent) return this.elements(this.valueOf(d.parent.parent.expression), d);
    return d.initializer ? this.valueOf(d.initializer) : [];
  }

  private binding(be: ts.BindingElement): Val[] {
    const pattern = be.parent;
    const holder = pattern.parent;
    let base: Val[];
    if (ts.isVariableDeclaration(holder)) {
      const forOf = ts.isVariableDeclarationList(holder.parent) && ts.isForOfStatement(holder.parent.parent) && holder.parent.parent.initializer === holder.parent;
      base = forOf ? this.elements(this.valueOf((holder.parent.parent as ts.ForOfStatement).expression), holder) : holder.initializer ? this.valueOf(holder.initializer) : [];
    } else if (ts.isParameter(holder)) base = this.parameter(holder);
    else if (ts.isBindingElement(holder)) base = this.binding(holder);
    else base = [];
    let own: Val[];
    if (ts.isObjectBindingPattern(pattern)) {
      const nameNode = be.propertyName ?? be.name;
      const name = ts.isIdentifier(nameNode) || ts.isStringLiteral(nameNode) ? nameNode.text : undefined;
      own = name === undefined ? [] : union(...base.map((b) => this.member(b, name, be)));
    } else own = this.elements(base, be);
    return be.initializer ? union(own, this.valueOf(be.initializer)) : own;
  }

  /** Elements of arrays (literal ones, or Office.js arrays such as `SelectedItemDetails[]`). */
  private elements(list: Val[], at: ts.Node): Val[] {
    const out: Val[][] = [];
    for (const v of list) {
      if (v.k === "array") out.push(...v.node.elements.map((e) => (ts.isSpreadElement(e) ? [] : this.valueOf(e))));
      else if (v.k === "path" && v.path.endsWith("[]")) out.push([{ k: "path", path: v.path.slice(0, -2), origin: at }]);
    }
    return union(...out);
  }

  // ── Members ───────────────────────────────────────────────────────────────────────────────────

  private access(node: ts.Expression, names: string[], objectExpr: ts.Expression): Val[] {
    const base = this.valueOf(objectExpr);
    const out: Val[][] = [];
    const numeric = ts.isElementAccessExpression(node) && names.length === 0;
    for (const b of base) {
      if (numeric || (ts.isElementAccessExpression(node) && names.every((n) => /^\d+$/.test(n)))) {
        out.push(this.elements([b], node));
        continue;
      }
      for (const name of names) out.push(this.member(b, name, node));
    }
    const result = union(...out);
    if (result.length === 0 && !base.some((b) => b.k === "path") && ts.isPropertyAccessExpression(node) && this.declaredBase(objectExpr)) {
      if (!this.large.has(node.getSourceFile())) return this.field(node.name.text);
      // A bundle's library code reads `message.from`, `opts.body` everywhere: there, only a class's own `this.x`
      // fields (assigned inside that class) stand for what is stored under the name.
      let cls: ts.Node | undefined = unwrap(objectExpr).kind === ts.SyntaxKind.ThisKeyword ? node.parent : undefined;
      while (cls && !ts.isClassLike(cls)) cls = cls.parent;
      if (cls) return this.field(node.name.text, cls as ts.ClassLikeDeclaration);
    }
    return result;
  }

  /** `this`, or a name the program declares (not an undeclared global such as `Uint8Array`), possibly under more fields. */
  private declaredBase(e: ts.Expression): boolean {
    e = unwrap(e);
    if (e.kind === ts.SyntaxKind.ThisKeyword) return true;
    if (ts.isIdentifier(e)) return this.checker.getSymbolAtLocation(e) !== undefined;
    if (ts.isPropertyAccessExpression(e)) return this.declaredBase(e.expression);
    return false;
  }

  /** `x.item` where x is not traceable (a class field, a module object): what is ever stored under that name, Office objects only. */
  private field(name: string, within?: ts.ClassLikeDeclaration): Val[] {
    let rhs = this.fieldAssignments.get(name);
    if (!rhs) return [];
    if (within) {
      rhs = rhs.filter((e) => e.pos >= within.pos && e.end <= within.end && e.getSourceFile() === within.getSourceFile());
      if (!rhs.length) return [];
      name = `${name}@${nodeId(within)}`;
    }
    const cached = this.ctx ? undefined : this.fieldMemo.get(name);
    if (cached) return cached;
    // `{ name: () => binding }`: the export getters of webpack (`__webpack_require__.d`) and esbuild (`__export`).
    const getter = (v: Val): Val[] => (v.k === "fn" && ts.isArrowFunction(v.node) && v.node.parameters.length === 0 && !ts.isBlock(v.node.body) ? this.valueOf(v.node.body) : [v]);
    // A name common in library code (`get`, `value`) is assigned in thousands of places: one question about it
    // gets a share of the work budget, not all of it (a cut answer is reported as incomplete, like the budget).
    const budget = this.budget;
    this.budget = Math.min(budget, this.steps + FIELD_BUDGET);
    try {
      return this.guarded(
        `field:${name}`,
        () => union(...rhs.map((e) => this.valueOf(e).flatMap(getter).filter((v) => v.k === "path" || v.k === "fn"))),
        (r) => this.ctx || this.fieldMemo.set(name, r),
      );
    } finally {
      if (this.steps > this.budget) this.cut = true;
      this.budget = budget;
    }
  }

  /** A sub-question stopped at its share of the budget. */
  private cut = false;

  /**
   * One question of the walk (a member chain, a request's URL) with a share of the budget of its own, so that one
   * pathological chain of library code cannot spend the whole budget before the add-in's own code is reached.
   */
  query<T>(fn: () => T): T {
    const budget = this.budget;
    this.budget = Math.min(budget, this.steps + QUERY_BUDGET);
    try {
      return fn();
    } finally {
      if (this.steps > this.budget) this.cut = true;
      this.budget = budget;
    }
  }

  private readonly fieldMemo = new Map<string, Val[]>();

  member(base: Val, name: string, at: ts.Node): Val[] {
    switch (base.k) {
      case "path": {
        this.dereferenced.add(base.origin);
        let path = `${base.path}.${name}`;
        path = TYPE_OF_PATH[path] ?? path;
        return [{ k: "path", path, origin: at }];
      }
      case "global":
        return name === "Office" ? [{ k: "path", path: "Office", origin: at }] : [];
      case "result": {
        if (name !== "value") return [];
        const token = TOKEN_METHODS[base.of];
        if (token) return [{ k: "str", s: "{token}", token, exact: false }];
        const type = RESULT_VALUE_TYPES[base.of];
        return type ? [{ k: "path", path: type, origin: at }] : [];
      }
      case "obj": {
        for (const p of base.node.properties) {
          if ((ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p) || ts.isMethodDeclaration(p)) && p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === name) {
            if (ts.isPropertyAssignment(p)) return this.valueOf(p.initializer);
            if (ts.isShorthandPropertyAssignment(p)) return this.valueOf(p.name);
            return [{ k: "fn", node: p }];
          }
        }
        return [];
      }
      case "array":
        return /^\d+$/.test(name) ? this.elements([base], at) : [];
      default:
        return [];
    }
  }

  // ── Calls, functions, promises ────────────────────────────────────────────────────────────────

  private call(node: ts.CallExpression): Val[] {
    const callee = unwrap(node.expression);
    if (ts.isPropertyAccessExpression(callee)) {
      const method = callee.name.text;
      if (method === "join") {
        const arrays = this.valueOf(callee.expression).filter((v): v is Extract<Val, { k: "array" }> => v.k === "array");
        if (arrays.length) {
          const sep = node.arguments[0] ? this.keys(node.arguments[0])[0] ?? "" : ",";
          return union(...arrays.map((a) => this.concat(a.node.elements.flatMap((e, i) => (i === 0 ? [this.strings(e as ts.Expression)] : [[{ k: "str", s: sep, exact: true } as Val], this.strings(e as ts.Expression)])))));
        }
      }
      if (method === "concat") {
        const base = this.valueOf(callee.expression);
        if (base.some((v) => v.k === "str")) return this.concat([base.filter((v) => v.k === "str"), ...node.arguments.map((a) => this.strings(a))]);
      }
    }
    if (ts.isIdentifier(callee) && HTTP_NOOP_STRINGS.has(callee.text) && !this.checker.getSymbolAtLocation(callee) && node.arguments[0]) return this.valueOf(node.arguments[0]);
    const out: Val[][] = [];
    for (const c of this.valueOf(callee)) {
      if (c.k === "fn") out.push(this.returns(c.node).map((v) => (v.k === "promise" && !v.site ? { ...v, site: node, wrapper: c.node } : v)));
      else if (c.k === "path" && (c.path.endsWith(".convertToRestId") || c.path.endsWith(".convertToEwsId")) && node.arguments[0]) out.push(this.valueOf(node.arguments[0]));
    }
    return union(...out);
  }

  private returns(fn: ts.SignatureDeclaration): Val[] {
    const body = (fn as { body?: ts.Node }).body;
    if (!body) return [];
    if (!ts.isBlock(body)) return this.valueOf(body);
    const out: Val[][] = [];
    const visit = (n: ts.Node): void => {
      if (isFunctionLike(n) || ts.isClassLike(n)) return;
      if (ts.isReturnStatement(n) && n.expression) out.push(this.valueOf(n.expression));
      ts.forEachChild(n, visit);
    };
    ts.forEachChild(body, visit);
    return union(...out);
  }

  /** What `await` on `new Promise(executor)` yields: what the executor passes to its resolve. */
  settled(promise: ts.NewExpression): Val[] {
    const exec = promise.arguments?.[0];
    if (!exec) return [];
    const out: Val[][] = [];
    for (const f of this.valueOf(exec)) {
      if (f.k !== "fn" || !f.node.parameters[0]) continue;
      const resolve = f.node.parameters[0];
      if (!ts.isIdentifier(resolve.name)) continue;
      const sym = this.checker.getSymbolAtLocation(resolve.name);
      if (!sym) continue;
      for (const ref of this.references(sym, f.node)) {
        const parent = ref.parent;
        if (ts.isCallExpression(parent) && parent.expression === ref && parent.arguments[0]) out.push(this.valueOf(parent.arguments[0]));
        else if ((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.arguments?.includes(ref)) out.push(this.callbackArg(parent, parent.arguments.indexOf(ref), 0));
      }
    }
    return union(...out);
  }

  private references(sym: ts.Symbol, within: ts.Node): ts.Identifier[] {
    const refs: ts.Identifier[] = [];
    const visit = (n: ts.Node): void => {
      if (++this.steps > this.budget) return;
      if (ts.isIdentifier(n) && n.text === sym.name && this.checker.getSymbolAtLocation(n) === sym && !(ts.isParameter(n.parent) && n.parent.name === n)) refs.push(n);
      ts.forEachChild(n, visit);
    };
    visit(within);
    return refs;
  }

  private parameter(p: ts.ParameterDeclaration): Val[] {
    const bound = this.ctx?.get(p);
    if (bound) return bound;
    if (this.exhausted) return [];
    const fn = p.parent;
    if (!isFunctionLike(fn)) return [];
    const index = fn.parameters.indexOf(p);
    if (p.dotDotDotToken) return [];
    const out: Val[][] = [];
    const name = this.functionName(fn);
    // Direct calls: f(a, b)
    if (name) {
      for (const call of this.callsByName.get(name) ?? []) {
        if (++this.steps > this.budget) break;
        if (!this.valueOf(call.expression).some((v) => v.k === "fn" && v.node === fn)) continue;
        const arg = call.arguments[index];
        if (arg && !ts.isSpreadElement(arg)) out.push(this.valueOf(arg));
      }
      if (index === 0 && this.events.launch.has(name)) out.push([{ k: "path", path: "Office.MailboxEvent", origin: p }]);
      else if (index === 0 && this.events.commands.has(name)) out.push([{ k: "path", path: "Office.AddinCommands.Event", origin: p }]);
    }
    // As a callback: passed inline, or by name.
    const parent = fn.parent;
    if ((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.arguments?.includes(fn as unknown as ts.Expression)) {
      out.push(this.callbackArg(parent, parent.arguments.indexOf(fn as unknown as ts.Expression), index));
    }
    if (name) {
      for (const ref of this.argRefsByName.get(name) ?? []) {
        if (++this.steps > this.budget) break;
        const call = ref.parent as ts.CallExpression | ts.NewExpression;
        if (!this.valueOf(ref).some((v) => v.k === "fn" && v.node === fn)) continue;
        out.push(this.callbackArg(call, call.arguments!.indexOf(ref), index));
      }
    }
    if (p.initializer) out.push(this.valueOf(p.initializer));
    return union(...out);
  }

  private functionName(fn: ts.SignatureDeclaration): string | undefined {
    if ((ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn) || ts.isMethodDeclaration(fn)) && fn.name && ts.isIdentifier(fn.name)) return fn.name.text;
    const parent = fn.parent;
    if (parent && (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) && ts.isIdentifier(parent.name)) return parent.name.text;
    if (parent && ts.isBinaryExpression(parent) && ts.isPropertyAccessExpression(parent.left)) return parent.left.name.text;
    return undefined;
  }

  /** The value parameter `paramIndex` of a function receives when the function is argument `argPos` of `call`. */
  callbackArg(call: ts.CallExpression | ts.NewExpression, argPos: number, paramIndex: number): Val[] {
    if (++this.steps > this.budget) return [];
    const callee = unwrap(call.expression);
    if (ts.isNewExpression(call)) {
      return ts.isIdentifier(callee) && callee.text === "Promise" && argPos === 0 && paramIndex === 0 ? [{ k: "resolver", promise: call }] : [];
    }
    const out: Val[][] = [];
    if (ts.isPropertyAccessExpression(callee)) {
      const method = callee.name.text;
      if (method === "then" && paramIndex === 0 && argPos === 0) {
        out.push(union(...this.valueOf(callee.expression).map((v) => (v.k === "promise" ? this.settledValue(v) : []))));
      } else if (ARRAY_CALLBACKS.has(method) && paramIndex === 0) out.push(this.elements(this.valueOf(callee.expression), call));
    }
    for (const c of this.valueOf(callee)) {
      if (c.k === "path") {
        if (paramIndex !== 0) continue;
        if (c.path === "Office.onReady") continue;
        // addHandlerAsync(type, handler, callback): the handler receives event arguments, not an async result.
        if ((c.path.endsWith(".addHandlerAsync") || c.path.endsWith(".removeHandlerAsync")) && argPos === 1) continue;
        if (c.path === "Office.actions.associate" && argPos === 1) {
          const names = call.arguments[0] ? this.keys(call.arguments[0]) : [];
          const launch = names.some((n) => this.events.launch.has(n));
          out.push([{ k: "path", path: launch || names.length === 0 ? "Office.MailboxEvent" : "Office.AddinCommands.Event", origin: call }]);
          continue;
        }
        out.push([{ k: "result", of: c.path, call }]);
      } else if (c.k === "fn") {
        // A function handed to a user function: bind to what that function does with its parameter.
        const param = c.node.parameters[argPos];
        if (!param || !ts.isIdentifier(param.name)) continue;
        const sym = this.checker.getSymbolAtLocation(param.name);
        if (!sym) continue;
        const through = this.guarded(
          `cb:${nodeId(param)}:${paramIndex}`,
          () => {
            const found: Val[][] = [];
            for (const ref of this.references(sym, c.node)) {
              const parent = ref.parent;
              if (ts.isCallExpression(parent) && parent.expression === ref) {
                const arg = parent.arguments[paramIndex];
                if (arg) found.push(this.valueOf(arg));
              } else if ((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.arguments?.includes(ref)) found.push(this.callbackArg(parent, parent.arguments.indexOf(ref), paramIndex));
            }
            return union(...found);
          },
          () => {},
        );
        out.push(through);
      }
    }
    return union(...out);
  }
}
