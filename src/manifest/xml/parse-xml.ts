/** XML add-in-only manifest (`OfficeApp`) → the normalized model. Structure only; rules live in ../rules. */
import type { Element } from "@xmldom/xmldom";
import { finding, type Finding } from "../findings.ts";
import type {
  AddinManifest, Control, ControlGroup, ExtensionPoint, Icon, LocalizedString, Requirements, ResourceEntry,
  ResourceReference, Rule, Runtime, SourceLocations, UrlField, VersionOverridesInfo, FormFactor,
} from "../model.ts";
import { maxTier, parseTier, TIER_INFO, type Supplementary, type Tier } from "../../permissions/tiers.ts";
import { attr, child, descendants, elementChildren, parseXmlDocument, pos, text, xsiType } from "./dom.ts";
import { parseRule } from "./parse-rule.ts";

const OFFICEAPP_NS: Record<string, string> = {
  "http://schemas.microsoft.com/office/appforoffice/1.0": "1.0",
  "http://schemas.microsoft.com/office/appforoffice/1.1": "1.1",
};

export interface XmlParseResult {
  manifest?: AddinManifest;
  findings: Finding[];
  /** Raw facts the semantic rules need that the model has no place for. */
  raw?: XmlRawFacts;
}

export interface XmlRawFacts {
  permissionElements: { value: string; pos?: { line?: number; column?: number } }[];
  idPos?: { line?: number; column?: number };
  versionPos?: { line?: number; column?: number };
  iconUrlPos?: { line?: number; column?: number };
  topLevelNames: string[];
  extendedPermissions: { value: string; inVersion: string; pos?: { line?: number; column?: number } }[];
  hasActiveX: { pos?: { line?: number; column?: number } }[];
}

export function parseXmlManifest(textContent: string): XmlParseResult {
  const parsed = parseXmlDocument(textContent.replace(/^\uFEFF/, ""));
  const findings = [...parsed.findings];
  const root = parsed.root;
  if (!root || findings.some((f) => f.severity === "error")) return { findings };

  if (root.localName !== "OfficeApp") {
    findings.push(finding("error", "not-an-addin-manifest", `The root element is <${root.localName}>, but an add-in manifest starts with <OfficeApp>.`, pos(root)));
    return { findings };
  }
  const schemaVersion = OFFICEAPP_NS[root.namespaceURI ?? ""];
  if (!schemaVersion) {
    findings.push(finding("error", "unknown-namespace", `<OfficeApp> has namespace "${root.namespaceURI ?? ""}", which is not an add-in manifest namespace (appforoffice 1.0 or 1.1).`, pos(root)));
    return { findings };
  }

  const b = new XmlModelBuilder(root, schemaVersion);
  return { manifest: b.manifest, findings, raw: b.raw };
}

class XmlModelBuilder {
  readonly manifest: AddinManifest;
  readonly raw: XmlRawFacts;
  private readonly refs: ResourceReference[] = [];
  private readonly urls: UrlField[] = [];
  private readonly resources: ResourceEntry[] = [];
  /** The VersionOverrides being read; resids resolve within it. */
  private scope = "";

