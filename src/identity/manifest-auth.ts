/**
 * What a manifest says about modern auth: the XML manifest's <WebApplicationInfo> (Id, Resource, Scopes) or the
 * unified manifest's webApplicationInfo (id, resource). The Graph scopes listed there are the least privilege the
 * add-in asks for; `registrationFromManifest` turns them into an app registration (scopes unknown to Outpost are
 * reported with their line, never silently dropped).
 */
import { DOMParser } from "@xmldom/xmldom";
import { parseManifestText } from "../manifest/parse.ts";
import type { NewRegistration } from "./registrations.ts";
import { scopeDef } from "./scopes.ts";

export interface ManifestAuth {
  addinId: string;
  displayName: string;
  publisher: string;
  /** WebApplicationInfo Id: the Entra app (client) id the add-in was registered with. */
  clientId?: string;
  resource?: string;
  scopes: string[];
  /** Problems, each naming the place: "manifest.xml:42: unknown scope 'Files.Read'". */
  problems: string[];
}

export function readManifestAuth(text: string, file = "manifest"): ManifestAuth {
  const parsed = parseManifestText(text, file);
  const m = parsed.manifest;
  if (!m) throw new Error(`${file}: ${parsed.findings.find((f) => f.severity === "error")?.message ?? "not a manifest"}`);
  const out: ManifestAuth = { addinId: m.id, displayName: m.name.value, publisher: m.provider?.name ?? "", scopes: [], problems: [] };
  if (parsed.format === "xml") {
    const doc = new DOMParser({ onError: () => undefined }).parseFromString(text, "text/xml");
    const wai = doc.getElementsByTagName("WebApplicationInfo")[0];
    if (wai) {
      const childText = (name: string) => wai.getElementsByTagName(name)[0]?.textContent?.trim() || undefined;
      out.clientId = childText("Id");
      out.resource = childText("Resource");
      const scopes = wai.getElementsByTagName("Scope");
      for (let i = 0; i < scopes.length; i++) {
        const s = scopes[i]!;
        const name = (s.textContent ?? "").trim();
        const d = scopeDef(name);
        const line = (s as unknown as { lineNumber?: number }).lineNumber;
        if (!d) out.problems.push(`${file}${line ? `:${line}` : ""}: WebApplicationInfo/Scopes: unknown scope '${name.slice(0, 100)}'`);
        else if (!out.scopes.includes(d.name)) out.scopes.push(d.name);
      }
    }
  } else {
    const root = JSON.parse(text) as { webApplicationInfo?: { id?: unknown; resource?: unknown } };
    if (typeof root.webApplicationInfo?.id === "string") out.clientId = root.webApplicationInfo.id;
    if (typeof root.webApplicationInfo?.resource === "string") out.resource = root.webApplicationInfo.resource;
  }
  return out;
}

export function registrationFromManifest(auth: ManifestAuth, extra: Partial<NewRegistration> = {}): NewRegistration {
  return {
    ...(auth.clientId ? { clientId: auth.clientId } : {}),
    addinId: auth.addinId,
    displayName: auth.displayName,
    publisher: auth.publisher,
    scopes: ["openid", "profile", ...auth.scopes],
    ...(auth.resource ? { ssoResource: auth.resource } : {}),
    ...extra,
  };
}
