/** A tiny, escaping XML element builder for generated manifests. */
export interface XmlNode {
  name: string;
  attrs?: Record<string, string | undefined>;
  children?: (XmlNode | undefined)[];
  text?: string;
}

export function x(name: string, attrs?: XmlNode["attrs"], ...children: (XmlNode | string | undefined)[]): XmlNode {
  const kids = children.filter((c) => c !== undefined);
  if (kids.length === 1 && typeof kids[0] === "string") return { name, attrs, text: kids[0] };
  return { name, attrs, children: kids as XmlNode[] };
}

export function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}

export function serialize(node: XmlNode, indent = ""): string {
  const attrs = Object.entries(node.attrs ?? {}).filter(([, v]) => v !== undefined).map(([k, v]) => ` ${k}="${escapeXml(v!)}"`).join("");
  const kids = (node.children ?? []).filter((c): c is XmlNode => c !== undefined);
  if (node.text !== undefined) return `${indent}<${node.name}${attrs}>${escapeXml(node.text)}</${node.name}>\n`;
  if (!kids.length) return `${indent}<${node.name}${attrs}/>\n`;
  return `${indent}<${node.name}${attrs}>\n${kids.map((k) => serialize(k, indent + "  ")).join("")}${indent}</${node.name}>\n`;
}