  constructor(private readonly root: Element, schemaVersion: string) {
    const permissionEls = elementChildren(root, "Permissions");
    const permissionNames = permissionEls.map((p) => text(p) ?? "");
    const declaredTiers = permissionNames.map(parseXmlTier).filter((t): t is Tier => t !== undefined);
    this.raw = {
      permissionElements: permissionEls.map((p) => ({ value: text(p) ?? "", pos: pos(p) })),
      idPos: pos(child(root, "Id")),
      versionPos: pos(child(root, "Version")),
      iconUrlPos: pos(child(root, "IconUrl")),
      topLevelNames: elementChildren(root).map((e) => e.localName ?? ""),
      extendedPermissions: [],
      hasActiveX: descendants(root, "ActiveX").map((e) => ({ pos: pos(e) })),
    };

    const m: AddinManifest = {
      format: "xml",
      schemaVersion,
      appType: xsiType(root) ?? "",
      id: text(child(root, "Id")) ?? "",
      version: text(child(root, "Version")) ?? "",
      defaultLocale: text(child(root, "DefaultLocale")),
      name: this.localized(child(root, "DisplayName"), "DisplayName"),
      description: this.localized(child(root, "Description"), "Description"),
      provider: { name: text(child(root, "ProviderName")) ?? "" },
      hosts: hostsOf(root),
      tier: declaredTiers.length ? maxTier(declaredTiers) : "Restricted",
      declaredTiers,
      permissionNames,
      supplementary: [],
      requirements: this.requirements(child(root, "Requirements")),
      sourceLocations: this.formSettings(child(root, "FormSettings")),
      rules: undefined,
      extensionPoints: [],
      runtimes: [],
      versionOverrides: [],
      appDomains: elementChildren(child(root, "AppDomains") ?? root, "AppDomain").map((d) => text(d) ?? ""),
      icons: [],
      resources: this.resources,
      resourceReferences: this.refs,
      urls: this.urls,
      extras: [],
    };
    this.manifest = m;

    const alt = text(child(root, "AlternateId"));
    if (alt) m.extras.push({ field: "AlternateId", note: `AlternateId ${alt}` });
    const iconUrl = child(root, "IconUrl");
    if (iconUrl) this.addIcon(iconUrl, "icon", 64);
    const hiRes = child(root, "HighResolutionIconUrl");
    if (hiRes) this.addIcon(hiRes, "highResolution", 128);
    const support = child(root, "SupportUrl");
    if (support) {
      m.supportUrl = attr(support, "DefaultValue");
      this.urlField("SupportUrl", support);
    }
    for (const d of elementChildren(child(root, "AppDomains") ?? root, "AppDomain")) this.urls.push({ field: "AppDomains/AppDomain", url: text(d) ?? "", pos: pos(d) });

    const ruleEl = child(root, "Rule");
    if (ruleEl) m.rules = parseRule(ruleEl);
    const deh = child(root, "DisableEntityHighlighting");
    if (deh) m.disableEntityHighlighting = (text(deh) ?? "").toLowerCase() === "true";

    const vo = child(root, "VersionOverrides");
    if (vo) this.versionOverrides(vo);
    const supp = new Set<Supplementary>();
    for (const e of this.raw.extendedPermissions) if (e.value === "AppendOnSend") supp.add("AppendOnSend");
    for (const s of descendants(root, "SupportsSharedFolders")) if ((text(s) ?? "").toLowerCase() === "true") supp.add("SharedFolder");
    m.supplementary = [...supp];
    for (const w of descendants(root, "WebApplicationInfo")) {
      m.extras.push({ field: "VersionOverrides/WebApplicationInfo", note: `single sign-on application ${text(child(w, "Id")) ?? ""} (${text(child(w, "Resource")) ?? ""})` });
    }
  }

  private localized(el: Element | undefined, field: string): LocalizedString {
    if (!el) return { value: "" };
    const value = attr(el, "DefaultValue") ?? "";
    const overrides: Record<string, string> = {};
    for (const o of elementChildren(el, "Override")) overrides[attr(o, "Locale") ?? ""] = attr(o, "Value") ?? "";
    const out: LocalizedString = { value };
    if (Object.keys(overrides).length) out.overrides = overrides;
    void field;
    return out;
  }

  private urlField(field: string, el: Element) {
    const v = attr(el, "DefaultValue");
    if (v !== undefined) this.urls.push({ field, url: v, pos: pos(el) });
    for (const o of elementChildren(el, "Override")) {
      const ov = attr(o, "Value");
      if (ov !== undefined) this.urls.push({ field: `${field}/Override[@Locale='${attr(o, "Locale") ?? ""}']`, url: ov, pos: pos(o) });
    }
  }

