/**
 * Reads the Outlook part of `@types/office-js` with the TypeScript compiler API: for every interface, its
 * members with the facts written in their doc comments (requirement set, minimum permission, mode).
 * Used only by tests to cross-check the permission table against the real Office.js surface.
 */
import ts from "typescript";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { ItemType, Mode } from "../../src/permissions/index.ts";

export interface TypedMember {
  readonly name: string;
  readonly requirementSet?: string;
  /** Lower-case label as written in the reference, e.g. "read item", "restricted". */
  readonly minimumPermission?: string;
  readonly modeText?: string;
  /** Type annotation text of a property (first declaration), to follow paths through objects. */
  readonly typeText?: string;
  /** Every declaration's facts (overloads may differ: getCallbackTokenAsync 1.5 with options, 1.1/1.3 without). */
  readonly overloads: readonly OverloadFacts[];
  /** Error names the reference's "Errors" lists give, over all overloads. */
  readonly errors: readonly string[];
}

export interface OverloadFacts {
  readonly requirementSet?: string;
  readonly minimumPermission?: string;
  readonly modeText?: string;
}

export interface TypedInterface {
  readonly name: string;
  readonly extends: readonly string[];
  readonly members: ReadonlyMap<string, TypedMember>;
}

function typingsPath(): string {
  return createRequire(import.meta.url).resolve("@types/office-js/index.d.ts");
}

function factsFromComment(text: string): OverloadFacts {
  const set = /\[Api set: ([^\]]+)\]/.exec(text)?.[1]?.trim();
  const perm = /Minimum permission level[^*]*\*\*:\s*\*\*([^*]+)\*\*/.exec(text)?.[1]?.trim().toLowerCase();
  const mode = /Applicable Outlook mode[^*]*\*\*:\s*([^\n]+)/.exec(text)?.[1]?.trim();
  return { requirementSet: set, minimumPermission: perm, modeText: mode };
}

function errorsFromComment(text: string): string[] {
  const i = text.indexOf("**Errors**");
  if (i < 0) return [];
  const section = text.slice(i).split(/@param|@returns|\*\*Important|\*\*Note|@example/)[0]!;
  return [...section.matchAll(/- `(\w+)`:/g)].map((m) => m[1]!);
}

let cache: Map<string, TypedInterface> | undefined;

/** Interfaces keyed by their dotted name, e.g. `Office.MessageCompose`, `Office.AddinCommands.Event`. */
export function officeInterfaces(): Map<string, TypedInterface> {
  if (cache) return cache;
  const text = readFileSync(typingsPath(), "utf8");
  const sf = ts.createSourceFile("index.d.ts", text, ts.ScriptTarget.Latest, true);
  const out = new Map<string, { extends: string[]; members: Map<string, TypedMember> }>();
  const visit = (node: ts.Node, ns: readonly string[]): void => {
    if (ts.isModuleDeclaration(node)) {
      const name = node.name.getText(sf);
      if (node.body) ts.forEachChild(node.body, (c) => visit(c, [...ns, name]));
      return;
    }
    if ((ts.isInterfaceDeclaration(node) || ts.isClassDeclaration(node)) && node.name) {
      const full = [...ns, node.name.getText(sf)].join(".");
      const entry = out.get(full) ?? { extends: [], members: new Map<string, TypedMember>() };
      for (const h of node.heritageClauses ?? []) for (const t of h.types) entry.extends.push(t.expression.getText(sf));
      for (const m of node.members) {
        const name = m.name?.getText(sf);
        if (!name) continue;
        const comments = ts.getLeadingCommentRanges(text, m.getFullStart()) ?? [];
        const comment = comments.map((c) => text.slice(c.pos, c.end)).join("\n");
        const facts = factsFromComment(comment);
        const known = entry.members.get(name);
        if (known) {
          entry.members.set(name, { ...known, overloads: [...known.overloads, facts], errors: [...new Set([...known.errors, ...errorsFromComment(comment)])] });
          continue;
        }
        const typeText = ts.isPropertySignature(m) && m.type ? m.type.getText(sf) : undefined;
        entry.members.set(name, { name, typeText, ...facts, overloads: [facts], errors: errorsFromComment(comment) });
      }
      out.set(full, entry);
      return;
    }
    ts.forEachChild(node, (c) => visit(c, ns));
  };
  visit(sf, []);
  cache = new Map([...out].map(([name, v]) => [name, { name, extends: v.extends, members: v.members }]));
  return cache;
}

/** Finds a member on an interface or any interface it extends (names resolved inside `Office`). */
export function findMember(interfaceName: string, member: string): TypedMember | undefined {
  const all = officeInterfaces();
  const seen = new Set<string>();
  const walk = (name: string): TypedMember | undefined => {
    if (seen.has(name)) return undefined;
    seen.add(name);
    const iface = all.get(name) ?? all.get(`Office.${name}`);
    if (!iface) return undefined;
    return iface.members.get(member) ?? iface.extends.map((e) => walk(e.startsWith("Office.") ? e : `Office.${e}`)).find(Boolean);
  };
  return walk(interfaceName);
}

export const ITEM_INTERFACE: Record<Mode, Record<ItemType, string>> = {
  read: { message: "Office.MessageRead", appointment: "Office.AppointmentRead" },
  compose: { message: "Office.MessageCompose", appointment: "Office.AppointmentCompose" },
};


/** Follows a path through the typings; returns the final member or a description of where it broke. */
export function resolve(path: string, mode: Mode, itemType: ItemType): TypedMember | string {
  const segments = path.split(".");
  let iface: string;
  let rest: string[];
  if (path.startsWith("Office.context.")) {
    iface = "Office.Context";
    rest = segments.slice(2);
  } else {
    iface = segments.slice(0, -1).join(".");
    rest = segments.slice(-1);
    if (!officeInterfaces().has(iface)) return `no interface ${iface}`;
  }
  for (let i = 0; i < rest.length; i++) {
    const name = rest[i]!;
    const found = findMember(iface, name);
    if (!found) return `${iface} has no member ${name}`;
    if (i === rest.length - 1) return found;
    if (iface === "Office.Mailbox" && name === "item") iface = ITEM_INTERFACE[mode][itemType];
    else {
      const t = (found.typeText ?? "").replace(/^Office\./, "").replace(/\s*\|\s*null$/, "");
      if (!/^[A-Za-z.]+$/.test(t)) return `cannot follow ${iface}.${name}: ${found.typeText}`;
      iface = `Office.${t}`;
    }
  }
  return "empty path";
}

