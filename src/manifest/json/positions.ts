/** JSON text with positions: parse once with jsonc-parser, then map a JSON pointer to line/column. */
import { findNodeAtLocation, parseTree, printParseErrorCode, type Node, type ParseError } from "jsonc-parser";
import { finding, type Finding } from "../findings.ts";
import type { SourcePosition } from "../model.ts";

export interface PositionedJson {
  value?: unknown;
  tree?: Node;
  findings: Finding[];
  at(pointer: string): SourcePosition;
}

/** Real manifests nest about a dozen levels; far deeper input is an attack on recursive parsers. */
export const MAX_JSON_DEPTH = 128;

/** Deepest bracket nesting outside strings, found in one linear pass. */
function nestingDepth(text: string): { depth: number; offset: number } {
  let depth = 0, max = 0, at = 0, inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > max) { max = depth; at = i; }
    } else if (c === 125 || c === 93) depth--;
  }
  return { depth: max, offset: at };
}

export function parsePositionedJson(text: string): PositionedJson {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const toPos = (offset: number): { line: number; column: number } => {
    let lo = 0, hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= offset) lo = mid; else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - lineStarts[lo] + 1 };
  };

  const nest = nestingDepth(text);
  if (nest.depth > MAX_JSON_DEPTH) {
    return { findings: [finding("error", "json-too-deep", `The JSON nests ${nest.depth} levels deep; a manifest needs far fewer than ${MAX_JSON_DEPTH}, so it was not parsed.`, toPos(nest.offset))], at: (pointer) => ({ pointer }) };
  }
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true, allowEmptyContent: false });
  const findings: Finding[] = [];
  if (errors.length) {
    const e = errors[0];
    findings.push(finding("error", "json-syntax", `The JSON is not valid: ${describeJsonError(printParseErrorCode(e.error))}.`, toPos(e.offset)));
  }
  const at = (pointer: string): SourcePosition => {
    const path = pointer === "" ? [] : pointer.slice(1).split("/").map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~")).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    let node = tree ? findNodeAtLocation(tree, path) : undefined;
    // Fall back to the nearest existing parent so a missing property points at its container.
    for (let p = path.slice(); !node && p.length && tree; ) {
      p.pop();
      node = findNodeAtLocation(tree, p);
    }
    const target = node?.parent?.type === "property" ? node.parent : node;
    return target ? { ...toPos(target.offset), pointer } : { pointer };
  };
  let value: unknown;
  if (!errors.length && tree) {
    try {
      value = JSON.parse(text);
    } catch (e) {
      findings.push(finding("error", "json-syntax", `The JSON is not valid: ${(e as Error).message}.`));
    }
  }
  return { value, tree, findings, at };
}

function describeJsonError(code: string): string {
  const words: Record<string, string> = {
    CommaExpected: "a comma is missing",
    ColonExpected: "a colon is missing",
    PropertyNameExpected: "a property name was expected",
    ValueExpected: "a value was expected",
    CloseBraceExpected: "a closing brace } is missing",
    CloseBracketExpected: "a closing bracket ] is missing",
    EndOfFileExpected: "there is content after the end of the JSON value",
    InvalidSymbol: "there is an invalid character",
    InvalidCommentToken: "comments are not allowed",
    UnexpectedEndOfComment: "a comment is not closed",
    UnexpectedEndOfString: "a string is not closed",
    UnexpectedEndOfNumber: "a number is cut off",
    InvalidUnicode: "a \\u escape is invalid",
    InvalidEscapeCharacter: "an escape sequence is invalid",
    InvalidCharacter: "a string holds a control character",
  };
  return words[code] ?? code;
}