  private addIcon(el: Element, role: string, size: number) {
    const url = attr(el, "DefaultValue") ?? "";
    this.manifest.icons.push({ url, size, role });
    this.urlField(el.localName ?? role, el);
  }

  private requirements(el: Element | undefined): Requirements {
    const req: Requirements = { sets: [] };
    if (!el) return req;
    const sets = child(el, "Sets");
    const defMin = sets ? attr(sets, "DefaultMinVersion") : undefined;
    for (const s of sets ? elementChildren(sets, "Set") : []) {
      req.sets.push({ name: attr(s, "Name") ?? "", minVersion: attr(s, "MinVersion") ?? defMin });
    }
    const methods = child(el, "Methods");
    if (methods) req.methods = elementChildren(methods, "Method").map((x) => attr(x, "Name") ?? "");
    return req;
  }

  private formSettings(el: Element | undefined): SourceLocations {
    const out: SourceLocations = {};
    const factors: Record<string, FormFactor> = { DesktopSettings: "desktop", TabletSettings: "tablet", PhoneSettings: "phone" };
    // Schema 1.0 mail apps put DesktopSettings/TabletSettings/PhoneSettings at the top level: one read form.
    for (const settings of elementChildren(this.root).filter((e) => factors[e.localName ?? ""])) {
      const sl = child(settings, "SourceLocation");
      if (!sl) continue;
      (out.read ??= {})[factors[settings.localName ?? ""]] = attr(sl, "DefaultValue") ?? "";
      this.urlField(`${settings.localName}/SourceLocation`, sl);
    }
    if (!el) return out;
    for (const form of elementChildren(el, "Form")) {
      const kind = xsiType(form) === "ItemEdit" ? "edit" : "read";
      const slot = (out[kind] ??= {});
      for (const settings of elementChildren(form)) {
        const ff = factors[settings.localName ?? ""];
        const sl = child(settings, "SourceLocation");
        if (!ff || !sl) continue;
        slot[ff] = attr(sl, "DefaultValue") ?? "";
        this.urlField(`FormSettings/Form[${xsiType(form) ?? ""}]/${settings.localName}/SourceLocation`, sl);
      }
    }
    return out;
  }

  private versionOverrides(vo: Element, parentVersion?: string) {
    const type = xsiType(vo) ?? "";
    const version: "1.0" | "1.1" = type.endsWith("1_1") || (vo.namespaceURI ?? "").endsWith("/1.1") ? "1.1" : "1.0";
    const origin = `VersionOverrides ${version}`;
    const outerScope = this.scope;
    this.scope = origin;
    const info: VersionOverridesInfo = { version, hosts: [], pos: pos(vo) };
    const req = child(vo, "Requirements");
    if (req) info.requirements = this.requirements(req);
    const desc = child(vo, "Description");
    if (desc) this.ref(desc, "any", `${origin}/Description`);

    // Resources first so control labels can be resolved.
    const resources = child(vo, "Resources");
    if (resources) this.readResources(resources);

    for (const host of elementChildren(child(vo, "Hosts") ?? vo, "Host")) {
      info.hosts.push(xsiType(host) ?? "");
      for (const rt of elementChildren(child(host, "Runtimes") ?? host, "Runtime")) this.runtime(rt, origin);
      for (const ff of elementChildren(host)) {
        const factor = ff.localName === "DesktopFormFactor" ? "desktop" : ff.localName === "MobileFormFactor" ? "mobile" : undefined;
        if (!factor) continue;
        const fnFile = child(ff, "FunctionFile");
        if (fnFile) this.ref(fnFile, "url", `${origin}/${ff.localName}/FunctionFile`);
        for (const ep of elementChildren(ff, "ExtensionPoint")) this.extensionPoint(ep, factor, origin, fnFile ? attr(fnFile, "resid") : undefined);
      }
    }
    for (const ext of elementChildren(child(vo, "ExtendedPermissions") ?? vo, "ExtendedPermission")) {
      this.raw.extendedPermissions.push({ value: text(ext) ?? "", inVersion: version, pos: pos(ext) });
    }
    this.manifest.versionOverrides.push(info);
    void parentVersion;
    const nested = child(vo, "VersionOverrides");
    if (nested) this.versionOverrides(nested, version);
    this.scope = outerScope;
  }

