/** Unified JSON manifest → the normalized model. Structure only; rules live in ../rules. */
import { finding, type Finding } from "../findings.ts";
import type { AddinManifest, Control, ControlGroup, ExtensionPoint, Icon, Requirements, Runtime, UrlField } from "../model.ts";
import { maxTier, supplementaryFromUnifiedName, tierFromUnifiedName, type Supplementary, type Tier } from "../../permissions/tiers.ts";
import { parsePositionedJson, type PositionedJson } from "./positions.ts";
import { xmlEventName, xmlSurfaceName } from "./event-names.ts";

type Json = Record<string, unknown>;

export interface JsonParseResult {
  manifest?: AddinManifest;
  findings: Finding[];
  json?: PositionedJson;
}

const obj = (v: unknown): Json => (v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

export function parseJsonManifest(text: string): JsonParseResult {
  const json = parsePositionedJson(text.replace(/^\uFEFF/, ""));
  const findings = [...json.findings];
  if (json.value === undefined) return { findings, json };
  if (!json.value || typeof json.value !== "object" || Array.isArray(json.value)) {
    findings.push(finding("error", "json-not-object", "A unified manifest must be a JSON object.", json.at("")));
    return { findings, json };
  }
  const root = json.value as Json;
  const urls: UrlField[] = [];
  const url = (field: string, pointer: string, value: unknown) => {
    if (typeof value === "string") urls.push({ field, url: value, pos: json.at(pointer) });
  };

  // Every resourceSpecific entry counts — not only the first (Microsoft's tool reads only [0]).
  const rsc = arr(obj(obj(root.authorization).permissions).resourceSpecific);
  const permissionNames: string[] = [];
  const declaredTiers: Tier[] = [];
  const supplementary = new Set<Supplementary>();
  rsc.forEach((entry) => {
    const name = str(obj(entry).name) ?? "";
    permissionNames.push(name);
    const tier = tierFromUnifiedName(name);
    if (tier) declaredTiers.push(tier);
    const supp = supplementaryFromUnifiedName(name);
    if (supp) supplementary.add(supp);
  });

  const developer = obj(root.developer);
  for (const k of ["websiteUrl", "privacyUrl", "termsOfUseUrl"]) url(`developer.${k}`, `/developer/${k}`, developer[k]);
  const icons: Icon[] = [];
  const iconsObj = obj(root.icons);
  if (str(iconsObj.color)) icons.push({ url: str(iconsObj.color)!, role: "color", size: 192 });
  if (str(iconsObj.outline)) icons.push({ url: str(iconsObj.outline)!, role: "outline", size: 32 });

  const requirements: Requirements = { sets: [] };
  const extensionPoints: ExtensionPoint[] = [];
  const runtimes: Runtime[] = [];
  const extras: AddinManifest["extras"] = [];
  const hosts = new Set<string>();

  arr(root.extensions).forEach((extRaw, ei) => {
    const ext = obj(extRaw);
    const base = `/extensions/${ei}`;
    const origin = `extensions[${ei}]`;
    const req = readRequirements(ext.requirements);
    for (const s of req.scopes ?? []) hosts.add(s === "mail" ? "Mailbox" : s);
    requirements.sets.push(...req.sets.filter((s) => !requirements.sets.some((x) => x.name === s.name && x.minVersion === s.minVersion)));
    if (req.scopes) requirements.scopes = [...new Set([...(requirements.scopes ?? []), ...req.scopes])];
    if (req.formFactors) requirements.formFactors = [...new Set([...(requirements.formFactors ?? []), ...req.formFactors])];

    const runtimeById = new Map<string, Runtime>();
    arr(ext.runtimes).forEach((rtRaw, ri) => {
      const rt = obj(rtRaw);
      const code = obj(rt.code);
      const r: Runtime = {
        id: str(rt.id),
        lifetime: rt.lifetime === "long" ? "long" : "short",
        sourceLocation: str(code.page),
        scriptLocation: str(code.script),
        actions: arr(rt.actions).map((a) => ({ id: str(obj(a).id) ?? "", type: str(obj(a).type) ?? "", view: str(obj(a).view) })),
        requirements: readRequirements(rt.requirements),
        pos: json.at(`${base}/runtimes/${ri}`),
      };
      url(`${origin}.runtimes[${ri}].code.page`, `${base}/runtimes/${ri}/code/page`, code.page);
      url(`${origin}.runtimes[${ri}].code.script`, `${base}/runtimes/${ri}/code/script`, code.script);
      runtimes.push(r);
      if (r.id) runtimeById.set(r.id, r);
    });
    const actionFor = (actionId: string | undefined) => {
      if (!actionId) return undefined;
      for (const r of runtimeById.values()) {
        const a = r.actions?.find((x) => x.id === actionId);
        if (a) {
          const type = a.type === "executeFunction" ? "ExecuteFunction" : a.type === "openPage" ? "ShowTaskpane" : a.type;
          return { type, sourceLocation: r.sourceLocation, ...(type === "ExecuteFunction" ? { functionName: a.id } : { taskpaneId: a.view }) };
        }
      }
      return { type: "Unknown", functionName: actionId };
    };
    const control = (cRaw: unknown, pointer: string): Control => {
      const c = obj(cRaw);
      const cIcons = arr(c.icons).map((i, ii) => {
        url(`control ${str(c.id) ?? ""} icon`, `${pointer}/icons/${ii}/url`, obj(i).url);
        return { url: str(obj(i).url) ?? "", size: typeof obj(i).size === "number" ? (obj(i).size as number) : undefined, role: "command" };
      });
      const out: Control = { id: str(c.id) ?? "", type: str(c.type) === "menu" ? "Menu" : "Button", label: str(c.label), tooltip: str(obj(c.supertip).description), pos: json.at(pointer) };
      if (cIcons.length) out.icons = cIcons;
      const action = actionFor(str(c.actionId));
      if (action) out.action = action;
      if (Array.isArray(c.items)) out.items = arr(c.items).map((it, ii) => control(it, `${pointer}/items/${ii}`));
      return out;
    };

    arr(ext.ribbons).forEach((ribRaw, ri) => {
      const rib = obj(ribRaw);
      const groups: ControlGroup[] = [];
      arr(rib.tabs).forEach((tabRaw, ti) => {
        const tab = obj(tabRaw);
        arr(tab.groups).forEach((gRaw, gi) => {
          const g = obj(gRaw);
          const gp = `${base}/ribbons/${ri}/tabs/${ti}/groups/${gi}`;
          groups.push({ id: str(g.id) ?? "", label: str(g.label), tab: str(tab.builtInTabId) ?? str(tab.id), controls: arr(g.controls).map((c, ci) => control(c, `${gp}/controls/${ci}`)) });
        });
      });
      if (Array.isArray(rib.fixedControls)) groups.push({ id: "fixedControls", controls: arr(rib.fixedControls).map((c, ci) => control(c, `${base}/ribbons/${ri}/fixedControls/${ci}`)) });
      const ribReq = readRequirements(rib.requirements);
      const mobile = (ribReq.formFactors ?? []).includes("mobile") && !(ribReq.formFactors ?? []).includes("desktop");
      const dialog = obj(rib.spamPreProcessingDialog);
      for (const ctx of arr(rib.contexts)) {
        const type = xmlSurfaceName(String(ctx)) ?? String(ctx);
        extensionPoints.push({
          type, formFactor: mobile ? "mobile" : "desktop", groups, origin: `${origin}.ribbons[${ri}]`, pos: json.at(`${base}/ribbons/${ri}`),
          ...(rib.spamPreProcessingDialog ? { spamDialog: { title: str(dialog.title) ?? "", description: str(dialog.description) ?? "" } } : {}),
        });
      }
    });

    arr(ext.autoRunEvents).forEach((arRaw, ai) => {
      const ar = obj(arRaw);
      const events = arr(ar.events).map((eRaw) => {
        const e = obj(eRaw);
        const type = str(e.type) ?? "";
        const sendMode = str(obj(e.options).sendMode);
        return { type: xmlEventName(type) ?? type, functionName: str(e.actionId) ?? "", ...(sendMode ? { sendMode: sendModeToXml(sendMode) } : {}) };
      });
      const first = events[0] ? [...runtimeById.values()].find((r) => r.actions?.some((a) => a.id === events[0].functionName)) : undefined;
      extensionPoints.push({ type: "LaunchEvent", formFactor: "desktop", groups: [], events, sourceLocation: first?.sourceLocation, origin: `${origin}.autoRunEvents[${ai}]`, pos: json.at(`${base}/autoRunEvents/${ai}`) });
    });

    arr(ext.alternates).forEach((altRaw, ai) => {
      const alt = obj(altRaw);
      const ai2 = obj(alt.alternateIcons);
      for (const k of ["icon", "highResolutionIcon"]) {
        const i = obj(ai2[k]);
        if (str(i.url)) {
          icons.push({ url: str(i.url)!, size: typeof i.size === "number" ? i.size : undefined, role: k === "icon" ? "icon" : "highResolution" });
          url(`${origin}.alternates[${ai}].alternateIcons.${k}`, `${base}/alternates/${ai}/alternateIcons/${k}/url`, i.url);
        }
      }
      for (const k of ["prefer", "hide"]) if (alt[k]) extras.push({ field: `${origin}.alternates[${ai}].${k}`, note: JSON.stringify(alt[k]) });
    });
    for (const k of ["keyboards", "contextMenus", "getStartedMessages", "audienceClaimUrl", "appOnlyActions"]) {
      if (ext[k] !== undefined) extras.push({ field: `${origin}.${k}`, note: `${k} is kept in the unified manifest only` });
    }
  });

  arr(root.validDomains).forEach((d, i) => url("validDomains", `/validDomains/${i}`, d));
  const wai = obj(root.webApplicationInfo);
  if (str(wai.id)) extras.push({ field: "webApplicationInfo", note: `single sign-on application ${str(wai.id)} (${str(wai.resource) ?? ""})` });

  const name = obj(root.name);
  const description = obj(root.description);
  const manifest: AddinManifest = {
    format: "json",
    schemaVersion: str(root.manifestVersion) ?? "",
    appType: "MailApp",
    id: str(root.id) ?? "",
    version: str(root.version) ?? "",
    defaultLocale: str(obj(root.localizationInfo).defaultLanguageTag),
    name: { value: str(name.short) ?? "" },
    description: { value: str(description.full) ?? str(description.short) ?? "" },
    provider: { name: str(developer.name) ?? "", websiteUrl: str(developer.websiteUrl), privacyUrl: str(developer.privacyUrl), termsOfUseUrl: str(developer.termsOfUseUrl), mpnId: str(developer.mpnId) },
    hosts: [...hosts],
    tier: declaredTiers.length ? maxTier(declaredTiers) : "Restricted",
    declaredTiers,
    permissionNames,
    supplementary: [...supplementary],
    requirements,
    sourceLocations: {},
    extensionPoints,
    runtimes,
    versionOverrides: [],
    appDomains: arr(root.validDomains).map(String),
    icons,
    resources: [],
    resourceReferences: [],
    urls,
    extras,
  };
  return { manifest, findings, json };
}

function readRequirements(raw: unknown): Requirements {
  const r = obj(raw);
  const req: Requirements = {
    sets: arr(r.capabilities).map((c) => ({ name: str(obj(c).name) ?? "", minVersion: str(obj(c).minVersion), maxVersion: str(obj(c).maxVersion) })),
  };
  if (Array.isArray(r.scopes)) req.scopes = r.scopes.map(String);
  if (Array.isArray(r.formFactors)) req.formFactors = r.formFactors.map(String);
  return req;
}

function sendModeToXml(mode: string): string {
  const map: Record<string, string> = { promptUser: "PromptUser", softBlock: "SoftBlock", block: "Block" };
  return map[mode] ?? mode;
}
