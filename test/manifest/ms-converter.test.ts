/**
 * Outpost's XML → unified conversion against Microsoft's own converter (office-addin-manifest-converter, a dev
 * dependency), on every XML manifest of the corpus that Outpost validates:
 * - what Microsoft's converter writes is read by Outpost with the same tier and supplementary permissions, and with no
 *   permission finding (its `MailboxItem.AppendOnSend.User` / `Mailbox.AccessSharedFolders.User` are aliases);
 * - both conversions agree on permissions, ribbon contexts, launch events and the Mailbox requirement set, except for
 *   the deliberate differences listed in docs/manifest.md ("Conversion compared with Microsoft's converter").
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { convert as msConvert } from "office-addin-manifest-converter";
import { validateManifestText } from "../../src/manifest/validate.ts";
import { convertValidated } from "../../src/manifest/convert-validated.ts";
import { supplementaryFromUnifiedName, SUPPLEMENTARY_INFO } from "../../src/permissions/index.ts";
import { CORPUS } from "./helpers.ts";

type Json = Record<string, any>;
const XML_DIR = join(CORPUS, "xml");
const out = mkdtempSync(join(tmpdir(), "outpost-msconv-"));

const converted = new Map<string, Json | undefined>();

/** Microsoft's converter (once per file), its console chatter silenced; a copy of the manifest it wrote. */
async function microsoft(file: string): Promise<Json | undefined> {
  if (!converted.has(file)) converted.set(file, await runMicrosoft(file));
  const j = converted.get(file);
  return j && structuredClone(j);
}

async function runMicrosoft(file: string): Promise<Json | undefined> {
  const dir = join(out, file);
  const log = console.log, err = console.error, warn = console.warn;
  console.log = console.error = console.warn = () => {};
  try {
    await msConvert(join(XML_DIR, file), dir, false);
    return JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
  } catch {
    return undefined;
  } finally {
    console.log = log; console.error = err; console.warn = warn;
    // It sets process.exitCode = 1 when a manifest has no runtime it supports; that verdict is checked here instead.
    process.exitCode = 0;
  }
}

const documentedName = (name: string) => {
  const s = supplementaryFromUnifiedName(name);
  return s ? SUPPLEMENTARY_INFO[s].unifiedName : name;
};
const perms = (j: Json) => (j.authorization?.permissions?.resourceSpecific ?? []).map((p: Json) => documentedName(p.name)).sort();
/** Microsoft's converter writes `default` for the mobile read/compose surfaces; Outpost writes the surface's context. */
const contexts = (j: Json) => [...new Set<string>((j.extensions ?? []).flatMap((e: Json) => (e.ribbons ?? []).flatMap((r: Json) => r.contexts ?? [])))].filter((c) => c !== "default").sort();
/** Microsoft's converter passes some XML event names through unchanged (OnSensitivityLabelChanged, OnMessageDecrypt). */
const LEGACY_PASSED_THROUGH: Record<string, string | undefined> = { OnSensitivityLabelChanged: "sensitivityLabelChanged", OnMessageDecrypt: undefined };
const events = (j: Json) => [...new Set<string>((j.extensions ?? []).flatMap((e: Json) => (e.autoRunEvents ?? []).flatMap((a: Json) => (a.events ?? []).map((x: Json) => (x.type in LEGACY_PASSED_THROUGH ? LEGACY_PASSED_THROUGH[x.type] : x.type)))))].filter((x): x is string => !!x).sort();
const mailboxSet = (j: Json) => (j.extensions ?? []).map((e: Json) => (e.requirements?.capabilities ?? []).filter((c: Json) => /^mailbox$/i.test(c.name)).map((c: Json) => c.minVersion).join()).join(";");

/** Schema findings on Microsoft's output that are defects of that output, not of Outpost's reading (docs/manifest.md). */
const MS_OUTPUT_DEFECTS = [
  /wrong format \(it must match \^\[Hh\]\[Tt\]\[Tt\]\[Pp\]\[Ss\]\?:\/\/\)/, // http URLs copied from the XML
  /webApplicationInfo\.id has the wrong format/, // XML WebApplicationInfo ids that are not GUIDs
  /missing the required property "(actionId|size|url)"/, // empty controls / alternate icons it emits
  /icons has more than 3 entries/, // mobile icon lists copied into desktop groups
  /contexts\.\d+ must be one of/, // spamReportingOverride, which its own schema lacks
  /scope|scopes needs at least 1 entries/, // mail apps without VersionOverrides: "No supported runtime found"
];

