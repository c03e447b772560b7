/**
 * Which regex features a client's engine lacks. Web, new Outlook and mobile evaluate RegExValue
 * with the browser's JavaScript engine; classic Outlook on Windows and Mac use an ECMAScript-5-style
 * engine (C++ STL), which rejects later syntax. Found by one linear scan of the pattern.
 */
import type { RegexDialect } from "./clients.ts";

export interface DialectIssue {
  feature: "lookbehind" | "named-group" | "named-backreference" | "unicode-property-escape" | "code-point-escape" | "flag" | "literal-syntax" | "class-escape-in-set";
  /** error: the client can't evaluate the pattern (rule is false there); warning: it evaluates it, differently. */
  severity: "error" | "warning";
  message: string;
  index: number;
}

const ES5_MISSING = "the classic Outlook engine (ECMAScript 5) does not support";

export function dialectIssues(pattern: string, dialect: RegexDialect): DialectIssue[] {
  const issues: DialectIssue[] = [];
  const es5 = dialect === "ecmascript5-stl";
  const add = (feature: DialectIssue["feature"], index: number, what: string, jsNote?: string) => {
    if (es5) issues.push({ feature, severity: "error", index, message: `${ES5_MISSING} ${what}` });
    else if (jsNote) issues.push({ feature, severity: "warning", index, message: jsNote });
  };

  const literal = /^\/(.*)\/([a-z]*)$/s.exec(pattern);
  if (literal) {
    issues.push({
      feature: "literal-syntax",
      severity: "warning",
      index: 0,
      message: "RegExValue is the pattern only: the slashes and trailing flags are matched as text (use IgnoreCase for case-insensitivity)",
    });
    for (const flag of literal[2]) {
      if ("usy".includes(flag)) add("flag", pattern.length - literal[2].length, `the '${flag}' flag`);
    }
  }

  let inSet = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\") {
      const n = pattern[i + 1];
      if (n === "p" || n === "P") {
        if (pattern[i + 2] === "{")
          add("unicode-property-escape", i, "Unicode property escapes (\\p{…})", "without the u flag Outlook's engine reads \\p{…} as the literal text 'p{…}'");
      } else if (n === "u" && pattern[i + 2] === "{") {
        add("code-point-escape", i, "code point escapes (\\u{…})", "without the u flag \\u{…} means 'u' repeated, not a code point");
      } else if (n === "k" && pattern[i + 2] === "<") {
        add("named-backreference", i, "named backreferences (\\k<name>)");
      } else if (inSet && es5 && (n === "s" || n === "S" || n === "w" || n === "W" || n === "d" || n === "D")) {
        issues.push({
          feature: "class-escape-in-set",
          severity: "warning",
          index: i,
          message: `class escape \\${n} inside [...] is handled differently by the classic engine; prefer an alternation such as (\\s|\\S)`,
        });
      }
      i++;
      continue;
    }
    if (inSet) {
      if (c === "]") inSet = false;
      continue;
    }
    if (c === "[") {
      inSet = true;
      if (pattern[i + 1] === "]") i++;
      else if (pattern[i + 1] === "^" && pattern[i + 2] === "]") i += 2;
      continue;
    }
    if (c === "(" && pattern[i + 1] === "?" && pattern[i + 2] === "<") {
      const k = pattern[i + 3];
      if (k === "=" || k === "!") add("lookbehind", i, "lookbehind assertions ((?<=…), (?<!…))");
      else add("named-group", i, "named capture groups ((?<name>…))");
    }
  }
  return issues;
}
