// Literal prefilters for activation regexes: from a pattern's source, a set of strings at least one of which must
// occur in any text the pattern can match. The regex worker tests these with indexOf (linear, shared by every
// add-in on the item) and skips a regex whose literals are all absent: most regexes never run on mail that
// cannot match. Plain JavaScript so the worker imports it without a TypeScript loader.
//
// Soundness over reach: anything not understood gives no prefilter (the regex simply runs).

const QUANT = /\{(\d+)(,(\d*))?\}/y;
const META = new Set(["\\", "^", "$", ".", "|", "?", "*", "+", "(", ")", "[", "]", "{", "}"]);

/**
 * @param {string} source
 * @param {string} flags
 * @returns {{ literals: string[], lower: boolean } | null} lower: test against the lower-cased text
 */
export function requiredLiterals(source, flags) {
  const ignoreCase = flags.includes("i");
  // With u and i, non-ASCII characters fold onto ASCII ones (K, ſ): no sound lower-case test.
  if (ignoreCase && (flags.includes("u") || flags.includes("v"))) return null;
  let parsed;
  try {
    parsed = parseAlternation(source, 0, ignoreCase);
  } catch {
    return null;
  }
  if (!parsed || parsed.end !== source.length || !parsed.req) return null;
  const literals = parsed.req.map((l) => (ignoreCase ? l.toLowerCase() : l));
  return { literals, lower: ignoreCase };
}

/**
 * For one item's texts: a function telling whether a spec ({text, prefilter}) may match, with each literal looked
 * up once per text however many add-ins require it, and each text lower-cased at most once.
 * @param {string[]} texts
 * @returns {(spec: { text?: number, prefilter: { literals: string[], lower: boolean } | null }) => boolean}
 */
export function literalScreen(texts) {
  const lowered = [];
  const present = new Map();
  return (spec) => {
    const pf = spec.prefilter;
    if (!pf) return true;
    const t = spec.text ?? 0;
    let text = texts[t] ?? "";
    if (pf.lower) text = lowered[t] ??= text.toLowerCase();
    for (const lit of pf.literals) {
      const key = (pf.lower ? "i" : "c") + t + "\u0000" + lit;
      let p = present.get(key);
      if (p === undefined) present.set(key, (p = text.includes(lit)));
      if (p) return true;
    }
    return false;
  };
}

// A requirement is an array of alternatives (any one must occur), or null (nothing known).
// parseAlternation parses `a|b|…` up to an unmatched ")" or the end; each branch must have a requirement.
function parseAlternation(src, pos, ignoreCase) {
  const branches = [];
  let i = pos;
  for (;;) {
    const b = parseSequence(src, i, ignoreCase);
    branches.push(b.req);
    i = b.end;
    if (src[i] === "|") {
      i++;
      continue;
    }
    break;
  }
  if (branches.some((r) => r === null)) return { req: null, end: i };
  return { req: [...new Set(branches.flat())], end: i };
}

// Parses one branch; returns the best requirement found in it (the one whose shortest alternative is longest).
function parseSequence(src, pos, ignoreCase) {
  let i = pos;
  let run = "";
  let best = null;
  const consider = (req) => {
    if (!req || req.length === 0 || req.some((s) => s.length === 0)) return;
    const score = Math.min(...req.map((s) => s.length)) - (req.length - 1) * 0.01;
    if (!best || score > best.score) best = { req, score };
  };
  const endRun = () => {
    if (run) consider([run]);
    run = "";
  };
  while (i < src.length && src[i] !== "|" && src[i] !== ")") {
    // One atom: a literal character (char), or something else (other), with its requirement (group).
    let char = null;
    let groupReq = null;
    const c = src[i];
    if (c === "\\") {
      const n = src[i + 1];
      if (n === undefined) throw new Error("trailing backslash");
      if (/[^A-Za-z0-9]/.test(n)) char = n;
      else if (n === "n") char = "\n";
      else if (n === "t") char = "\t";
      else if (n === "r") char = "\r";
      i += 2;
      // \k<name>, \p{…}, \u{…}, \uXXXX, \xHH, \cX, \1: skip what follows them conservatively.
      if (char === null) {
        if (n === "k" && src[i] === "<") i = src.indexOf(">", i) + 1 || src.length;
        else if ((n === "p" || n === "P" || n === "u") && src[i] === "{") i = src.indexOf("}", i) + 1 || src.length;
        else if (n === "u") i += 4;
        else if (n === "x") i += 2;
        else if (n === "c") i += 1;
        else if (/[0-9]/.test(n)) while (/[0-9]/.test(src[i] ?? "")) i++; // \12: backreference or octal, whole
      }
    } else if (c === "[") {
      i = skipClass(src, i);
    } else if (c === "(") {
      let j = i + 1;
      let lookaround = false;
      if (src[j] === "?") {
        if (src[j + 1] === ":") j += 2;
        else if (src[j + 1] === "=" || src[j + 1] === "!") (lookaround = true), (j += 2);
        else if (src[j + 1] === "<" && (src[j + 2] === "=" || src[j + 2] === "!")) (lookaround = true), (j += 3);
        else if (src[j + 1] === "<") j = src.indexOf(">", j) + 1;
        else throw new Error("unknown group");
        if (j <= 0) throw new Error("bad group name");
      }
      const inner = parseAlternation(src, j, ignoreCase);
      if (src[inner.end] !== ")") throw new Error("unclosed group");
      i = inner.end + 1;
      if (!lookaround) groupReq = inner.req;
    } else if (META.has(c) && c !== "]" && c !== "}") {
      i++; // ^ $ . and stray quantifiers: no character of their own
      if (c === "?" || c === "*" || c === "+" || c === "{") throw new Error("quantifier without atom");
    } else {
      char = c;
      i++;
    }
    // The atom's quantifier.
    let min = 1;
    let repeats = false;
    const q = src[i];
    if (q === "*" || q === "?" || q === "+") {
      min = q === "+" ? 1 : 0;
      repeats = q !== "?";
      i++;
    } else if (q === "{") {
      QUANT.lastIndex = i;
      const m = QUANT.exec(src);
      if (m) {
        min = Number(m[1]);
        repeats = m[2] !== undefined ? m[3] !== m[1] : false;
        if (m[2] === undefined && min > 1) repeats = true;
        i += m[0].length;
      }
    }
    if (min > 0 && (src[i] === "?")) i++; // lazy
    else if (min === 0 && src[i] === "?") i++;
    if (char !== null) {
      if (ignoreCase && char.charCodeAt(0) > 127) (endRun(), (char = null));
      if (char !== null) {
        if (min === 0) endRun();
        else {
          run += char;
          if (repeats) endRun();
        }
        continue;
      }
    }
    endRun();
    if (min > 0) consider(groupReq);
  }
  endRun();
  return { req: best ? best.req : null, end: i };
}

function skipClass(src, i) {
  // JavaScript: `[]` is an empty class and `[^]` any character; a ] always closes.
  let j = i + 1;
  if (src[j] === "^") j++;
  while (j < src.length && src[j] !== "]") j += src[j] === "\\" ? 2 : 1;
  if (j >= src.length) throw new Error("unclosed class");
  return j + 1;
}
