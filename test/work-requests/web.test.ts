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
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { startWeb, type WebWorld } from "../web/helpers.ts";
import { Identity } from "../../src/identity/index.ts";
import { setLegacyTokenMode, type LegacyTokenMode } from "../../src/identity/legacy.ts";
import { lowestTierFor, tierAtLeast } from "../../src/permissions/index.ts";
import { SERVICE_USER, attachmentsForTest, startService } from "./world.ts";
import type { WorkService } from "../../examples/work-requests/service/app.ts";

const ADDIN = "7d0c5a52-3b9e-4f61-9a2d-1c4e8b6f0a1e";
const NAME = "Work requests (e2e)";
const CLIENT_ID = "work-requests-e2e";
const RESOURCE = "api://work-requests.example/api";
const files = attachmentsForTest();
let w: WebWorld;
let service: WorkService;
let url: string;
let tenantId: string;

before(async () => {
  w = await startWeb();
  // restUrl (the REST endpoint the add-in sees) and the identity provider's issuer name this server.
  process.env.OUTPOST_PUBLIC_URL = w.base;
  const alice = (await w.store.directory.getUserByEmail("alice@contoso.example"))!;
  tenantId = alice.tenantId;
  // The service trusts Outpost's published key sets: the identity tokens' (/.well-known/jwks.json) and the identity
  // provider's (/identity/{tenant}/discovery/v2.0/keys), read through the server's own routes.
  const json = async (path: string) => (await w.app.inject({ method: "GET", url: path })).json();
  ({ service, url } = await startService({
    uploadMaxBytes: 12 * 1024 * 1024,
    addinId: ADDIN,
    jwks: () => json("/.well-known/jwks.json"),
    idp: { jwks: () => json(`/identity/${tenantId}/discovery/v2.0/keys`), audience: RESOURCE, origin: w.base },
  }));
  // The add-in as published, its settings in the page's query: this run's service, Graph (Outpost), the NAA client.
  const query = new URLSearchParams({ service: url, graph: w.base, naaClient: CLIENT_ID, naaScope: `${RESOURCE}/access_as_user` }).toString().replace(/&/g, "&amp;");
  const manifest = readFileSync(new URL("../../examples/work-requests/addin/manifest.xml", import.meta.url), "utf8")
    .replace(/<Id>[^<]+<\/Id>/, `<Id>${ADDIN}</Id>`)
    .replace('DisplayName DefaultValue="Work requests"', `DisplayName DefaultValue="${NAME}"`)
    .replace("addin/index.html", `addin/index.html?${query}`);
  await w.install("alice@contoso.example", manifest);
  await Identity.of(w.store).registrations.create({
    clientId: CLIENT_ID,
    addinId: ADDIN,
    displayName: "Work requests",
    publisher: "Outpost examples",
    tenantId,
    redirectUris: [`brk-multihub://${new URL(w.addinOrigin).host}`],
    scopes: ["Mail.Read"],
    ssoResource: RESOURCE,
  });
});
after(async () => {
  delete process.env.OUTPOST_PUBLIC_URL;
  await w?.close();
  await service?.close();
});

async function newMessage(subject: string) {
  const alice = (await w.store.directory.getUserByEmail("alice@contoso.example"))!;
  const mailbox = (await w.store.mailboxes.ownMailbox(alice.id))!;
  const inbox = (await w.store.mailboxes.resolveFolder(mailbox.id, "inbox"))!;
  return w.store.items.create(mailbox.id, inbox.id, {
    subject,
    bodyText: "Please set up the launch page.\nThanks, Adele",
    from: { name: "Adele", address: "adele@tailspin.example" },
    to: [{ name: "Alice", address: "alice@contoso.example" }],
    attachments: files.map((f) => ({ name: f.name, contentType: f.contentType, data: Buffer.from(f.data) })),
  });
}

async function openPane(page: Page, subject: string) {
  await page.getByRole("listbox", { name: "Messages" }).getByRole("option").filter({ hasText: subject }).first().click();
  await page.locator('.addin-bar[data-ready="true"]').first().waitFor();
  await page.getByRole("toolbar", { name: "Add-ins" }).getByRole("button", { name: NAME }).click();
  const pane = page.getByRole("complementary", { name: `${NAME} task pane` });
  await pane.waitFor();
  const src = (await pane.locator("iframe").getAttribute("src"))!;
  assert.ok(src.startsWith(`${w.addinOrigin}/examples/work-requests/addin/index.html?`), `the pane loads from the add-in origin: ${src}`);
  const frame = page.frameLocator(".taskpane iframe");
  await frame.locator('body[data-ready="true"]').waitFor();
  return frame;
}

