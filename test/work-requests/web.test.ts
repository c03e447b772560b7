/**
 * Work requests end to end in Outpost's web client, in real Chromium (the test/web world: HTTPS server, add-in
 * origin, seeded tenant): sign in at /app/, open an email with two attachments (one 10 MB), open the Work requests
 * task pane from the add-in origin, submit a request → the service holds both files with identical hashes →
 * reopening the email shows the note → the trace holds no call before the click and nothing above ReadItem.
 *
 * Per legacy-token mode of the tenant (src/identity/legacy.ts):
 * - enabled: the service takes Outpost's identity token (verified against its JWKS), the bytes come through REST
 *   `$value` with the read-only callback token, streamed;
 * - disabled: the service's sign-in in a dialog (the dialog's frame and overlay gone after messageParent),
 *   getAttachmentContentAsync;
 * - removed: MSAL.js nested app auth through the host's broker — a token for the service's API (verified against
 *   the identity provider's JWKS, audience = the add-in registration's API resource) and a Mail.Read token, after the
 *   host's consent dialog, for Graph `$value`.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { Identity } from "../../src/identity/index.ts";
import type { LegacyTokenMode } from "../../src/identity/legacy.ts";
import { lowestTierFor, tierAtLeast } from "../../src/permissions/index.ts";
import { SERVICE_USER, attachmentsForTest } from "./world.ts";
import { ADDIN, CLIENT_ID, startWorkWeb, type WorkWeb } from "./web-world.ts";

const files = attachmentsForTest();
let ww: WorkWeb;

before(async () => {
  ww = await startWorkWeb({ uploadMaxBytes: 12 * 1024 * 1024 });
});
after(async () => ww?.close());

async function traceOf(itemId: string) {
  await ww.w.app.bridgeSessions.flush();
  const { rows } = await ww.w.store.db.query<{ member: string; path: string; at: Date }>(
    "SELECT t.member, t.path, t.at FROM bridge_trace t JOIN bridge_sessions s ON s.id = t.session_id WHERE s.addin_id = $1 AND s.item_id = $2 ORDER BY t.at, t.seq",
    [ADDIN, itemId],
  );
  // The page's bootstrap (Office.js starting up) is the host's, not a member the add-in calls.
  return rows.filter((r) => r.path !== "Outpost.bootstrap").map((r) => ({ member: r.member, path: r.path, at: new Date(r.at).toISOString() }));
}

async function documentsOf(id: number) {
  const docs = await ww.service.db.query<{ name: string; size: string; sha256: string }>(
    "SELECT d.name, d.size, d.sha256 FROM work_requests.documents d JOIN work_requests.requests r ON r.submission_id = d.submission_id WHERE r.id = $1 ORDER BY d.id",
    [id],
  );
  return docs.map((d) => [d.name, Number(d.size), d.sha256]);
}

/** Submit in the pane (acting in a dialog when one opens), then reopen the email: the note is there. */
const SHOTS = new URL("../../docs/screenshots/", import.meta.url).pathname;

