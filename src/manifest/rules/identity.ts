import type { ManifestRule } from "./types.ts";

export const GUID = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;
const XML_VERSION = /^\d{1,5}(\.\d{1,5}){0,3}$/;

export const idIsGuid: ManifestRule = {
  meta: { code: "id-not-guid", severity: "error", formats: ["xml", "json"], description: "The add-in id must be a GUID such as 0b1d2c3e-4f50-4a6b-8c7d-9e0f1a2b3c4d." },
  check({ manifest, xml, json }, report) {
    if (manifest.id === "" && manifest.format === "xml") return; // the schema reports a missing <Id>
    if (!GUID.test(manifest.id.replace(/^\{(.*)\}$/, "$1"))) report(`The add-in id "${manifest.id}" is not a GUID.`, xml?.idPos ?? json?.at("/id"));
  },
};

export const versionFormat: ManifestRule = {
  meta: { code: "version-format", severity: "error", formats: ["xml"], description: "Version is one to four dot-separated numbers of at most five digits each (for example 1.0.0.0)." },
  check({ manifest, xml }, report) {
    if (manifest.version !== "" && !XML_VERSION.test(manifest.version)) report(`Version "${manifest.version}" must be one to four numbers of at most five digits separated by dots, like 1.0.0.0.`, xml?.versionPos);
  },
};

export const mailboxHost: ManifestRule = {
  meta: { code: "no-mailbox-host", severity: "error", formats: ["xml", "json"], description: "The manifest must name the Mailbox host (XML Host Name=\"Mailbox\", unified requirements scope \"mail\")." },
  check({ manifest, json }, report) {
    if (manifest.format === "xml" && manifest.appType !== "MailApp") return;
    if (!manifest.hosts.includes("Mailbox")) {
      report(manifest.format === "xml" ? "No <Host Name=\"Mailbox\"/> is declared, so Outlook will not load the add-in." : "No extension declares the \"mail\" scope, so Outlook will not load the add-in.", json?.at("/extensions"));
    }
  },
};

const PLACEHOLDER = /\{\{[^}]*\}\}|\$\{[^}]*\}|<%[^%]*%>/;

export const templatePlaceholders: ManifestRule = {
  meta: { code: "template-placeholder", severity: "error", formats: ["xml", "json"], description: "Template placeholders such as {{appId}} or ${PORT} must be filled in before the manifest is installed." },
  check({ manifest, xml, json }, report) {
    if (PLACEHOLDER.test(manifest.id)) report(`The id "${manifest.id}" is a template placeholder that was never filled in.`, xml?.idPos ?? json?.at("/id"));
    for (const u of manifest.urls) if (PLACEHOLDER.test(u.url)) report(`${u.field} "${u.url}" holds a template placeholder that was never filled in.`, u.pos);
  },
};
