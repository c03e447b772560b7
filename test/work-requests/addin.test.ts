/**
 * Work requests for Outlook, headless with outpost/testing (real Chromium through the browser runtime, the real
 * bridge and dispatch, the real service on PGlite): an email with two attachments (one 10 MB) becomes a request, the
 * service holds both files with identical hashes, reopening shows the note, and the trace holds nothing before the
 * pane opened, no attachment read before the Submit click and nothing above ReadItem. Legacy tokens off (Exchange
 * Online; getTokenStatusAsync says so): getAttachmentContentAsync and the dialog sign-in, the dialog's overlay gone
 * after messageParent. The ReadWriteMailbox manifest runs the same code. (The web client test, web.test.ts, covers
 * the three legacy-token modes end to end.)
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { createHost, type TestHost, type AddinControl } from "../../src/testing/index.ts";
import { lowestTierFor, tierAtLeast } from "../../src/permissions/index.ts";
import { SERVICE_USER, addinCopy, attachmentsForTest, startService } from "./world.ts";
import type { WorkService } from "../../examples/work-requests/service/app.ts";

let host: TestHost;
let service: WorkService;
let url: string;
let dir: string;
const files = attachmentsForTest();

before(async () => {
  ({ service, url } = await startService({ uploadMaxBytes: 12 * 1024 * 1024 }));
  dir = addinCopy(url);
  host = await createHost({ email: "alice@contoso.example", displayName: "Alice Example" });
});
after(async () => {
  await host?.close();
  await service?.close();
});

const SHOTS = new URL("../../docs/screenshots/", import.meta.url).pathname;

async function signInThroughDialog(c: AddinControl, shot?: string) {
  const page = c.page!;
  const pane = () => page.frames().find((f) => f.url().includes("/index.html"))!;
  await pane().click("#submit");
  // Legacy tokens are off (getTokenStatusAsync says 0): the pane opens the service's sign-in in a dialog.
  const dialog = (await (await page.waitForSelector("[data-outpost-dialog] iframe")).contentFrame())!;
  assert.ok(dialog, "the sign-in dialog opened");
  await dialog.waitForSelector("#email");
  await dialog.fill("#email", SERVICE_USER.email);
  await dialog.fill("#password", SERVICE_USER.password);
  if (shot) await page.screenshot({ path: `${SHOTS}work-requests-signin.png` });
  await dialog.click("#signin-button");
  await pane().waitForSelector("#status.ok, #status.error", { timeout: 240_000 });
  // The pane called dialog.close() on the dialog's message (before any later call): the host removed the dialog's
  // frame and its overlay (the overlay used to stay, an empty white box over the pane).
  assert.equal(await page.locator("[data-outpost-dialog]").count(), 0, "no dialog overlay left on the host page");
  if (shot) await page.screenshot({ path: `${SHOTS}work-requests-${shot}.png` });
}

async function submitAndReopen(manifest: string, subject: string, shots = false) {
  const addin = await host.loadAddin({ manifest: join(dir, manifest) });
  const item = await host.addItem({ fields: { subject, bodyText: "Please set up the launch page.\nThanks, Adele", attachments: files.map(({ name, contentType, data }) => ({ name, contentType, data })) } });
  let clickAt = "";
  const run = await addin.run(join(dir, "index.html"), {
    item,
    root: dir,
    runMs: 300_000,
    onReady: async (c) => {
      clickAt = new Date().toISOString();
      await signInThroughDialog(c, shots ? "submitted" : undefined);
    },
  });
  assert.equal(run.crash, undefined, JSON.stringify(run.crash));
  assert.match(run.page.status ?? "", /^Request #\d+ submitted with 2 document\(s\)\.$/, run.page.status);
  const id = Number(/#(\d+)/.exec(run.page.status!)![1]);
  const reopened = await addin.run(join(dir, "index.html"), {
    item,
    root: dir,
    ...(shots ? { onReady: async (c: AddinControl) => void (await c.page!.screenshot({ path: `${SHOTS}work-requests-reopened.png` })) } : {}),
  });
  return { addin, item, run, id, clickAt, reopened };
}

async function documentsOf(id: number) {
  const docs = await service.db.query<{ name: string; size: string; sha256: string }>(
    "SELECT d.name, d.size, d.sha256 FROM work_requests.documents d JOIN work_requests.requests r ON r.submission_id = d.submission_id WHERE r.id = $1 ORDER BY d.id",
    [id],
  );
  return docs.map((d) => [d.name, Number(d.size), d.sha256]);
}

function checkTrace(all: unknown[], clickAt: string) {
  const trace = all as { member: string; path: string; at: string }[];
  const beforeClick = trace.filter((t) => t.at < clickAt).map((t) => t.member);
  // Before the click only the pane's opening reads (subject, body for the prefill, the note): no attachment, no token.
  assert.ok(!beforeClick.some((m) => /Attachment|Token/i.test(m)), `before the click: ${beforeClick.join(", ")}`);
  const lowest = lowestTierFor(trace.map((t) => t.path));
  assert.deepEqual(lowest.unknown, []);
  assert.ok(tierAtLeast("ReadItem", lowest.tier), `the trace needs ${lowest.tier}`);
}

test("legacy tokens off: a request with two attachments (one 10 MB) via getAttachmentContentAsync; the note on reopening", async () => {
  const { addin, run, id, clickAt, reopened } = await submitAndReopen("manifest.xml", "Launch page for the relaunch", true);
  assert.equal(addin.tier, "ReadItem");
  const members = run.trace.map((t) => t.member);
  assert.equal(members.filter((m) => m === "item.getAttachmentContentAsync").length, 2, members.join(", "));
  assert.ok(members.includes("diagnostics.ews.getTokenStatusAsync"), members.join(", "));
  assert.ok(!members.some((m) => m === "getUserIdentityTokenAsync" || m === "getCallbackTokenAsync"), `tokens off: no legacy token asked for: ${members.join(", ")}`);
  assert.equal(run.browser?.dialogs.filter((d) => d.opened).length, 1, "one sign-in dialog");
  checkTrace(run.trace, clickAt);
  assert.deepEqual(await documentsOf(id), files.map((f) => [f.name, f.data.length, f.sha256]));
  assert.match(reopened.page.note ?? "", new RegExp(`^Request #${id} submitted on .+ UTC — open$`));
  assert.match(reopened.page.history ?? "", new RegExp(`request #${id} at \\d{4}-`));
  assert.ok(!reopened.trace.some((t) => /Attachment|Token/i.test(t.member)), "reopening reads no attachment");
});

test("the ReadWriteMailbox manifest runs the same code identically: nothing in it needs more than ReadItem", async () => {
  const { addin, run, id, clickAt, reopened } = await submitAndReopen("manifest.readwritemailbox.xml", "Launch page, vendor manifest");
  assert.equal(addin.tier, "ReadWriteMailbox");
  assert.equal(run.trace.filter((t) => t.member === "item.getAttachmentContentAsync").length, 2);
  checkTrace(run.trace, clickAt);
  assert.deepEqual(await documentsOf(id), files.map((f) => [f.name, f.data.length, f.sha256]));
  assert.match(reopened.page.note ?? "", new RegExp(`^Request #${id} submitted on`));
});
