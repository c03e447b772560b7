/**
 * The mismatches of issue 16 not held by a generated test elsewhere, one assertion each (the limits, errors,
 * storage limits, fixed answers and table rows are in test/runtime/limits.test.ts, compose-state.test.ts and
 * table.test.ts; the converter agreement in test/manifest/ms-converter.test.ts).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { decide, lookupMember, supportedMailboxSets, ON_PREMISES_POLICY, ERROR_CODES } from "../../src/permissions/index.ts";
import { validateManifestText } from "../../src/manifest/validate.ts";
import { convertValidated } from "../../src/manifest/convert-validated.ts";
import { CORPUS } from "../manifest/helpers.ts";

const I = "Office.context.mailbox.item";
const grant = (tier: "ReadWriteItem" | "ReadWriteMailbox") => ({ tier, supplementary: [], tenant: ON_PREMISES_POLICY });

test("requirement sets as documented: getCallbackTokenAsync 1.1 read / 1.3 compose / 1.5 options, addFileAttachmentAsync 1.8 on the web, getSharedPropertiesAsync 1.13 for shared mailboxes", () => {
  const token = lookupMember("Office.context.mailbox.getCallbackTokenAsync")!;
  assert.equal(token.requirementSet, "Mailbox 1.1");
  assert.deepEqual(token.requirementSetVariants?.map((v) => [v.set, v.modes ?? null]), [["1.3", ["compose"]], ["1.5", null]]);
  assert.ok(lookupMember(`${I}.addFileAttachmentAsync`)!.requirementSetVariants?.some((v) => v.set === "1.8" && /web/.test(v.when)));
  assert.ok(lookupMember(`${I}.getSharedPropertiesAsync`)!.requirementSetVariants?.some((v) => v.set === "1.13" && /shared mailbox/.test(v.when)));
});

test("display.body/subject.setAsync exist on messages in read mode only (5004 on an appointment)", () => {
  for (const path of [`${I}.display.body.setAsync`, `${I}.display.subject.setAsync`]) {
    assert.equal(decide({ path, mode: "read", itemType: "message", hasItemContext: true }, grant("ReadWriteItem")).allowed, true);
    const appt = decide({ path, mode: "read", itemType: "appointment", hasItemContext: true }, grant("ReadWriteItem"));
    assert.ok(!appt.allowed && appt.error.code === ERROR_CODES.invalidApiCall, path);
  }
});

test("isSetSupported('Mailbox') reaches every released set a row needs (1.15 and 1.16 included), derived from the table", () => {
  const sets = supportedMailboxSets();
  for (const v of ["1.1", "1.14", "1.15", "1.16"]) assert.ok(sets.includes(v), v);
  assert.ok(!sets.includes("1.17"), "no set beyond what the table serves");
});

function corpusManifest(name: string, edit: (xml: string) => string) {
  const xml = edit(readFileSync(join(CORPUS, "xml", name), "utf8"));
  const v = validateManifestText(xml, name);
  assert.ok(v.manifest, `${name}: ${JSON.stringify(v.findings.slice(0, 3))}`);
  return v.manifest;
}

test("conversion writes the documented event names, and says OnMessageReadWithCustomHeader is not carried", () => {
  const base = "officedev-addin-scripts__project-test-manifest.xml";
  const organizer = convertValidated(corpusManifest(base, (x) => x.replace('Type="OnNewAppointmentOrganizer"', 'Type="OnAppointmentOrganizer"')), "json");
  const events = JSON.parse(organizer.output).extensions.flatMap((e: { autoRunEvents?: Array<{ events: Array<{ type: string }> }> }) => (e.autoRunEvents ?? []).flatMap((a) => a.events.map((ev) => ev.type)));
  assert.ok(events.includes("appointmentOrganizerOpened"), JSON.stringify(events));
  const compose = convertValidated(corpusManifest(base, (x) => x.replace('Type="OnNewMessageCompose"', 'Type="OnMessageCompose"')), "json");
  assert.match(compose.output, /"messageComposeOpened"/);
  const header = convertValidated(corpusManifest(base, (x) => x.replace('Type="OnNewMessageCompose"', 'Type="OnMessageReadWithCustomHeader"')), "json");
  assert.doesNotMatch(header.output, /OnMessageReadWithCustomHeader|messageReadWithCustomHeader/i);
  assert.ok(header.notes.some((n) => /OnMessageReadWithCustomHeader/.test(n.message) && /not carried/.test(n.message)));
});