  private readResources(resources: Element) {
    const groups: [string, ResourceEntry["kind"]][] = [["Images", "image"], ["Urls", "url"], ["ShortStrings", "shortString"], ["LongStrings", "longString"]];
    for (const [groupName, kind] of groups) {
      const g = child(resources, groupName);
      if (!g) continue;
      for (const e of elementChildren(g)) {
        const entry: ResourceEntry = { id: attr(e, "id") ?? "", value: attr(e, "DefaultValue") ?? "", kind, scope: this.scope, pos: pos(e) };
        const overrides: Record<string, string> = {};
        for (const o of elementChildren(e, "Override")) overrides[attr(o, "Locale") ?? ""] = attr(o, "Value") ?? "";
        if (Object.keys(overrides).length) entry.overrides = overrides;
        this.resources.push(entry);
        if (kind === "image" || kind === "url") this.urlField(`Resources/${groupName}[@id='${entry.id}']`, e);
      }
    }
  }

  private ref(el: Element, kind: ResourceReference["kind"], field: string): string | undefined {
    const resid = attr(el, "resid");
    if (resid === undefined) return undefined;
    this.refs.push({ resid, kind, field, scope: this.scope, pos: pos(el) });
    return resid;
  }

  private resolve(resid: string | undefined): string | undefined {
    if (resid === undefined) return undefined;
    return this.resources.find((r) => r.id === resid && r.scope === this.scope)?.value;
  }

  private runtime(rt: Element, origin: string) {
    const resid = this.ref(rt, "url", `${origin}/Runtimes/Runtime`);
    const r: Runtime = { id: resid, lifetime: attr(rt, "lifetime") === "long" ? "long" : "short", sourceLocation: this.resolve(resid), pos: pos(rt) };
    for (const o of elementChildren(rt, "Override")) {
      const oresid = this.ref(o, "url", `${origin}/Runtimes/Runtime/Override`);
      if ((attr(o, "type") ?? "").toLowerCase() === "javascript") r.scriptLocation = this.resolve(oresid);
    }
    this.manifest.runtimes.push(r);
  }

  private extensionPoint(ep: Element, formFactor: "desktop" | "mobile", origin: string, functionFileResid?: string) {
    const type = xsiType(ep) ?? "";
    const point: ExtensionPoint = { type, formFactor, groups: [], origin, pos: pos(ep) };
    const field = `${origin}/${formFactor}/ExtensionPoint[${type}]`;

    // Every resid below the extension point is a resource reference, typed by the element that holds it.
    const walk = (e: Element) => {
      for (const c of elementChildren(e)) {
        if (c.hasAttribute("resid")) this.ref(c, residKind(c), `${field}/${c.localName}`);
        walk(c);
      }
    };
    walk(ep);

    for (const tab of elementChildren(ep).filter((e) => e.localName === "OfficeTab" || e.localName === "CustomTab")) {
      for (const g of elementChildren(tab, "Group")) {
        const group: ControlGroup = { id: attr(g, "id") ?? "", label: this.resolve(attr(child(g, "Label"), "resid")), controls: [], tab: attr(tab, "id") };
        for (const c of elementChildren(g, "Control")) group.controls.push(this.control(c, functionFileResid));
        point.groups.push(group);
      }
    }
    const directControls = [...elementChildren(ep, "Control"), ...elementChildren(child(ep, "ReportPhishingCustomization") ?? ep, "Control")];
    if (directControls.length) point.groups.push({ id: `${type}.controls`, controls: directControls.map((c) => this.control(c, functionFileResid)) });

    const events = [...descendants(ep, "LaunchEvent"), ...descendants(ep, "Event")];
    if (events.length) {
      point.events = events.map((ev) => ({
        type: attr(ev, "Type") ?? "",
        functionName: attr(ev, "FunctionName") ?? "",
        ...(attr(ev, "SendMode") ? { sendMode: attr(ev, "SendMode") } : {}),
      }));
    }
    const sl = child(ep, "SourceLocation") ?? child(child(ep, "ReportPhishingCustomization") ?? ep, "SourceLocation");
    if (sl) point.sourceLocation = this.resolve(attr(sl, "resid")) ?? attr(sl, "DefaultValue");
    const rule = child(ep, "Rule");
    if (rule) point.rule = parseRule(rule);
    const dialog = child(child(ep, "ReportPhishingCustomization"), "PreProcessingDialog");
    if (dialog) {
      point.spamDialog = {
        title: this.resolve(attr(child(dialog, "Title"), "resid")) ?? "",
        description: this.resolve(attr(child(dialog, "Description"), "resid")) ?? "",
      };
    }
    this.manifest.extensionPoints.push(point);
  }

