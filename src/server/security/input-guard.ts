/**
 * Input the database refuses or that has two meanings never reaches a handler: a NUL character (PostgreSQL text
 * cannot hold U+0000; it used to surface as a 500) and a repeated query parameter (`$top=1&$top=2`, which arrived
 * as an array and crashed the parser) are answered with a 400 naming the field.
 * The walk over a JSON body is a loop with a bound on depth, never recursion over attacker-shaped input.
 */

/** Deeper bodies are refused outright: no route of Outpost takes JSON nested beyond a handful of levels. */
export const MAX_JSON_DEPTH = 64;

export class BadInput extends Error {
  readonly statusCode = 400;
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = "BadInput";
  }
}

/** The first repeated query parameter, if any. */
export function repeatedParam(query: unknown): string | undefined {
  if (!query || typeof query !== "object") return undefined;
  for (const [k, v] of Object.entries(query)) if (Array.isArray(v)) return k;
  return undefined;
}

/** Where a NUL character appears in a parsed value (`body.to[2].address`), or undefined. Throws BadInput when too deep. */
export function nulPath(value: unknown, root: string): string | undefined {
  const stack: Array<{ v: unknown; path: string; depth: number }> = [{ v: value, path: root, depth: 0 }];
  while (stack.length) {
    const { v, path, depth } = stack.pop()!;
    if (typeof v === "string") {
      if (v.includes("\u0000")) return path;
      continue;
    }
    if (!v || typeof v !== "object") continue;
    if (depth >= MAX_JSON_DEPTH) throw new BadInput(`${path} is nested more than ${MAX_JSON_DEPTH} levels deep`, path);
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], path: `${path}[${i}]`, depth: depth + 1 });
      continue;
    }
    for (const [k, child] of Object.entries(v as Record<string, unknown>)) {
      const p = /^[A-Za-z_$][\w$]*$/.test(k) ? `${path}.${k}` : `${path}[${JSON.stringify(k.slice(0, 40))}]`;
      if (k.includes("\u0000")) return p;
      stack.push({ v: child, path: p, depth: depth + 1 });
    }
  }
  return undefined;
}

/** Line and column of the first NUL in a text body (EWS SOAP), for the fault message. */
export function nulPosition(text: string): { line: number; column: number } | undefined {
  const at = text.indexOf("\u0000");
  if (at < 0) return undefined;
  const before = text.slice(0, at);
  const line = before.split("\n").length;
  return { line, column: at - before.lastIndexOf("\n") };
}

/** Checks query, params and body of a request; throws BadInput naming the first problem. */
export function checkInput(request: { query?: unknown; params?: unknown; body?: unknown }): void {
  const repeated = repeatedParam(request.query);
  if (repeated !== undefined) throw new BadInput(`query parameter '${repeated.slice(0, 60)}' is given more than once`, `query.${repeated.slice(0, 60)}`);
  for (const [name, v] of [["query", request.query], ["params", request.params]] as const) {
    const at = nulPath(v, name);
    if (at) throw new BadInput(`${at} contains a NUL character (U+0000), which is not allowed`, at);
  }
  const body = request.body;
  if (typeof body === "string") {
    const pos = nulPosition(body);
    if (pos) throw new BadInput(`the request body contains a NUL character (U+0000) at line ${pos.line}, column ${pos.column}, which is not allowed`, "body");
  } else if (body && typeof body === "object" && !Buffer.isBuffer(body)) refuseNul(body, "body");
}

/** Throws BadInput naming where a parsed value holds a NUL character (routes that parse their own body). */
export function refuseNul(value: unknown, root: string): void {
  const at = nulPath(value, root);
  if (at) throw new BadInput(`${at} contains a NUL character (U+0000), which is not allowed`, at);
}
