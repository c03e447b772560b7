import type { ManifestRule } from "./types.ts";

/** Unified manifests may name files inside the app package (e.g. "color.png"); those are not URLs. */
function isPackagePath(url: string): boolean {
  return !/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(url) && !url.startsWith("//");
}

/**
 * Visual Studio's `~remoteAppUrl` token is replaced with the web project's address at publish time,
 * so it is not yet a URL: a warning, since the published address must still be HTTPS.
 */
const BUILD_TIME_TOKEN = /^~remoteAppUrl\b/i;

/** Links a person reads (support, developer pages) — not content Outlook loads. */
function isInformational(field: string): boolean {
  return /^(SupportUrl|developer\.)/.test(field);
}

export const httpsOnly: ManifestRule = {
  meta: { code: "https-required", severity: "error", formats: ["xml", "json"], description: "Every SourceLocation, icon and resource URL must use HTTPS; Outlook loads add-in content only over SSL. Support and developer links get a warning." },
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
      if (/^https:\/\//i.test(url)) continue;
      if (BUILD_TIME_TOKEN.test(url)) {
        report(`${u.field} "${url}" uses the ~remoteAppUrl build token; make sure the published address is HTTPS.`, u.pos, "warning");
      } else if (isInformational(u.field)) {
        report(`${u.field} "${url}" is not an HTTPS URL.`, u.pos, "warning");
      } else {
        report(`${u.field} "${url}" is not an HTTPS URL; Outlook loads add-in content only over HTTPS.`, u.pos);
      }
    }
  },
};
