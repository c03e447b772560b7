import type { ManifestRule } from "./types.ts";
import { MANIFEST_MAX_BYTES } from "./limits.ts";

export const manifestTooLarge: ManifestRule = {
  meta: { code: "manifest-too-large", severity: "error", formats: ["xml", "json"], description: `A manifest may be at most ${MANIFEST_MAX_BYTES / 1024} KB; Outlook will not install a larger one.` },
  check(ctx, report) {
    if (ctx.byteLength > MANIFEST_MAX_BYTES) report(`The manifest is ${(ctx.byteLength / 1024).toFixed(1)} KB; Outlook installs manifests of at most ${MANIFEST_MAX_BYTES / 1024} KB.`);
  },
};