  private control(c: Element, functionFileResid?: string): Control {
    const control: Control = { id: attr(c, "id") ?? "", type: xsiType(c) ?? "", pos: pos(c) };
    control.label = this.resolve(attr(child(c, "Label"), "resid"));
    control.tooltip = this.resolve(attr(child(child(c, "Supertip"), "Description"), "resid"));
    const icons: Icon[] = [];
    for (const img of elementChildren(child(c, "Icon") ?? c, "Image")) {
      const resid = attr(img, "resid");
      icons.push({ url: this.resolve(resid) ?? "", size: Number(attr(img, "size")) || undefined, role: "command", resid });
    }
    if (icons.length) control.icons = icons;
    const action = child(c, "Action");
    if (action) {
      const type = xsiType(action) ?? "";
      const slResid = attr(child(action, "SourceLocation"), "resid");
      control.action = {
        type,
        ...(slResid ? { sourceLocationResid: slResid, sourceLocation: this.resolve(slResid) } : {}),
        ...(type === "ExecuteFunction" ? { functionName: text(child(action, "FunctionName")), sourceLocationResid: functionFileResid, sourceLocation: this.resolve(functionFileResid) } : {}),
        ...(child(action, "TaskpaneId") ? { taskpaneId: text(child(action, "TaskpaneId")) } : {}),
        ...(child(action, "SupportsPinning") ? { supportsPinning: (text(child(action, "SupportsPinning")) ?? "").toLowerCase() === "true" } : {}),
      };
    }
    const items = child(c, "Items");
    if (items) control.items = elementChildren(items, "Item").map((i) => this.control(i, functionFileResid));
    return control;
  }
}

/** A MailApp without <Hosts> (common in schema 1.0) is implicitly a Mailbox add-in. */
function hostsOf(root: Element): string[] {
  const capabilities = child(root, "Capabilities");
  if (capabilities) return elementChildren(capabilities, "Capability").map((c) => attr(c, "Name") ?? "").filter(Boolean);
  const hosts = child(root, "Hosts");
  if (!hosts) return xsiType(root) === "MailApp" ? ["Mailbox"] : [];
  return elementChildren(hosts, "Host").map((h) => attr(h, "Name") ?? "").filter(Boolean);
}

function parseXmlTier(value: string): Tier | undefined {
  const t = parseTier(value);
  return t && TIER_INFO[t].name === value.trim() ? t : undefined;
}

function residKind(el: Element): ResourceReference["kind"] {
  const name = el.localName ?? "";
  if (name === "Image") return "image";
  if (["SourceLocation", "FunctionFile", "Runtime", "Override", "MoreInfoUrl", "Url"].includes(name)) return "url";
  if (name === "Description" || name === "FreeTextLabel") return "any";
  return "any";
}

