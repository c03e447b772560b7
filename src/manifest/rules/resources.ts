import type { ManifestRule } from "./types.ts";
import { DESKTOP_ICON_SIZES, MOBILE_ICON_SIZES, REQUIRED_DESKTOP_ICON_SIZES } from "./limits.ts";

const KIND_WORDS = { image: "bt:Images", url: "bt:Urls", shortString: "bt:ShortStrings", longString: "bt:LongStrings", any: "Resources" } as const;

export const residDefined: ManifestRule = {
  meta: { code: "undefined-resid", severity: "error", formats: ["xml"], description: "Every resid must name a resource defined under VersionOverrides/Resources." },
  check({ manifest }, report) {
    const byId = new Map(manifest.resources.map((r) => [`${r.scope ?? ""}|${r.id}`, r]));
    for (const ref of manifest.resourceReferences) {
      const res = byId.get(`${ref.scope ?? ""}|${ref.resid}`);
      if (!res) report(`${ref.field} refers to resid "${ref.resid}", which is not defined in the <Resources> of ${ref.scope || "its VersionOverrides"}.`, ref.pos);
      else if (ref.kind !== "any" && res.kind !== ref.kind) report(`${ref.field} refers to "${ref.resid}" expecting an entry of ${KIND_WORDS[ref.kind]}, but it is defined in ${KIND_WORDS[res.kind]}.`, ref.pos, "warning");
    }
  },
};

export const uniqueResourceIds: ManifestRule = {
  meta: { code: "duplicate-resource-id", severity: "error", formats: ["xml"], description: "Resource ids are unique within their collection." },
  check({ manifest }, report) {
    const seen = new Set<string>();
    for (const r of manifest.resources) {
      const key = `${r.scope ?? ""}|${r.kind}:${r.id}`;
      if (seen.has(key)) report(`Resource id "${r.id}" is defined twice in ${KIND_WORDS[r.kind]} of ${r.scope || "the manifest"}.`, r.pos);
      seen.add(key);
    }
  },
};

export const iconSizes: ManifestRule = {
  meta: { code: "icon-size", severity: "error", formats: ["xml", "json"], description: `Command icons use sizes ${DESKTOP_ICON_SIZES.join("/")} (desktop) or ${MOBILE_ICON_SIZES.join("/")} (mobile); desktop buttons need 16, 32 and 80.` },
  check({ manifest }, report) {
    for (const ep of manifest.extensionPoints) {
      const allowed = ep.formFactor === "mobile" ? MOBILE_ICON_SIZES : DESKTOP_ICON_SIZES;
      const controls = ep.groups.flatMap((g) => g.controls.flatMap((c) => [c, ...(c.items ?? [])]));
      for (const c of controls) {
        const sizes = (c.icons ?? []).map((i) => i.size);
        for (const s of sizes) if (s !== undefined && !allowed.includes(s)) report(`Control "${c.id}" has an icon of size ${s}; ${ep.formFactor} icons must be one of ${allowed.join(", ")}.`, c.pos);
        if (manifest.format === "xml" && ep.formFactor === "desktop" && c.icons?.length && !c.items) {
          const missing = REQUIRED_DESKTOP_ICON_SIZES.filter((s) => !sizes.includes(s));
          if (missing.length) report(`Control "${c.id}" lacks icon sizes ${missing.join(", ")}; desktop Outlook needs 16, 32 and 80.`, c.pos, "warning");
        }
      }
    }
    if (manifest.format === "json") {
      if (!manifest.icons.some((i) => i.role === "color")) report("icons.color is required.", { pointer: "/icons/color" });
      if (!manifest.icons.some((i) => i.role === "outline")) report("icons.outline is required.", { pointer: "/icons/outline" });
    }
  },
};
