/**
 * The web client's add-in bar for one item in one form: the buttons of each add-in's extension point for that form
 * (message read/compose, appointment attendee/organizer), legacy add-ins (no commands) that activate on the item
 * through src/activation with the web client profile, contextual matches to highlight, launch events, and the
 * business bar: add-ins governance disabled (the texts of src/governance), IRM-protected items, legacy tokens off.
 */
import { evaluateActivation } from "../../activation/index.ts";
import type { Control, ExtensionPoint } from "../../manifest/model.ts";
import type { Governance } from "../../governance/index.ts";
import type { Item } from "../../mailbox/index.ts";
import { irmRefusal } from "../../tenant/irm.ts";
import { activationItem } from "../../runtime/members/activation.ts";
import { tierAtLeast } from "../../permissions/tiers.ts";
import type { CatalogAddin } from "./addin-catalog.ts";
import type { AddinBar, AddinBarEntry, AddinButton, BusinessNotice, FormKind, Highlight } from "./api-types.ts";

const GATES = new Set(["protected-item", "report-item", "governance-disabled"]);

export function surfaceFor(item: Pick<Item, "itemType">, form: FormKind, isOrganizer: boolean): string {
  if (item.itemType === "appointment") return form === "compose" || isOrganizer ? "AppointmentOrganizerCommandSurface" : "AppointmentAttendeeCommandSurface";
  return form === "read" ? "MessageReadCommandSurface" : "MessageComposeCommandSurface";
}

function button(addinId: string, c: Control, mapUrl: (u: string) => string): AddinButton | undefined {
  const base = { addinId, controlId: c.id, label: c.label ?? c.id, ...(c.tooltip ? { tooltip: c.tooltip } : {}), ...(c.icons?.[0]?.url ? { icon: mapUrl(c.icons[0].url) } : {}) };
  if (c.type === "Menu") {
    const items = (c.items ?? []).map((i) => button(addinId, i, mapUrl)).filter((b): b is AddinButton => !!b);
    return items.length ? { ...base, action: { kind: "menu" }, items } : undefined;
  }
  const a = c.action;
  if (a?.type === "ShowTaskpane" && a.sourceLocation) return { ...base, action: { kind: "taskpane", url: mapUrl(a.sourceLocation), pinnable: a.supportsPinning === true } };
  if (a?.type === "ExecuteFunction" && a.functionName && a.sourceLocation) return { ...base, action: { kind: "function", functionName: a.functionName, functionFile: mapUrl(a.sourceLocation) } };
  return undefined;
}

export interface BarInput {
  item: Item;
  form: FormKind;
  inSentItems: boolean;
  isOrganizer: boolean;
  addins: CatalogAddin[];
  userId: string;
  governance: Governance;
  /** The tenant grants add-ins the OBJMODEL usage right on IRM-protected items. */
  irmActivation: boolean;
  /** The tenant's legacy Exchange token switch. */
  legacyTokensEnabled: boolean;
  /** Rewrites a manifest URL to where the add-in is really served (its own origin). */
  mapUrl: (url: string) => string;
}

export async function addinBar(input: BarInput): Promise<AddinBar> {
  const { item, form } = input;
  const surface = surfaceFor(item, form, input.isOrganizer);
  const entries: AddinBarEntry[] = [];
  const business: BusinessNotice[] = [];
  const base = activationItem(item, input.inSentItems);
  // IRM: add-ins activate only when the tenant grants the OBJMODEL usage right and the web client supports it
  // (src/tenant/irm.ts, the same rule the bridge applies); otherwise none does and the business bar says why.
  const irm = irmRefusal({ irmActivation: input.irmActivation }, "web", item);
  const aItem = { ...base, ...(irm ? { objectModelAllowed: false } : {}) };
  if (irm) business.push({ kind: "irm", text: `Add-ins aren't available for this item because it is protected by Information Rights Management: ${irm}.` });

  for (const addin of input.addins) {
    const m = addin.manifest;
    const disabled = await input.governance.getDisabled(input.userId, addin.id);
    if (disabled) {
      business.push({ kind: "governance", addinId: addin.id, text: disabled.text });
      continue;
    }
    const result = await evaluateActivation(m, aItem, { client: "web", form });
    // Item gates hold for every add-in; the manifest's own rules gate legacy add-ins only — an add-in with commands
    // shows the buttons of the extension point for this form (Outlook ignores the OfficeApp rules for commands).
    if (result.limits.some((l) => GATES.has(l.kind))) continue;
    const hasCommands = m.versionOverrides.length > 0 || m.format === "json";
    if (!hasCommands && !result.activated) continue;
    const points = m.extensionPoints.filter((e) => e.formFactor === "desktop");
    const here = points.filter((e) => e.type === surface);
    const buttons = here.flatMap((e: ExtensionPoint) => e.groups.flatMap((g) => g.controls.map((c) => button(addin.id, c, input.mapUrl)))).filter((b): b is AddinButton => !!b);
    let legacyUrl: string | undefined;
    if (!hasCommands) {
      const loc = form === "read" ? m.sourceLocations.read?.desktop : m.sourceLocations.edit?.desktop;
      if (loc) legacyUrl = input.mapUrl(loc);
    }
    const events = form === "compose"
      ? points.filter((e) => e.type === "LaunchEvent").flatMap((e) => (e.events ?? []).map((ev) => ({ type: ev.type, functionName: ev.functionName, ...(ev.sendMode ? { sendMode: ev.sendMode } : {}) })))
      : [];
    const runtime = m.runtimes.find((r) => r.sourceLocation);
    const highlights: Highlight[] = [];
    if (form === "read" && !m.disableEntityHighlighting) {
      for (const [name, values] of Object.entries(result.highlightedRegexMatches)) for (const text of values) highlights.push({ kind: "regex", name, text });
      for (const [name, values] of Object.entries(result.filteredEntities)) for (const v of values) {
        const text = typeof v === "string" ? v : ((v as { originalPhoneString?: string; displayName?: string; meetingString?: string; taskString?: string }).originalPhoneString ?? (v as { meetingString?: string }).meetingString ?? (v as { taskString?: string }).taskString ?? "");
        if (text) highlights.push({ kind: "entity", name, text });
      }
    }
    const detected = points.find((e) => e.type === "DetectedEntity");
    if (!buttons.length && !legacyUrl && !events.length && !highlights.length) continue;
    entries.push({
      addinId: addin.id,
      name: addin.name,
      tier: addin.tier,
      supplementary: [...addin.supplementary],
      buttons,
      ...(legacyUrl ? { legacyUrl } : {}),
      events,
      ...(runtime?.sourceLocation ? { runtimeUrl: input.mapUrl(runtime.sourceLocation) } : {}),
      highlights,
      ...(detected?.sourceLocation ? { detectedEntityUrl: input.mapUrl(detected.sourceLocation) } : legacyUrl && highlights.length ? { detectedEntityUrl: legacyUrl } : {}),
    });
  }
  if (!input.legacyTokensEnabled && entries.some((e) => tierAtLeast(e.tier, "ReadItem"))) {
    business.push({ kind: "legacy-tokens", text: "Legacy Exchange tokens are turned off for your organization: add-ins that ask for callback or identity tokens, or make EWS requests, may not work here." });
  }
  return { itemId: item.id, form, surface, entries, business };
}
