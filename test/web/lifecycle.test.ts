/**
 * Consent, "My add-ins", the store and the admin center in real Chromium, on the lifecycle API: the consent dialog
 * installs an add-in only on Install and "My add-ins" lists its permissions; an admin blocks user installs and
 * "Get add-ins" disappears for the user.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { FIXTURES, startWeb, type WebWorld } from "./helpers.ts";

let w: WebWorld;
const SHOTS = new URL("../../docs/screenshots/", import.meta.url).pathname;

before(async () => {
  w = await startWeb({ messages: 4 });
  mkdirSync(SHOTS, { recursive: true });
});
after(async () => w?.close());

test("the consent dialog installs an add-in on Install only; My add-ins shows its permissions", async () => {
  const { page } = await w.newPage();
  await w.signIn(page, "bob@contoso.example");
  await page.getByRole("link", { name: "My add-ins" }).click();
  await page.getByRole("heading", { name: "My add-ins" }).waitFor();
  const file = page.getByLabel("Manifest file");
  await file.setInputFiles(`${FIXTURES}body-reader/manifest.xml`);
  const dialog = page.getByTestId("consent-dialog");
  await dialog.getByRole("heading", { name: "Add Body Reader?" }).waitFor();
  await dialog.getByText("Can read the item you open").waitFor();
  await dialog.getByText(/Read the whole open item/).waitFor();
  await page.screenshot({ path: `${SHOTS}consent-dialog.png` });
  // Cancel: nothing installed.
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await dialog.waitFor({ state: "detached" });
  assert.equal(await page.getByRole("article", { name: "Body Reader" }).count(), 0);
  const bob = (await w.store.directory.getUserByEmail("bob@contoso.example"))!;
  const { lifecycleOf } = await import("../../src/server/routes/lifecycle-http.ts");
  assert.ok(!(await lifecycleOf(w.app).installs.list(bob)).some((a) => a.name === "Body Reader"));
  // Install.
  await file.setInputFiles(`${FIXTURES}body-reader/manifest.xml`);
  await dialog.getByRole("button", { name: "Install" }).click();
  await page.getByRole("status").filter({ hasText: "Body Reader was added." }).waitFor();
  const card = page.getByRole("article", { name: "Body Reader" });
  await card.waitFor();
  await card.getByText("ReadItem", { exact: true }).waitFor();
  await card.getByText(/Read the whole open item/).waitFor();
  // Turn it off, on, then remove it; a mandatory admin deployment offers neither.
  await card.getByRole("button", { name: "Turn off" }).click();
  await card.getByText("turned off").waitFor();
  await card.getByRole("button", { name: "Turn on" }).click();
  await card.getByRole("button", { name: "Turn off" }).waitFor();
  await card.getByRole("button", { name: "Remove" }).click();
  await card.waitFor({ state: "detached" });
  const deployed = page.getByRole("article", { name: "Outpost Read Item Demo" }).first();
  await deployed.waitFor();
  assert.equal(await deployed.getByRole("button", { name: "Remove" }).count(), 0, "admin deployments are not removable by the user");
});

test("the store installs through consent; an admin blocks user installs and Get add-ins disappears", async () => {
  const { page: bob } = await w.newPage();
  await w.signIn(bob, "bob@contoso.example");
  await bob.getByRole("link", { name: "Get add-ins" }).click();
  await bob.getByRole("heading", { name: "Get add-ins" }).waitFor();
  const listing = bob.getByRole("article", { name: "Outpost Restricted Demo" });
  await listing.waitFor();
  await listing.getByRole("button", { name: "Add" }).click();
  await bob.getByTestId("consent-dialog").getByRole("button", { name: "Install" }).click();
  await bob.getByRole("status").filter({ hasText: "was added" }).waitFor();

  const { page: admin } = await w.newPage();
  await w.signIn(admin, "alice@contoso.example");
  await admin.getByRole("link", { name: "Admin center" }).click();
  await admin.getByRole("heading", { name: "Admin center" }).waitFor();
  await admin.getByRole("region", { name: "Audit log" }).waitFor();
  await admin.getByLabel("Block users from installing add-ins").check();
  await admin.getByRole("status").filter({ hasText: "User installs saved." }).waitFor();
  await admin.getByRole("region", { name: "Audit log" }).getByText(/policy/i).first().waitFor();
  await admin.screenshot({ path: `${SHOTS}admin-center.png`, fullPage: false });

  // Bob's client no longer offers the store; the API refuses installs as well.
  // Counted once the client has the tenant's answer (and never offered before it: the link used to show until then).
  await bob.reload();
  await bob.locator('nav[aria-label="Main"][data-config="loaded"]').waitFor();
  assert.equal(await bob.getByRole("link", { name: "Get add-ins" }).count(), 0);
  const refused = await bob.request.post(`${w.base}/api/addins`, { data: { source: "store", addinId: "0a6b3c1e-5d2f-4e8a-9b1c-7f3e2d1a0002", client: "web" }, headers: { origin: w.base } });
  assert.equal(refused.status(), 403);

  await admin.getByLabel("Block users from installing add-ins").uncheck();
  await admin.getByRole("status").filter({ hasText: "User installs saved." }).waitFor();
  await bob.reload();
  await bob.getByRole("link", { name: "Get add-ins" }).waitFor();
});
