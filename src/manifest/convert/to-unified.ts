/** Normalized model (from XML) → unified JSON manifest, with a report of everything not carried. */
import type { AddinManifest, Control, ExtensionPoint } from "../model.ts";
import { SUPPLEMENTARY_INFO, TIER_INFO } from "../../permissions/tiers.ts";
import { unifiedContextName, unifiedEventName, XML_ONLY_LAUNCH_EVENTS } from "../json/event-names.ts";
import { describeRule } from "./describe-rule.ts";
import { ConversionNotes, type ConversionResult } from "./report.ts";

type Json = Record<string, unknown>;

const LIMITS = { shortName: 30, fullName: 100, shortDescription: 80, fullDescription: 4000, label: 64 };

/** Where Visual Studio's `~remoteAppUrl` token points while debugging; the published address replaces it. */
const REMOTE_APP_URL_DEV = "https://localhost:3000";

/** Rewrites every URL-like string so it can live in a unified manifest (which accepts HTTPS only). */
function hostableUrls(m: AddinManifest, notes: ConversionNotes): AddinManifest {
  let token = false, upgraded = false;
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") {
      if (/^~remoteAppUrl/i.test(v)) { token = true; return v.replace(/^~remoteAppUrl\/?/i, `${REMOTE_APP_URL_DEV}/`); }
      if (/^http:\/\//i.test(v)) { upgraded = true; return v.replace(/^http:/i, "https:"); }
      return v;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, k === "pos" ? x : walk(x)]));
    return v;
  };
  const out = walk(m) as AddinManifest;
  if (token) notes.changed("~remoteAppUrl", `the Visual Studio token was replaced by ${REMOTE_APP_URL_DEV}; put your published HTTPS address there`);
  if (upgraded) notes.changed("http URLs", "http URLs were rewritten to https, the only scheme a unified manifest accepts");
  return out;
}

