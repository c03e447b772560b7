/** Normalized model (from unified JSON) → XML add-in-only manifest, with a report of everything not carried. */
import type { AddinManifest, Control, ExtensionPoint } from "../model.ts";
import { TIER_INFO } from "../../permissions/tiers.ts";
import { ConversionNotes, type ConversionResult } from "./report.ts";
import { serialize, x, type XmlNode } from "./xml-writer.ts";

const NS = {
  app: "http://schemas.microsoft.com/office/appforoffice/1.1",
  xsi: "http://www.w3.org/2001/XMLSchema-instance",
  bt: "http://schemas.microsoft.com/office/officeappbasictypes/1.0",
  mailappor: "http://schemas.microsoft.com/office/mailappversionoverrides/1.0",
  vo10: "http://schemas.microsoft.com/office/mailappversionoverrides",
  vo11: "http://schemas.microsoft.com/office/mailappversionoverrides/1.1",
};

const COMMAND_SURFACES = ["MessageReadCommandSurface", "MessageComposeCommandSurface", "AppointmentOrganizerCommandSurface", "AppointmentAttendeeCommandSurface"];

class Resources {
  images = new Map<string, string>();
  urls = new Map<string, string>();
  short = new Map<string, string>();
  long = new Map<string, string>();
  private add(map: Map<string, string>, prefix: string, value: string): string {
    for (const [k, v] of map) if (v === value) return k;
    const id = `${prefix}.${map.size + 1}`;
    map.set(id, value);
    return id;
  }
  image = (v: string) => this.add(this.images, "Icon", v);
  url = (v: string) => this.add(this.urls, "Url", v);
  shortString = (v: string) => this.add(this.short, "Label", v.slice(0, 125));
  longString = (v: string) => this.add(this.long, "Tip", v.slice(0, 250));
  toXml(): XmlNode {
    const list = (tag: string, item: string, map: Map<string, string>) => (map.size ? x(tag, undefined, ...[...map].map(([id, v]) => x(item, { id, DefaultValue: v }))) : undefined);
    return x("Resources", undefined, list("bt:Images", "bt:Image", this.images), list("bt:Urls", "bt:Url", this.urls), list("bt:ShortStrings", "bt:String", this.short), list("bt:LongStrings", "bt:String", this.long));
  }
}

