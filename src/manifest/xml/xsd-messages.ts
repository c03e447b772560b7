/**
 * Rewrites libxml2's XSD messages ("Element '{http://…}NotId': This element is not expected. Expected is
 * ( {http://…}Id ).") into sentences that name the element and say what was expected.
 */

export interface HumanMessage {
  message: string;
  /** Local name of the element the message is about ("" when unknown); used to find the column. */
  element: string;
  /** "redundant" marks libxml2's follow-up lines that repeat a failure already reported. */
  kind: "order" | "missing" | "value" | "attribute" | "type" | "redundant" | "other";
}

const BT = "http://schemas.microsoft.com/office/officeappbasictypes/1.0";
const XSI = "http://www.w3.org/2001/XMLSchema-instance";
const XS = "http://www.w3.org/2001/XMLSchema";

/** `{ns}Local` → `bt:Local` / `xsi:Local` / `Local`. */
function qname(clark: string): string {
  const m = /^\{([^}]*)\}(.*)$/.exec(clark.trim());
  if (!m) return clark.trim();
  const [, ns, local] = m;
  if (ns === BT) return `bt:${local}`;
  if (ns === XSI) return `xsi:${local}`;
  if (ns === XS) return `xs:${local}`;
  return local;
}

function localOf(clark: string): string {
  const q = qname(clark);
  return q.includes(":") ? q.slice(q.indexOf(":") + 1) : q;
}

function namespaceOf(clark: string): string {
  const m = /^\{([^}]*)\}/.exec(clark.trim());
  return m ? m[1] : "";
}

/** Expected elements; when one shares the offending element's name, the namespaces are what differ, so say so. */
function tagList(list: string, offending?: string): string {
  const names = list
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      if (s.startsWith("##")) return "an element from a newer VersionOverrides namespace";
      const same = offending !== undefined && localOf(s) === localOf(offending) && namespaceOf(s) !== namespaceOf(offending);
      return same ? `<${qname(s)}> in namespace ${namespaceOf(s)}` : `<${qname(s)}>`;
    });
  if (names.length <= 1) return names[0] ?? "nothing";
  return `one of ${names.slice(0, -1).join(", ")} or ${names[names.length - 1]}`;
}

function stripNamespaces(text: string): string {
  return text.replace(/\{[^}]*\}[\w.-]+/g, (m) => qname(m));
}

export function humanizeSchemaMessage(raw: string): HumanMessage {
  const msg = raw.trim().replace(/\s+/g, " ");
  const head = /^Element '([^']+)'(?:, attribute '([^']+)')?: (.*)$/.exec(msg);
  if (!head) return { message: `${stripNamespaces(msg).replace(/\.$/, "")}.`, element: "", kind: "other" };
  const [, elementClark, attrClark, body] = head;
  const el = qname(elementClark);
  const element = localOf(elementClark);
  const subject = attrClark ? `Attribute ${qname(attrClark)} of <${el}>` : `<${el}>`;
  let m: RegExpExecArray | null;

  if ((m = /^This element is not expected\. Expected is (?:one of )?\( (.*) \)\.$/.exec(body))) {
    const expected = tagList(m[1], elementClark);
    const where = expected.includes(" in namespace ") ? ` (this one is in namespace ${namespaceOf(elementClark)})` : "";
    return {
      message: `<${el}>${where} is not allowed here: expected ${expected} at this position (elements must appear in the order the schema defines).`,
      element,
      kind: "order",
    };
  }
  if (/^This element is not expected\.$/.test(body)) {
    return { message: `<${el}> is not allowed here: nothing more is expected at this position.`, element, kind: "order" };
  }
  if ((m = /^Missing child element\(s\)\. Expected is (?:one of )?\( (.*) \)\.$/.exec(body))) {
    return { message: `<${el}> is incomplete: a required child element is missing; expected ${tagList(m[1])}.`, element, kind: "missing" };
  }
  if ((m = /^\[facet 'enumeration'\] The value '(.*)' is not an element of the set \{(.*)\}\.$/.exec(body))) {
    const allowed = m[2].replace(/'/g, "").split(",").map((s) => s.trim()).join(", ");
    return { message: `${subject} has the value '${m[1]}', which is not allowed; allowed values: ${allowed}.`, element, kind: "value" };
  }
  if ((m = /^\[facet 'pattern'\] The value '(.*)' is not accepted by the pattern '(.*)'\.$/.exec(body))) {
    return { message: `${subject} has the value '${m[1]}', which does not have the required form (pattern ${m[2]}).`, element, kind: "value" };
  }
  if ((m = /^\[facet '(maxLength|minLength|length)'\] The value has a length of '(\d+)'; this (?:exceeds|underruns|differs from) the allowed (?:maximum |minimum )?length of '(\d+)'\.$/.exec(body))) {
    const rule = m[1] === "maxLength" ? "at most" : m[1] === "minLength" ? "at least" : "exactly";
    return { message: `${subject} is ${m[2]} characters long; it must be ${rule} ${m[3]}.`, element, kind: "value" };
  }
  if ((m = /^\[facet '(minInclusive|maxInclusive)'\] The value '(.*)' is (?:less|greater) than the (?:minimum|maximum) value allowed \('(.*)'\)\.$/.exec(body))) {
    const rule = m[1] === "minInclusive" ? "at least" : "at most";
    return { message: `${subject} is ${m[2]}; it must be ${rule} ${m[3]}.`, element, kind: "value" };
  }
  if ((m = /^'(.*)' is not a valid value of the (?:atomic|local atomic|union|list) type '(.*)'\.$/.exec(body))) {
    return { message: `${subject} has the value '${m[1]}', which is not a valid ${qname(m[2])}.`, element, kind: "redundant" };
  }
  if ((m = /^The attribute '(.*)' is required but missing\.$/.exec(body))) {
    return { message: `<${el}> is missing the required attribute ${qname(m[1])}.`, element, kind: "attribute" };
  }
  if (/^The attribute '(.*)' is not allowed\.$/.test(body) || (attrClark && /is not allowed\.$/.test(body))) {
    return { message: `<${el}> has an attribute ${qname(attrClark ?? "")} that is not allowed there.`, element, kind: "attribute" };
  }
  if ((m = /^The QName value '(.*)' of the xsi:type attribute does not resolve to a type definition\.$/.exec(body))) {
    return { message: `<${el}> has xsi:type="${qname(m[1])}", which is not a type defined for this element in this namespace.`, element, kind: "type" };
  }
  if ((m = /^The type definition '(.*)', specified by xsi:type, is blocked or not validly derived from the type definition of the element declaration\.$/.exec(body))) {
    return { message: `<${el}> has xsi:type="${qname(m[1])}", which is not one of the types allowed for this element.`, element, kind: "type" };
  }
  if (/^The type definition is abstract\.$/.test(body)) {
    return { message: `<${el}> needs an xsi:type attribute naming one of its concrete types.`, element, kind: "redundant" };
  }
  if (/^Character content other than whitespace is not allowed/.test(body)) {
    return { message: `<${el}> must not contain text, only child elements.`, element, kind: "other" };
  }
  if (/^Element content is not allowed/.test(body)) {
    return { message: `<${el}> must contain only a value, not child elements.`, element, kind: "other" };
  }
  return { message: `${subject}: ${stripNamespaces(body).replace(/\.$/, "")}.`, element, kind: "other" };
}