export function toUnified(source: AddinManifest, manifestVersion = "1.17"): ConversionResult {
  const notes = new ConversionNotes();
  const m = hostableUrls(source, notes);
  const clip = (field: string, value: string, max: number) => {
    if (value.length <= max) return value;
    notes.changed(field, `shortened from ${value.length} to ${max} characters, the unified manifest's limit`);
    return value.slice(0, max);
  };

  const version = unifiedVersion(m.version);
  if (version !== m.version) notes.changed("Version", `"${m.version}" became "${version}": unified versions have three numbers`);

  const website = [m.provider.websiteUrl, m.supportUrl].find((u) => u && /^https:\/\/\S+$/i.test(u)) ?? firstHttps(m.appDomains) ?? firstHttps(m.urls.map((u) => u.url)) ?? "https://localhost";
  if (!m.provider.websiteUrl) notes.changed("developer", `XML has no developer website, privacy or terms URLs; all three were set to ${website} — replace them before publishing`);

  const iconUrl = (role: string) => m.icons.find((i) => i.role === role && /^https:\/\//i.test(i.url))?.url;
  const color = iconUrl("highResolution") ?? iconUrl("icon") ?? "color.png";
  const outline = iconUrl("icon") ?? (color === "color.png" ? "outline.png" : color);
  notes.changed("icons", color === "color.png" ? "no HTTPS icon URL was found; the package must ship color.png (192×192) and outline.png (32×32)" : "IconUrl/HighResolutionIconUrl are referenced by URL; an app package normally ships color (192×192) and outline (32×32) files");

  const resourceSpecific = [
    { name: TIER_INFO[m.tier].unifiedName, type: "Delegated" },
    ...m.supplementary.map((s) => ({ name: SUPPLEMENTARY_INFO[s].unifiedName, type: "Delegated" })),
  ];
  if (m.declaredTiers.length > 1) notes.changed("Permissions", `several tiers were declared; only ${m.tier} is carried`);

  const ext = buildExtension(m, notes);
  const out: Json = {
    $schema: `https://developer.microsoft.com/json-schemas/teams/v${manifestVersion}/MicrosoftTeams.schema.json`,
    manifestVersion,
    version,
    id: m.id.replace(/^\{(.*)\}$/, "$1"),
    localizationInfo: { defaultLanguageTag: (m.defaultLocale ?? "en-US").toLowerCase() },
    developer: { name: clip("ProviderName", m.provider.name || "Unknown", 32), websiteUrl: website ?? "", privacyUrl: website ?? "", termsOfUseUrl: website ?? "" },
    name: { short: clip("DisplayName", m.name.value, LIMITS.shortName), full: clip("DisplayName", m.name.value, LIMITS.fullName) },
    description: { short: clip("Description", m.description.value || m.name.value, LIMITS.shortDescription), full: clip("Description", m.description.value || m.name.value, LIMITS.fullDescription) },
    icons: { outline, color },
    accentColor: "#FFFFFF",
    validDomains: m.appDomains.map((d) => d.replace(/^https?:\/\//i, "").replace(/\/.*$/, "")).filter((d, i, a) => d && a.indexOf(d) === i),
    authorization: { permissions: { resourceSpecific } },
    extensions: [ext],
  };
  const sso = m.extras.find((e) => e.field.endsWith("WebApplicationInfo"));
  if (sso) notes.dropped("WebApplicationInfo", "single sign-on settings must be re-entered as webApplicationInfo (id and resource) with the app registration");

  for (const [field, loc] of [["DisplayName", m.name], ["Description", m.description]] as const) {
    if (loc.overrides) notes.dropped(field, `localized values for ${Object.keys(loc.overrides).join(", ")} need localization files in the app package`);
  }
  if (m.resources.some((r) => r.overrides)) notes.dropped("Resources", "localized resource overrides need localization files in the app package");
  if (m.rules) notes.dropped("Rule", `activation rules cannot appear in a unified manifest; the add-in will show on its extension points instead (the rule was: ${describeRule(m.rules)})`);
  if (m.disableEntityHighlighting !== undefined) notes.dropped("DisableEntityHighlighting", "no unified equivalent");
  for (const ep of m.extensionPoints) if (ep.rule) notes.dropped(`ExtensionPoint ${ep.type}`, `its rule (${describeRule(ep.rule)}) cannot be carried`);
  for (const e of m.extras) if (!e.field.endsWith("WebApplicationInfo")) notes.dropped(e.field, e.note);
  return { output: JSON.stringify(out, null, 2) + "\n", notes: notes.list };
}

function buildExtension(m: AddinManifest, notes: ConversionNotes): Json {
  const runtimes: Json[] = [];
  const runtimeFor = (page: string, kind: "openPage" | "executeFunction", actionId: string, script?: string, lifetime: "short" | "long" = "short") => {
    let rt = runtimes.find((r) => (r.code as Json).page === page && (r.lifetime ?? "short") === lifetime);
    if (!rt) {
      rt = { requirements: { capabilities: [{ name: "Mailbox", minVersion: "1.3" }] }, id: `runtime_${runtimes.length + 1}`, type: "general", code: { page, ...(script ? { script } : {}) }, lifetime, actions: [] };
      runtimes.push(rt);
    }
    const actions = rt.actions as Json[];
    if (!actions.some((a) => a.id === actionId)) actions.push(kind === "openPage" ? { id: actionId, type: "openPage", view: actionId } : { id: actionId, type: "executeFunction" });
    return actionId;
  };

  const controlJson = (c: Control, field: string, mobile = false): Json | undefined => {
    const a = c.action;
    let actionId: string | undefined;
    if (a?.type === "ShowTaskpane" && a.sourceLocation) actionId = runtimeFor(a.sourceLocation, "openPage", safeId(a.taskpaneId ?? c.id));
    else if (a?.type === "ExecuteFunction" && a.sourceLocation && a.functionName) actionId = runtimeFor(a.sourceLocation, "executeFunction", a.functionName);
    if (c.items?.length) {
      return { id: safeId(c.id), type: "menu", label: (c.label ?? c.id).slice(0, 64), icons: iconsOf(c, field, notes, mobile), supertip: { title: (c.label ?? c.id).slice(0, 64), description: (c.tooltip ?? c.label ?? c.id).slice(0, 128) }, items: c.items.map((i) => controlJson(i, field, mobile)).filter((i): i is Json => !!i).map((i) => ({ ...i, type: "menuItem" })) };
    }
    if (!actionId) {
      notes.dropped(field, `control "${c.id}" has no action Outpost can carry`);
      return undefined;
    }
    return { id: safeId(c.id), type: "button", label: (c.label ?? c.id).slice(0, 64), icons: iconsOf(c, field, notes, mobile), supertip: { title: (c.label ?? c.id).slice(0, 64), description: (c.tooltip ?? c.label ?? c.id).slice(0, 128) }, actionId };
  };

  const ribbons: Json[] = [];
  const autoRunEvents: Json[] = [];
  const eps: ExtensionPoint[] = [...m.extensionPoints];
  // A manifest with only legacy forms gets its read/compose task panes as ribbon buttons. With VersionOverrides,
  // Outlook ignores FormSettings (the add-in's commands and events replace them), so neither does the conversion.
  const forms = (["read", "edit"] as const).filter((f) => m.sourceLocations[f]?.desktop);
  if (m.versionOverrides.length && forms.length) notes.dropped("FormSettings", `ignored: with VersionOverrides present Outlook does not use the ${forms.join(" and ")} form${forms.length > 1 ? "s" : ""}, so no button is made from ${forms.length > 1 ? "them" : "it"}`);
  if (!m.versionOverrides.length) {
    for (const [form, type] of [["read", "MessageReadCommandSurface"], ["edit", "MessageComposeCommandSurface"]] as const) {
      const url = m.sourceLocations[form]?.desktop;
      if (!url) continue;
      let icons = m.icons.filter((i) => /^https:\/\//i.test(i.url)).map((i) => ({ ...i, size: 32 }));
      if (!icons.length && /^https:\/\//i.test(url)) {
        const origin = new URL(url).origin;
        icons = [16, 32, 80].map((size) => ({ url: `${origin}/icon-${size}.png`, size, role: "command" }));
        notes.changed(`FormSettings/${form}`, `the manifest has no icons; the button expects them at ${origin}/icon-16.png, -32.png and -80.png`);
      }
      eps.push({ type, formFactor: "desktop", origin: "FormSettings", groups: [{ id: `${form}Group`, label: m.name.value, controls: [{ id: `${form}Button`, type: "Button", label: m.name.value, icons, action: { type: "ShowTaskpane", sourceLocation: url } }] }] });
      notes.changed(`FormSettings/${form}`, `the ${form === "read" ? "read" : "compose"} form became a button on the ${form === "read" ? "read" : "compose"} surface that opens the same page`);
    }
  }
  for (const ep of eps) {
    const field = `ExtensionPoint ${ep.type} (${ep.origin})`;
    if (ep.type === "LaunchEvent") {
      const page = ep.sourceLocation ?? m.runtimes[0]?.sourceLocation;
      if (!page) { notes.dropped(field, "launch events without a runtime page"); continue; }
      const script = m.runtimes.find((r) => r.sourceLocation === page)?.scriptLocation;
      const events = (ep.events ?? []).flatMap((e) => {
        const type = unifiedEventName(e.type);
        if (XML_ONLY_LAUNCH_EVENTS.includes(e.type)) { notes.dropped(field, `launch event ${e.type} is not available in the unified manifest (documented); not carried`); return []; }
        if (!type) { notes.dropped(field, `launch event ${e.type} has no unified name`); return []; }
        runtimeFor(page, "executeFunction", e.functionName, script);
        return [{ type, actionId: e.functionName, ...(e.sendMode ? { options: { sendMode: e.sendMode[0].toLowerCase() + e.sendMode.slice(1) } } : {}) }];
      });
      if (events.length) autoRunEvents.push({ requirements: { capabilities: [{ name: "Mailbox", minVersion: "1.10" }], scopes: ["mail"] }, events });
      continue;
    }
    // Mobile surfaces are the desktop ones on the mobile form factor (MobileOnlineMeetingCommandSurface → onlineMeetingDetailsOrganizer).
    const context = unifiedContextName(ep.type) ?? unifiedContextName(ep.type.replace(/^Mobile/, ""));
    if (!context) { notes.dropped(field, `no unified ribbon context for ${ep.type}`); continue; }
    if (ep.type === "ReportPhishingCommandSurface") {
      const fixedControls = ep.groups.flatMap((g) => g.controls).map((c) => controlJson(c, field)).filter((c): c is Json => !!c).map((c) => ({ ...c, enabled: true }));
      if (!fixedControls.length) { notes.dropped(field, "the spam-reporting button has no action"); continue; }
      ribbons.push({ contexts: [context], tabs: [], fixedControls, spamPreProcessingDialog: { title: (ep.spamDialog?.title || m.name.value).slice(0, 128), description: (ep.spamDialog?.description || m.name.value).slice(0, 250) } });
      notes.changed(field, "the pre-processing dialog keeps its title and description; reporting options, free-text label and more-info link must be re-entered");
      continue;
    }
    const groups = ep.groups.map((g) => ({ id: safeId(g.id), label: (g.label ?? g.id).slice(0, 64), controls: g.controls.map((c) => controlJson(c, field, ep.formFactor === "mobile")).filter(Boolean) })).filter((g) => g.controls.length);
    if (!groups.length) { notes.dropped(field, `no group with a control Outpost can carry (context ${context})`); continue; }
    if (ep.groups.some((g) => g.tab && g.tab !== "TabDefault")) notes.changed(field, "custom tabs were placed on the default tab");
    if (ep.formFactor === "mobile") {
      // Mobile commands live in customMobileRibbonGroups, as mobileButtons with the 25/32/48 icons at scales 1–3.
      const mobileGroups = groups.map((g) => ({ id: g.id, label: g.label.slice(0, 32), controls: (g.controls as Json[]).map((c) => ({ id: c.id, type: "mobileButton", label: (c.label as string).slice(0, 32), icons: mobileIcons(c.icons as Json[]), actionId: c.actionId })) }));
      ribbons.push({ requirements: { formFactors: ["mobile"] }, contexts: [context], tabs: [{ id: safeId(`mobile_${context}`), label: m.name.value.slice(0, 64), customMobileRibbonGroups: mobileGroups }] });
      continue;
    }
    ribbons.push({ contexts: [context], tabs: [{ builtInTabId: "TabDefault", groups }] });
  }
  const minMailbox = m.requirements.sets.find((s) => s.name === "Mailbox")?.minVersion ?? "1.1";
  return {
    requirements: { capabilities: [{ name: "Mailbox", minVersion: minMailbox }], scopes: ["mail"] },
    // The schema wants at least one entry where the key is present (an event-only add-in has no ribbon).
    ...(runtimes.length ? { runtimes } : {}),
    ...(ribbons.length ? { ribbons } : {}),
    ...(autoRunEvents.length ? { autoRunEvents } : {}),
  };
}

/** A mobile button's icons: sizes 25, 32 and 48, each at scales 1, 2 and 3 (the nearest given size where one is missing). */
function mobileIcons(icons: Json[]): Json[] {
  const nearest = (size: number) => icons.reduce((best, i) => (Math.abs((i.size as number) - size) < Math.abs((best.size as number) - size) ? i : best));
  return [25, 32, 48].flatMap((size) => [1, 2, 3].map((scale) => ({ size, url: (icons.find((i) => i.size === size) ?? nearest(size)).url, scale })));
}

/** Unified buttons need icons of sizes 16, 32 and 80; missing sizes reuse the nearest icon given, and the report says so. */
function iconsOf(c: Control, field: string, notes: ConversionNotes, mobile = false): Json[] {
  const given = (c.icons ?? []).filter((i) => /^https:\/\//i.test(i.url));
  if (!given.length) return [];
  const nearest = (size: number) => given.reduce((best, i) => (Math.abs((i.size ?? 32) - size) < Math.abs((best.size ?? 32) - size) ? i : best));
  // Mobile buttons use 25, 32 and 48; desktop buttons 16, 32 and 80 plus any other size given.
  const sizes = mobile ? [25, 32, 48] : [...new Set([16, 32, 80, ...given.map((i) => i.size ?? 32)])].sort((a, b) => a - b);
  const reused = sizes.filter((size) => !given.some((i) => i.size === size));
  if (reused.length) notes.changed(field, `control "${c.id}" lacks icon size${reused.length > 1 ? "s" : ""} ${reused.join(", ")}; the nearest size given (${reused.map((s) => nearest(s).size ?? 32).join(", ")}) is reused — supply the real sizes`);
  return sizes.map((size) => ({ size, url: (given.find((i) => i.size === size) ?? nearest(size)).url }));
}

function safeId(id: string): string {
  const s = id.replace(/[^A-Za-z0-9_.-]/g, "_");
  return s.length ? s.slice(0, 64) : "id";
}

function unifiedVersion(v: string): string {
  const parts = v.split(".").filter((p) => /^\d+$/.test(p)).map((p) => String(Number(p)));
  while (parts.length < 3) parts.push("0");
  return parts.slice(0, 3).join(".");
}

function firstHttps(urls: string[]): string | undefined {
  const u = urls.find((x) => /^https:\/\//i.test(x));
  if (!u) return undefined;
  try {
    return new URL(u).origin;
  } catch {
    return undefined;
  }
}
