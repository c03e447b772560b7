import type { ManifestRule } from "./types.ts";

export const noActiveX: ManifestRule = {
  meta: { code: "activex-refused", severity: "error", formats: ["xml", "json"], description: "Add-ins may not use ActiveX controls." },
  check({ manifest, xml }, report) {
    for (const a of xml?.hasActiveX ?? []) report("The manifest declares an ActiveX control; Outlook add-ins may not use ActiveX.", a.pos);
    for (const u of manifest.urls) if (/^clsid:|\.(ocx|cab)(\?|#|$)/i.test(u.url.trim())) report(`${u.field} "${u.url}" points at an ActiveX control; Outlook add-ins may not use ActiveX.`, u.pos);
  },
};
