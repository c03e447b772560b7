/**
 * The auditor's verdict in the web client (real Chromium): the consent dialog of a store add-in and the admin
 * center's deployment rows show the verdict archived with the version (the demo add-ins are seeded into the store
 * with their code, so the verdict is a static one).
 */
import { after, before, test } from "node:test";
import { startWeb, type WebWorld } from "../web/helpers.ts";

let w: WebWorld;
before(async () => {
  w = await startWeb({ messages: 2 });
});
after(async () => w?.close());

test("the consent dialog of a store add-in says what the auditor found", async () => {
  const { page } = await w.newPage();
  await w.signIn(page, "bob@contoso.example");
  await page.getByRole("link", { name: "Get add-ins" }).click();
  await page.getByRole("heading", { name: "Get add-ins" }).waitFor();
  const listing = page.getByRole("article", { name: "Outpost Restricted Demo" });
  await listing.getByRole("button", { name: "Add" }).click();
  const dialog = page.getByTestId("consent-dialog");
  await dialog.getByTestId("audit-verdict").filter({ hasText: "Least-privilege audit: asks Restricted, the code needs Restricted — exact" }).waitFor();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await dialog.waitFor({ state: "detached" });
});

test("the admin center's deployment rows show the verdict of each store add-in", async () => {
  const { page } = await w.newPage();
  await w.signIn(page, "alice@contoso.example");
  await page.getByRole("link", { name: "Admin center" }).click();
  const deployments = page.getByRole("region", { name: "Deployments" });
  await deployments.waitFor();
  const row = deployments.getByRole("row").filter({ hasText: "Outpost Read/Write Mailbox Demo" });
  await row.getByTestId("audit-verdict").filter({ hasText: "asks ReadWriteMailbox, the code needs ReadWriteMailbox — exact" }).waitFor();
  await deployments.getByRole("row").filter({ hasText: "Outpost Misbehaving: Crash" }).getByText("over-privileged", { exact: true }).waitFor();
});
