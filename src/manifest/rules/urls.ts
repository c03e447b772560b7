import type { ManifestRule } from "./types.ts";

/** Unified manifests may name files inside the app package (e.g. "color.png"); those are not URLs. */
function isPackagePath(url: string): boolean {
  return !/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(url) && !url.startsWith("//");
}

export const httpsOnly: ManifestRule = {
  meta: { code: "https-required", severity: "error", formats: ["xml", "json"], description: "Every SourceLocation and URL must use HTTPS; Outlook loads add-in content only over SSL." },
  check({ manifest }, report) {
    for (const u of manifest.urls) {
      const url = u.url.trim();
      if (url === "") continue;
      const isDomainList = u.field === "validDomains" || u.field === "AppDomains/AppDomain";
      if (isDomainList) {
        if (/^http:/i.test(url)) report(`${u.field} "${url}" uses http; add-in domains must be HTTPS.`, u.pos);
        continue;
      }
      if (manifest.format === "json" && isPackagePath(url)) continue;
      if (!/^https:\/\//i.test(url)) report(`${u.field} "${url}" is not an HTTPS URL; Outlook loads add-in content only over HTTPS.`, u.pos);
    }
  },
};