const files = readdirSync(XML_DIR).filter((f) => f.endsWith(".xml"));
const valid = files.map((f) => ({ f, v: validateManifestText(readFileSync(join(XML_DIR, f), "utf8"), f) })).filter((x) => x.v.valid && x.v.manifest);

test("Microsoft's converter's output is read with the same tier and supplementary permissions", async () => {
  assert.ok(valid.length >= 35, `only ${valid.length} valid XML manifests`);
  const problems: string[] = [];
  let compared = 0;
  for (const { f, v } of valid) {
    const ms = await microsoft(f);
    if (!ms) continue; // the converter itself failed on this file
    compared += 1;
    const r = validateManifestText(JSON.stringify(ms), `${f}.json`);
    if (!r.manifest) { problems.push(`${f}: not read`); continue; }
    if (r.manifest.tier !== v.manifest!.tier) problems.push(`${f}: tier ${r.manifest.tier}, XML ${v.manifest!.tier}`);
    if ([...r.manifest.supplementary].sort().join() !== [...v.manifest!.supplementary].sort().join()) problems.push(`${f}: supplementary ${r.manifest.supplementary}, XML ${v.manifest!.supplementary}`);
    for (const finding of r.findings.filter((x) => x.severity === "error")) {
      if (finding.code === "unknown-permission" || !MS_OUTPUT_DEFECTS.some((re) => re.test(finding.message))) problems.push(`${f}: ${finding.code}: ${finding.message}`);
    }
  }
  assert.deepEqual(problems, []);
  assert.ok(compared >= 30, `only ${compared} compared`);
});

test("Outpost's conversion agrees with Microsoft's on permissions, ribbon contexts, launch events and requirement sets", async () => {
  const problems: string[] = [];
  for (const { f, v } of valid) {
    const ms = await microsoft(f);
    if (!ms) continue;
    const ours = convertValidated(v.manifest!, "json");
    if (!ours.valid) { problems.push(`${f}: Outpost's output is invalid: ${ours.findings.map((x) => x.message).join("; ")}`); continue; }
    const o = JSON.parse(ours.output) as Json;
    if (perms(ms).join() !== perms(o).join()) problems.push(`${f}: permissions ${perms(ms)} vs ${perms(o)}`);
    // Without VersionOverrides Microsoft's converter makes no ribbon ("No supported runtime found"): Outpost turns the forms into buttons.
    if (v.manifest!.versionOverrides.length && contexts(ms).join() !== contexts(o).join()) problems.push(`${f}: contexts ${contexts(ms)} vs ${contexts(o)}`);
    if (events(ms).join() !== events(o).join()) problems.push(`${f}: events ${events(ms)} vs ${events(o)}`);
    if (v.manifest!.versionOverrides.length && mailboxSet(ms) !== mailboxSet(o)) problems.push(`${f}: Mailbox set ${mailboxSet(ms)} vs ${mailboxSet(o)}`);
  }
  assert.deepEqual(problems, []);
});

test("what Outpost converts differently is said in the report", () => {
  const pick = (name: string) => valid.find((x) => x.f === name)!.v.manifest!;
  const events = convertValidated(pick("officedev-samples__outlook-encrypt-decrypt-messages.xml"), "json");
  assert.ok(events.notes.some((n) => n.field === "FormSettings" && /ignored/.test(n.message)), "FormSettings ignored with VersionOverrides");
  assert.equal((JSON.parse(events.output).extensions[0].ribbons ?? []).length, 0, "an event-only add-in gains no button");
  const meeting = JSON.parse(convertValidated(pick("thirdparty-denisyfrolov__meeting-js.xml"), "json").output);
  assert.ok(meeting.extensions[0].ribbons.some((r: Json) => r.contexts.includes("onlineMeetingDetailsOrganizer") && r.requirements?.formFactors?.includes("mobile")));
});