async function submitAndReopen(legacy: LegacyTokenMode, subject: string, during?: (page: Page) => Promise<void>, shot?: string) {
  await ww.setMode(legacy);
  const item = await ww.newMessage(subject, files);
  const { page } = await ww.w.newPage();
  await ww.w.signIn(page);
  const frame = await ww.openPane(page, subject);
  assert.equal(await frame.locator("#title").inputValue(), subject, "title prefilled from the subject");
  const clickAt = new Date().toISOString();
  await frame.locator("#submit").click();
  await during?.(page);
  await frame.locator("#status.ok, #status.error").waitFor({ timeout: 240_000 });
  const status = (await frame.locator("#status").textContent())!;
  assert.match(status, /^Request #\d+ submitted with 2 document\(s\)\.$/, status);
  const id = Number(/#(\d+)/.exec(status)![1]);
  if (shot) await page.screenshot({ path: `${SHOTS}work-requests-${shot}.png` });
  const via = await frame.locator("body").getAttribute("data-via");
  const mode = await frame.locator("body").getAttribute("data-mode");
  // No dialog overlay left behind on the client page.
  assert.equal(await page.locator("[data-outpost-dialog]").count(), 0, "the dialog's overlay is gone");
  assert.deepEqual(await documentsOf(id), files.map((f) => [f.name, f.data.length, f.sha256]), "both files, byte for byte");

  // Reopen: another message, then this one again, and the pane.
  await page.getByRole("button", { name: "Close task pane" }).click();
  await page.getByRole("listbox", { name: "Messages" }).getByRole("option").filter({ hasNotText: subject }).first().click();
  const again = await ww.openPane(page, subject);
  await again.locator("#note").filter({ hasText: new RegExp(`^Request #${id} submitted on .+ UTC — open$`) }).waitFor();
  assert.match((await again.locator("#history").textContent())!, new RegExp(`request #${id} at \\d{4}-`));

  const trace = await traceOf(item.id);
  const beforeClick = trace.filter((t) => t.at < clickAt).map((t) => t.member);
  assert.ok(beforeClick.length > 0, "the pane's opening reads are traced");
  assert.ok(!beforeClick.some((m) => /Attachment|Token/i.test(m)), `nothing but the opening reads before the click: ${beforeClick.join(", ")}`);
  const lowest = lowestTierFor(trace.map((t) => t.path));
  assert.deepEqual(lowest.unknown, []);
  assert.ok(tierAtLeast("ReadItem", lowest.tier), `the trace needs ${lowest.tier}`);
  await page.close();
  return { id, via, mode, members: trace.map((t) => t.member) };
}

test("legacy tokens on: identity token for the service, attachments through REST $value with the callback token", async () => {
  const r = await submitAndReopen("enabled", "Launch page (legacy tokens on)");
  assert.equal(r.mode, "legacy");
  assert.equal(r.via, "rest,rest");
  assert.ok(r.members.includes("getUserIdentityTokenAsync"), r.members.join(", "));
  assert.equal(r.members.filter((m) => m === "getCallbackTokenAsync").length, 2, r.members.join(", "));
  assert.ok(!r.members.includes("item.getAttachmentContentAsync"));
  const [row] = await ww.service.db.query<{ owner: string }>("SELECT owner FROM work_requests.requests WHERE id = $1", [r.id]);
  assert.match(row!.owner, new RegExp(`^${ww.tenantId}/`), "the service took the user from Outpost's identity token");
});

test("legacy tokens off: sign-in in a dialog (closed after messageParent), getAttachmentContentAsync", async () => {
  const r = await submitAndReopen("disabled", "Launch page (legacy tokens off)", async (page) => {
    const dialog = page.frameLocator("[data-outpost-dialog] iframe");
    await dialog.locator("#email").fill(SERVICE_USER.email);
    await dialog.locator("#password").fill(SERVICE_USER.password);
    await dialog.locator("#signin-button").click();
  });
  assert.equal(r.mode, "dialog");
  assert.equal(r.via, "getAttachmentContentAsync,getAttachmentContentAsync");
  assert.ok(!r.members.includes("getUserIdentityTokenAsync") && !r.members.includes("getCallbackTokenAsync"), r.members.join(", "));
  const [row] = await ww.service.db.query<{ owner: string }>("SELECT owner FROM work_requests.requests WHERE id = $1", [r.id]);
  assert.equal(row!.owner, SERVICE_USER.email);
});

test("legacy tokens removed: MSAL.js nested app auth for the service's API, Graph $value with Mail.Read after consent", async () => {
  const r = await submitAndReopen("removed", "Launch page (legacy tokens removed)", async (page) => {
    // Mail.Read needs the user's consent: the host's own consent dialog (the service's API scope needs none).
    const consent = page.frameLocator("dialog[data-outpost-consent] iframe");
    await consent.locator("#accept").waitFor();
    await page.screenshot({ path: `${SHOTS}work-requests-naa-consent.png` });
    await consent.locator("#accept").click();
  }, "web-naa");
  assert.equal(r.mode, "naa");
  assert.equal(r.via, "graph,graph");
  assert.ok(!r.members.some((m) => /^(getUserIdentityTokenAsync|getCallbackTokenAsync|item\.getAttachmentContentAsync)$/.test(m)), r.members.join(", "));
  const [row] = await ww.service.db.query<{ owner: string }>("SELECT owner FROM work_requests.requests WHERE id = $1", [r.id]);
  assert.equal(row!.owner, `${ww.tenantId}/${ww.aliceId}`, "the service took the user from the NAA token");
  const grants = await Identity.of(ww.w.store).consents.list(ww.tenantId, CLIENT_ID, ww.aliceId);
  assert.deepEqual(grants.map((g) => g.scope), ["Mail.Read"], "Mail.Read only");
});

test("bad input in the pane: a 10,000-character title and an attachment over the service's cap; nothing half-submitted", async () => {
  await ww.setMode("enabled");
  const count = async () => {
    const [r] = await ww.service.db.query<{ requests: string; pending: string }>("SELECT (SELECT count(*) FROM work_requests.requests) AS requests, (SELECT count(*) FROM work_requests.submissions WHERE NOT committed) AS pending");
    return { requests: Number(r!.requests), pending: Number(r!.pending) };
  };
  const before = await count();
  const big = attachmentsForTest(13 * 1024 * 1024)[1]!;
  await ww.newMessage("Too big for the service", [{ ...big, name: "scan.iso" }]);
  const { page } = await ww.w.newPage();
  await ww.w.signIn(page);
  const frame = await ww.openPane(page, "Too big for the service");
  await frame.locator("#title").fill("x".repeat(10_000));
  await frame.locator("#submit").click();
  await frame.locator("#status.error").filter({ hasText: "The title is 10000 characters; the service accepts at most 500. Shorten it; nothing was submitted." }).waitFor();
  await frame.locator("#title").fill("Scan of the site");
  await frame.locator("#submit").click();
  await frame.locator("#status.error").filter({ hasText: /^scan\.iso is 13\.0 MB; the service accepts documents up to 12\.0 MB\. Untick it or share it another way; nothing was submitted\.$/ }).waitFor();
  // The staged submission was withdrawn: the pane shows its error once submit() settled, after its DELETE.
  assert.deepEqual(await count(), before);
  await page.close();
});

test("a task in a project, then an update on it found by the search box", async () => {
  await ww.setMode("enabled");
  const small = attachmentsForTest(1024)[0]!;
  await ww.newMessage("Budget for the move", [small]);
  await ww.newMessage("Follow-up: costs of the office move", []);
  const { page } = await ww.w.newPage();
  await ww.w.signIn(page);
  let frame = await ww.openPane(page, "Budget for the move");
  await frame.locator("#kind").selectOption("task");
  await frame.locator("#project option", { hasText: "Office move" }).waitFor({ state: "attached" });
  await frame.locator("#project").selectOption({ label: "Office move" });
  await frame.locator("#submit").click();
  await frame.locator("#status.ok, #status.error").waitFor();
  const status = (await frame.locator("#status").textContent())!;
  assert.match(status, /^Task #\d+ submitted with 1 document\(s\)\.$/, status);
  const taskId = Number(/#(\d+)/.exec(status)![1]);
  const [task] = await ww.service.db.query<{ project: string; title: string }>("SELECT p.name AS project, t.title FROM work_requests.tasks t JOIN work_requests.projects p ON p.id = t.project_id WHERE t.id = $1", [taskId]);
  assert.deepEqual(task, { project: "Office move", title: "Budget for the move" });

  await page.getByRole("button", { name: "Close task pane" }).click();
  frame = await ww.openPane(page, "Follow-up: costs of the office move");
  await frame.locator("#kind").selectOption("update");
  await frame.locator("#search").fill("Budget for");
  await frame.locator("#search-button").click();
  await frame.locator("#target option", { hasText: `task #${taskId} Budget for the move` }).waitFor({ state: "attached" });
  await frame.locator("#target").selectOption(`task:${taskId}`);
  await frame.locator("#submit").click();
  await frame.locator("#status.ok, #status.error").waitFor();
  const done = (await frame.locator("#status").textContent())!;
  assert.match(done, /^Update #\d+ submitted with 0 document\(s\)\.$/, done);
  const [update] = await ww.service.db.query<{ target_kind: string; target_id: number }>("SELECT target_kind, target_id FROM work_requests.updates WHERE id = $1", [Number(/#(\d+)/.exec(done)![1])]);
  assert.deepEqual(update, { target_kind: "task", target_id: taskId });
  await page.close();
});
