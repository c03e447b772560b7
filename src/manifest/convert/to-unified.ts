/** Normalized model (from XML) → unified JSON manifest, with a report of everything not carried. */
import type { AddinManifest, Control, ExtensionPoint } from "../model.ts";
import { SUPPLEMENTARY_INFO, TIER_INFO } from "../../permissions/tiers.ts";
import { unifiedContextName, unifiedEventName } from "../json/event-names.ts";
import { describeRule } from "./describe-rule.ts";
import { ConversionNotes, type ConversionResult } from "./report.ts";

type Json = Record<string, unknown>;

const LIMITS = { shortName: 30, fullName: 100, shortDescription: 80, fullDescription: 4000, label: 64 };

export function toUnified(m: AddinManifest, manifestVersion = "1.17"): ConversionResult {
  const notes = new ConversionNotes();
  const clip = (field: string, value: string, max: number) => {
    if (value.length <= max) return value;
    notes.changed(field, `shortened from ${value.length} to ${max} characters, the unified manifest's limit`);
    return value.slice(0, max);
  };

  const version = unifiedVersion(m.version);
  if (version !== m.version) notes.changed("Version", `"${m.version}" became "${version}": unified versions have three numbers`);

  const website = m.provider.websiteUrl ?? m.supportUrl ?? firstHttps(m.appDomains) ?? firstHttps(m.urls.map((u) => u.url));
  if (!m.provider.websiteUrl) notes.changed("developer", `XML has no developer website, privacy or terms URLs; all three were set to ${website ?? "(none)"} (from SupportUrl or AppDomains) — replace them before publishing`);

  const iconUrl = (role: string) => m.icons.find((i) => i.role === role)?.url;
  const color = iconUrl("highResolution") ?? iconUrl("icon") ?? "";
  const outline = iconUrl("icon") ?? color;
  notes.changed("icons", "IconUrl/HighResolutionIconUrl are referenced by URL; an app package normally ships color (192×192) and outline (32×32) files");

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

  const controlJson = (c: Control, field: string): Json | undefined => {
    const a = c.action;
    let actionId: string | undefined;
    if (a?.type === "ShowTaskpane" && a.sourceLocation) actionId = runtimeFor(a.sourceLocation, "openPage", safeId(a.taskpaneId ?? c.id));
    else if (a?.type === "ExecuteFunction" && a.sourceLocation && a.functionName) actionId = runtimeFor(a.sourceLocation, "executeFunction", a.functionName);
    if (c.items?.length) {
      return { id: safeId(c.id), type: "menu", label: (c.label ?? c.id).slice(0, 64), icons: iconsOf(c), supertip: { title: (c.label ?? c.id).slice(0, 64), description: (c.tooltip ?? c.label ?? c.id).slice(0, 128) }, items: c.items.map((i) => controlJson(i, field)).filter(Boolean) };
    }
    if (!actionId) {
      notes.dropped(field, `control "${c.id}" has no action Outpost can carry`);
      return undefined;
    }
    return { id: safeId(c.id), type: "button", label: (c.label ?? c.id).slice(0, 64), icons: iconsOf(c), supertip: { title: (c.label ?? c.id).slice(0, 64), description: (c.tooltip ?? c.label ?? c.id).slice(0, 128) }, actionId };
  };

  const ribbons: Json[] = [];
  const autoRunEvents: Json[] = [];
  const eps: ExtensionPoint[] = [...m.extensionPoints];
  // A manifest with only legacy forms gets its read/compose task panes as ribbon buttons.
  if (!eps.some((e) => e.groups.length)) {
    for (const [form, type] of [["read", "MessageReadCommandSurface"], ["edit", "MessageComposeCommandSurface"]] as const) {
      const url = m.sourceLocations[form]?.desktop;
      if (!url) continue;
      eps.push({ type, formFactor: "desktop", origin: "FormSettings", groups: [{ id: `${form}Group`, label: m.name.value, controls: [{ id: `${form}Button`, type: "Button", label: m.name.value, icons: m.icons.filter((i) => i.url).map((i) => ({ ...i, size: 32 })), action: { type: "ShowTaskpane", sourceLocation: url } }] }] });
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
        if (!type) { notes.dropped(field, `launch event ${e.type} has no unified name`); return []; }
        runtimeFor(page, "executeFunction", e.functionName, script);
        return [{ type, actionId: e.functionName, ...(e.sendMode ? { options: { sendMode: e.sendMode[0].toLowerCase() + e.sendMode.slice(1) } } : {}) }];
      });
      if (events.length) autoRunEvents.push({ requirements: { capabilities: [{ name: "Mailbox", minVersion: "1.10" }], scopes: ["mail"] }, events });
      continue;
    }
    const context = unifiedContextName(ep.type);
    if (!context || ep.type === "ReportPhishingCommandSurface") { notes.dropped(field, `no unified ribbon context for ${ep.type}`); continue; }
    const groups = ep.groups.map((g) => ({ id: safeId(g.id), label: (g.label ?? g.id).slice(0, 64), controls: g.controls.map((c) => controlJson(c, field)).filter(Boolean) })).filter((g) => g.controls.length);
    if (!groups.length) continue;
    if (ep.groups.some((g) => g.tab && g.tab !== "TabDefault")) notes.changed(field, "custom tabs were placed on the default tab");
    ribbons.push({
      ...(ep.formFactor === "mobile" ? { requirements: { formFactors: ["mobile"] } } : {}),
      contexts: [context],
      tabs: [{ builtInTabId: "TabDefault", groups }],
    });
  }
  const minMailbox = m.requirements.sets.find((s) => s.name === "Mailbox")?.minVersion ?? "1.1";
  return {
    requirements: { capabilities: [{ name: "Mailbox", minVersion: minMailbox }], scopes: ["mail"] },
    runtimes,
    ribbons,
    ...(autoRunEvents.length ? { autoRunEvents } : {}),
  };
}

function iconsOf(c: Control): Json[] {
  const icons = (c.icons ?? []).filter((i) => i.url).map((i) => ({ size: i.size ?? 32, url: i.url }));
  return icons.length ? icons : [];
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