async function traceOf(itemId: string) {
  const { rows } = await w.store.db.query<{ member: string; path: string; at: Date }>(
    "SELECT t.member, t.path, t.at FROM bridge_trace t JOIN bridge_sessions s ON s.id = t.session_id WHERE s.addin_id = $1 AND s.item_id = $2 ORDER BY t.at, t.seq",
    [ADDIN, itemId],
  );
  // The page's bootstrap (Office.js starting up) is the host's, not a member the add-in calls.
  return rows.filter((r) => r.path !== "Outpost.bootstrap").map((r) => ({ member: r.member, path: r.path, at: new Date(r.at).toISOString() }));
}

async function documentsOf(id: number) {
  const docs = await service.db.query<{ name: string; size: string; sha256: string }>(
    "SELECT d.name, d.size, d.sha256 FROM work_requests.documents d JOIN work_requests.requests r ON r.submission_id = d.submission_id WHERE r.id = $1 ORDER BY d.id",
    [id],
  );
  return docs.map((d) => [d.name, Number(d.size), d.sha256]);
}

/** Submit in the pane (acting in a dialog when one opens), then reopen the email: the note is there. */
async function submitAndReopen(legacy: LegacyTokenMode, subject: string, during?: (page: Page) => Promise<void>) {
  await setLegacyTokenMode(w.store.db, tenantId, legacy, { force: true });
  const item = await newMessage(subject);
  const { page } = await w.newPage();
  await w.signIn(page);
  const frame = await openPane(page, subject);
  assert.equal(await frame.locator("#title").inputValue(), subject, "title prefilled from the subject");
  const clickAt = new Date().toISOString();
  await frame.locator("#submit").click();
  await during?.(page);
  await frame.locator("#status.ok, #status.error").waitFor({ timeout: 240_000 });
  const status = (await frame.locator("#status").textContent())!;
  assert.match(status, /^Request #\d+ submitted with 2 document\(s\)\.$/, status);
  const id = Number(/#(\d+)/.exec(status)![1]);
  const via = await frame.locator("body").getAttribute("data-via");
  const mode = await frame.locator("body").getAttribute("data-mode");
  // No dialog overlay left behind on the client page.
  assert.equal(await page.locator("[data-outpost-dialog]").count(), 0, "the dialog's overlay is gone");
  assert.deepEqual(await documentsOf(id), files.map((f) => [f.name, f.data.length, f.sha256]), "both files, byte for byte");

  // Reopen: another message, then this one again, and the pane.
  await page.getByRole("button", { name: "Close task pane" }).click();
  await page.getByRole("listbox", { name: "Messages" }).getByRole("option").filter({ hasNotText: subject }).first().click();
  const again = await openPane(page, subject);
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
  const [row] = await service.db.query<{ owner: string }>("SELECT owner FROM work_requests.requests WHERE id = $1", [r.id]);
  assert.match(row!.owner, new RegExp(`^${tenantId}/`), "the service took the user from Outpost's identity token");
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
  const [row] = await service.db.query<{ owner: string }>("SELECT owner FROM work_requests.requests WHERE id = $1", [r.id]);
  assert.equal(row!.owner, SERVICE_USER.email);
});

test("legacy tokens removed: MSAL.js nested app auth for the service's API, Graph $value with Mail.Read after consent", async () => {
  const r = await submitAndReopen("removed", "Launch page (legacy tokens removed)", async (page) => {
    // Mail.Read needs the user's consent: the host's own consent dialog (the service's API scope needs none).
    const consent = page.frameLocator("dialog[data-outpost-consent] iframe");
    await consent.locator("#accept").click();
  });
  assert.equal(r.mode, "naa");
  assert.equal(r.via, "graph,graph");
  assert.ok(!r.members.some((m) => /^(getUserIdentityTokenAsync|getCallbackTokenAsync|item\.getAttachmentContentAsync)$/.test(m)), r.members.join(", "));
  const [row] = await service.db.query<{ owner: string }>("SELECT owner FROM work_requests.requests WHERE id = $1", [r.id]);
  const alice = (await w.store.directory.getUserByEmail("alice@contoso.example"))!;
  assert.equal(row!.owner, `${tenantId}/${alice.id}`, "the service took the user from the NAA token");
  const grants = await Identity.of(w.store).consents.list(tenantId, CLIENT_ID, alice.id);
  assert.deepEqual(grants.map((g) => g.scope), ["Mail.Read"], "Mail.Read only");
});
