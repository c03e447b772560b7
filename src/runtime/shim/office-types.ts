/**
 * Reads the runtime surface of `Office` from @types/office-js (a dev dependency): every enum with its values and
 * every namespace-level function, variable and class. `gen-enums.ts` writes the enums into office-enums.json, which
 * the shim carries; test/runtime/office-types.test.ts compares the shim against this reading, so a new
 * @types/office-js that adds an enum or a member fails the test until the shim has it.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

export interface OfficeTypesSurface {
  /** "Office.MailboxEnums.ItemType" → { Message: "message", … } */
  enums: Record<string, Record<string, string | number>>;
  /** "Office.onReady", "Office.context", "Office.actions", … */
  members: string[];
}

export async function readOfficeTypes(file?: string): Promise<OfficeTypesSurface> {
  const require = createRequire(import.meta.url);
  const ts = (await import("typescript")).default;
  const path = file ?? require.resolve("@types/office-js/index.d.ts");
  const sf = ts.createSourceFile(path, readFileSync(path, "utf8"), ts.ScriptTarget.Latest, true);
  const enums: OfficeTypesSurface["enums"] = {};
  const members = new Set<string>();
  const walk = (node: import("typescript").Node, scope: string[]): void => {
    if (ts.isModuleDeclaration(node)) {
      const p = [...scope, node.name.getText()];
      if (p[0] !== "Office") return;
      if (node.body && ts.isModuleBlock(node.body)) for (const s of node.body.statements) walk(s, p);
      else if (node.body) walk(node.body, p);
      return;
    }
    if (ts.isEnumDeclaration(node)) {
      const values: Record<string, string | number> = {};
      let next = 0;
      for (const m of node.members) {
        const name = m.name.getText().replace(/^["']|["']$/g, "");
        const init = m.initializer;
        if (init && ts.isStringLiteral(init)) values[name] = init.text;
        else if (init && ts.isNumericLiteral(init)) values[name] = next = Number(init.text);
        else if (init && ts.isPrefixUnaryExpression(init) && ts.isNumericLiteral(init.operand)) values[name] = next = -Number(init.operand.text);
        else values[name] = next;
        if (typeof values[name] === "number") next = (values[name] as number) + 1;
      }
      enums[[...scope, node.name.text].join(".")] = values;
      return;
    }
    if (ts.isFunctionDeclaration(node) && node.name) members.add([...scope, node.name.text].join("."));
    else if (ts.isVariableStatement(node)) for (const d of node.declarationList.declarations) members.add([...scope, d.name.getText()].join("."));
    else if (ts.isClassDeclaration(node) && node.name) members.add([...scope, node.name.text].join("."));
  };
  for (const s of sf.statements) walk(s, []);
  return { enums, members: [...members].sort() };
}
