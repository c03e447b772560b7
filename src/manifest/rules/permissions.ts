import type { ManifestRule } from "./types.ts";
import { isTier, SUPPLEMENTARY_INFO, TIER_INFO, TIERS, tierAtLeast, tierFromUnifiedName, supplementaryFromUnifiedName, supplementaryAliasOf } from "../../permissions/tiers.ts";

export const onePermissionsDeclaration: ManifestRule = {
  meta: { code: "duplicate-permissions", severity: "error", formats: ["xml"], description: "A manifest has exactly one <Permissions> element; Outlook refuses a second one." },
  check({ xml }, report) {
    const els = xml?.permissionElements ?? [];
    for (const extra of els.slice(1)) report(`A second <Permissions> element (${extra.value}) is declared; Outlook accepts exactly one.`, extra.pos);
  },
};

export const knownXmlPermission: ManifestRule = {
  meta: { code: "unknown-permission", severity: "error", formats: ["xml", "json"], description: `Permission names must be one of ${TIERS.join(", ")} (XML) or their unified names, plus the supplementary ${Object.values(SUPPLEMENTARY_INFO).map((s) => s.unifiedName).join(" and ")}.` },
  check({ manifest, xml, json }, report) {
    if (manifest.format === "xml") {
      if (manifest.appType !== "MailApp") return;
      for (const p of xml?.permissionElements ?? []) {
        if (!isTier(p.value)) report(`"${p.value}" is not an Outlook permission; use one of ${TIERS.join(", ")}.`, p.pos);
        else if (manifest.schemaVersion === "1.0" && TIER_INFO[p.value].sinceXmlSchema === "1.1") report(`${p.value} needs the 1.1 manifest schema (xmlns appforoffice/1.1); schema 1.0 knows only Restricted, ReadItem and ReadWriteMailbox.`, p.pos);
      }
      return;
    }
    manifest.permissionNames.forEach((name, i) => {
      const mailish = /^(MailboxItem|Mailbox)\./.test(name);
      if (mailish && !tierFromUnifiedName(name) && !supplementaryFromUnifiedName(name)) {
        report(`"${name}" is not an Outlook permission; use one of ${Object.values(TIER_INFO).map((t) => t.unifiedName).join(", ")} or a supplementary permission.`, json?.at(`/authorization/permissions/resourceSpecific/${i}/name`));
      }
    });
  },
};

export const supplementaryAlias: ManifestRule = {
  meta: { code: "permission-alias", severity: "warning", formats: ["json"], description: "A supplementary permission is spelled as Microsoft's manifest converter writes it, not as the documentation names it; it is accepted." },
  check({ manifest, json }, report) {
    manifest.permissionNames.forEach((name, i) => {
      const info = supplementaryAliasOf(name);
      if (info) report(`"${name}" is read as ${info.unifiedName} (${info.name}), the documented name; Microsoft's manifest converter writes the other spelling.`, json?.at(`/authorization/permissions/resourceSpecific/${i}/name`));
    });
  },
};

export const oneUnifiedTier: ManifestRule = {
  meta: { code: "multiple-tiers", severity: "warning", formats: ["json"], description: "Declare one permission tier; when several are listed Outpost grants the highest and says so." },
  check({ manifest, json }, report) {
    if (manifest.declaredTiers.length > 1) {
      report(`Several tiers are declared (${manifest.declaredTiers.join(", ")}); Outpost treats the add-in as ${manifest.tier}, the highest.`, json?.at("/authorization/permissions/resourceSpecific"));
    }
    if (manifest.declaredTiers.length === 0 && manifest.hosts.includes("Mailbox")) {
      report("No mailbox permission is declared, so the add-in runs as Restricted.", json?.at("/authorization/permissions/resourceSpecific") ?? json?.at("/authorization"));
    }
  },
};

export const extendedPermissions: ManifestRule = {
  meta: { code: "extended-permission", severity: "error", formats: ["xml"], description: "ExtendedPermission accepts only AppendOnSend, inside VersionOverrides 1.1." },
  check({ xml }, report) {
    for (const e of xml?.extendedPermissions ?? []) {
      if (e.value !== "AppendOnSend") report(`"${e.value}" is not an extended permission; the only one is AppendOnSend.`, e.pos);
      else if (e.inVersion !== "1.1") report("ExtendedPermissions must sit in VersionOverrides 1.1 (VersionOverridesV1_1).", e.pos);
    }
  },
};

export const appendOnSendNeedsReadWriteItem: ManifestRule = {
  meta: { code: "append-on-send-needs-read-write-item", severity: "warning", formats: ["xml", "json"], description: "AppendOnSend is only usable from ReadWriteItem up (appendOnSendAsync needs ReadWriteItem)." },
  check({ manifest }, report) {
    if (manifest.supplementary.includes("AppendOnSend") && !tierAtLeast(manifest.tier, "ReadWriteItem")) {
      report(`AppendOnSend is declared but the tier is ${manifest.tier}; appendOnSendAsync also needs ReadWriteItem, so the permission cannot be used.`);
    }
  },
};