export function toXml(m: AddinManifest): ConversionResult {
  const notes = new ConversionNotes();
  const res = new Resources();
  const origin = httpsOrigin(m);
  const absolute = (field: string, url: string | undefined): string | undefined => {
    if (!url) return undefined;
    if (/^https?:\/\//i.test(url)) return url;
    if (!origin) { notes.dropped(field, `"${url}" is a file in the app package and no HTTPS origin is known to host it`); return undefined; }
    const abs = new URL(url, origin + "/").toString();
    notes.changed(field, `the package file "${url}" must be hosted; it is referenced as ${abs}`);
    return abs;
  };

  const icon = absolute("icons.outline", m.icons.find((i) => i.role === "icon")?.url ?? m.icons.find((i) => i.role === "outline")?.url ?? m.icons[0]?.url) ?? `${origin ?? "https://localhost"}/icon-64.png`;
  const hiRes = absolute("icons.color", m.icons.find((i) => i.role === "highResolution")?.url ?? m.icons.find((i) => i.role === "color")?.url);
  const pages = m.runtimes.map((r) => r.sourceLocation).filter((u): u is string => !!u);
  const firstPage = pages[0] ?? `${origin ?? "https://localhost"}/`;
  const hasCompose = m.extensionPoints.some((e) => e.type === "MessageComposeCommandSurface" || e.type === "AppointmentOrganizerCommandSurface" || e.type === "LaunchEvent");
  const hasRead = m.extensionPoints.some((e) => e.type === "MessageReadCommandSurface" || e.type === "AppointmentAttendeeCommandSurface") || !hasCompose;

  const ruleItems = [
    hasRead ? x("Rule", { "xsi:type": "ItemIs", ItemType: "Message", FormType: "Read" }) : undefined,
    hasCompose ? x("Rule", { "xsi:type": "ItemIs", ItemType: "Message", FormType: "Edit" }) : undefined,
  ];
  notes.changed("activation", "unified add-ins show on their extension points; the XML gets ItemIs rules for the forms those extension points cover");

  const supportUrl = m.provider.websiteUrl;
  const version = /^\d+(\.\d+){0,3}$/.test(m.version) ? m.version : "1.0.0.0";
  if (version !== m.version) notes.changed("version", `"${m.version}" is not an XML version; "${version}" was used`);
  if (m.provider.privacyUrl || m.provider.termsOfUseUrl) notes.dropped("developer", "privacy and terms-of-use URLs have no XML element");

  const desktop = buildFormFactor(m, "desktop", res, notes);
  const mobile = buildFormFactor(m, "mobile", res, notes);
  const runtimes = buildRuntimes(m, res);
  const vo11 = x("VersionOverrides", { xmlns: NS.vo11, "xsi:type": "VersionOverridesV1_1" },
    x("Requirements", undefined, x("bt:Sets", { DefaultMinVersion: "1.3" }, x("bt:Set", { Name: "Mailbox" }))),
    x("Hosts", undefined, x("Host", { "xsi:type": "MailHost" }, runtimes, desktop, mobile)),
    res.toXml(),
    m.supplementary.includes("AppendOnSend") ? x("ExtendedPermissions", undefined, x("ExtendedPermission", undefined, "AppendOnSend")) : undefined,
  );

  const root = x("OfficeApp", { xmlns: NS.app, "xmlns:xsi": NS.xsi, "xmlns:bt": NS.bt, "xmlns:mailappor": NS.mailappor, "xsi:type": "MailApp" },
    x("Id", undefined, m.id),
    x("Version", undefined, version),
    x("ProviderName", undefined, m.provider.name || "Unknown"),
    x("DefaultLocale", undefined, toXmlLocale(m.defaultLocale ?? "en-US")),
    x("DisplayName", { DefaultValue: m.name.value.slice(0, 125) }),
    x("Description", { DefaultValue: (m.description.value || m.name.value).slice(0, 250) }),
    x("IconUrl", { DefaultValue: icon }),
    hiRes ? x("HighResolutionIconUrl", { DefaultValue: hiRes }) : undefined,
    supportUrl ? x("SupportUrl", { DefaultValue: supportUrl }) : undefined,
    m.appDomains.length ? x("AppDomains", undefined, ...m.appDomains.map((d) => x("AppDomain", undefined, /^https?:\/\//i.test(d) ? d : `https://${d}`))) : undefined,
    x("Hosts", undefined, x("Host", { Name: "Mailbox" })),
    x("Requirements", undefined, x("Sets", undefined, x("Set", { Name: "Mailbox", MinVersion: "1.1" }))),
    x("FormSettings", undefined, x("Form", { "xsi:type": "ItemRead" }, x("DesktopSettings", undefined, x("SourceLocation", { DefaultValue: firstPage }), x("RequestedHeight", undefined, "250")))),
    x("Permissions", undefined, TIER_INFO[m.tier].name),
    x("Rule", { "xsi:type": "RuleCollection", Mode: "Or" }, ...ruleItems),
    x("DisableEntityHighlighting", undefined, "false"),
    x("VersionOverrides", { xmlns: NS.vo10, "xsi:type": "VersionOverridesV1_0" }, vo11),
  );
  for (const e of m.extras) notes.dropped(e.field, e.note);
  if (m.declaredTiers.length > 1) notes.changed("authorization.permissions", `several tiers were declared; the XML carries ${m.tier}`);
  return { output: `<?xml version="1.0" encoding="UTF-8"?>\n${serialize(root)}`, notes: notes.list };
}

function buildRuntimes(m: AddinManifest, res: Resources): XmlNode | undefined {
  const launch = m.extensionPoints.find((e) => e.type === "LaunchEvent");
  if (!launch?.sourceLocation) return undefined;
  const rt = m.runtimes.find((r) => r.sourceLocation === launch.sourceLocation);
  return x("Runtimes", undefined, x("Runtime", { resid: res.url(launch.sourceLocation) }, rt?.scriptLocation ? x("Override", { type: "javascript", resid: res.url(rt.scriptLocation) }) : undefined));
}

function buildFormFactor(m: AddinManifest, factor: "desktop" | "mobile", res: Resources, notes: ConversionNotes): XmlNode | undefined {
  const eps = m.extensionPoints.filter((e) => e.formFactor === factor);
  const points: XmlNode[] = [];
  let functionFile: string | undefined;
  for (const ep of eps) {
    const field = `${ep.origin} (${ep.type})`;
    if (ep.type === "LaunchEvent") {
      if (factor !== "desktop" || !ep.sourceLocation) { notes.dropped(field, "launch events need a desktop runtime page"); continue; }
      points.push(x("ExtensionPoint", { "xsi:type": "LaunchEvent" },
        x("LaunchEvents", undefined, ...(ep.events ?? []).map((e) => x("LaunchEvent", { Type: e.type, FunctionName: e.functionName, SendMode: e.sendMode }))),
        x("SourceLocation", { resid: res.url(ep.sourceLocation) })));
      continue;
    }
    const type = factor === "mobile" && ep.type === "MessageReadCommandSurface" ? "MobileMessageReadCommandSurface" : ep.type;
    if (!COMMAND_SURFACES.includes(ep.type)) { notes.dropped(field, `${ep.type} has no XML equivalent Outpost can write`); continue; }
    const groups = ep.groups.map((g, gi) => {
      const controls = g.controls.map((c) => {
        const ctrl = controlXml(c, res, field, notes, factor);
        if (c.action?.type === "ExecuteFunction" && c.action.sourceLocation) functionFile ??= c.action.sourceLocation;
        return ctrl;
      }).filter(Boolean);
      return controls.length ? x("Group", { id: `${safeId(g.id)}.${gi}` }, x("Label", { resid: res.shortString(g.label ?? g.id) }), ...controls) : undefined;
    }).filter(Boolean);
    if (!groups.length) continue;
    points.push(x("ExtensionPoint", { "xsi:type": type }, x("OfficeTab", { id: "TabDefault" }, ...groups)));
  }
  if (!points.length) return undefined;
  const shared = factor === "desktop" && m.supplementary.includes("SharedFolder") ? x("SupportsSharedFolders", undefined, "true") : undefined;
  const ff = functionFile ? x("FunctionFile", { resid: res.url(functionFile) }) : factor === "desktop" ? x("FunctionFile", { resid: res.url(m.runtimes[0]?.sourceLocation ?? "https://localhost/") }) : undefined;
  return x(factor === "desktop" ? "DesktopFormFactor" : "MobileFormFactor", undefined, shared, ff, ...points);
}

function controlXml(c: Control, res: Resources, field: string, notes: ConversionNotes, factor: "desktop" | "mobile"): XmlNode | undefined {
  const label = c.label ?? c.id;
  const sizes = factor === "desktop" ? [16, 32, 80] : [25, 32, 48];
  const urlFor = (size: number) => (c.icons ?? []).find((i) => i.size === size)?.url ?? (c.icons ?? [])[0]?.url;
  const icons = x("Icon", undefined, ...sizes.map((s) => { const u = urlFor(s); return u && /^https:/i.test(u) ? x("bt:Image", { size: String(s), resid: res.image(u) }) : undefined; }));
  if (!(icons.children ?? []).length) { notes.dropped(field, `control "${c.id}" has no HTTPS icons`); return undefined; }
  const a = c.action;
  let action: XmlNode | undefined;
  if (a?.type === "ShowTaskpane" && a.sourceLocation) action = x("Action", { "xsi:type": "ShowTaskpane" }, x("SourceLocation", { resid: res.url(a.sourceLocation) }));
  else if (a?.type === "ExecuteFunction" && a.functionName) action = x("Action", { "xsi:type": "ExecuteFunction" }, x("FunctionName", undefined, a.functionName));
  if (c.items?.length) {
    const items = c.items.map((i) => { const n = controlXml(i, res, field, notes, factor); return n ? { ...n, name: "Item" } : undefined; }).filter(Boolean);
    return x("Control", { "xsi:type": "Menu", id: safeId(c.id) }, x("Label", { resid: res.shortString(label) }), x("Supertip", undefined, x("Title", { resid: res.shortString(label) }), x("Description", { resid: res.longString(c.tooltip ?? label) })), icons, x("Items", undefined, ...items));
  }
  if (!action) { notes.dropped(field, `control "${c.id}" has an action that XML cannot express`); return undefined; }
  return x("Control", { "xsi:type": factor === "mobile" ? "MobileButton" : "Button", id: safeId(c.id) },
    x("Label", { resid: res.shortString(label) }),
    factor === "desktop" ? x("Supertip", undefined, x("Title", { resid: res.shortString(label) }), x("Description", { resid: res.longString(c.tooltip ?? label) })) : undefined,
    icons, action);
}

function httpsOrigin(m: AddinManifest): string | undefined {
  for (const u of [...m.runtimes.map((r) => r.sourceLocation), m.provider.websiteUrl]) {
    if (u && /^https:\/\//i.test(u)) try { return new URL(u).origin; } catch { /* keep looking */ }
  }
  return undefined;
}

function toXmlLocale(tag: string): string {
  const [lang, region] = tag.split("-");
  return region ? `${lang.toLowerCase()}-${region.toUpperCase()}` : lang.toLowerCase();
}

function safeId(id: string): string {
  return id.replace(/[^A-Za-z0-9_.-]/g, "_").slice(0, 125) || "id";
}
