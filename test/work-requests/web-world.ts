/**
 * Work requests in Outpost's web client (the test/web world: HTTPS server, add-in origin, seeded tenant, Chromium):
 * the service beside it trusting Outpost's key sets, the add-in installed for Alice with its settings in the page's
 * query, its NAA app registration. Shared by test/work-requests/web.test.ts and bench/work-requests.bench.ts.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import type { FrameLocator, Page } from "playwright-core";
import { startWeb, type WebWorld } from "../web/helpers.ts";
import { Identity } from "../../src/identity/index.ts";
import { setLegacyTokenMode, type LegacyTokenMode } from "../../src/identity/legacy.ts";
import { startService } from "./world.ts";
import type { WorkService, WorkServiceOptions } from "../../examples/work-requests/service/app.ts";

export const ADDIN = "7d0c5a52-3b9e-4f61-9a2d-1c4e8b6f0a1e";
export const NAME = "Work requests (e2e)";
export const CLIENT_ID = "work-requests-e2e";
export const RESOURCE = "api://work-requests.example/api";

export interface WorkWeb {
  w: WebWorld;
  service: WorkService;
  url: string;
  tenantId: string;
  aliceId: string;
  setMode(mode: LegacyTokenMode): Promise<void>;
  newMessage(subject: string, files: { name: string; contentType: string; data: Uint8Array }[]): Promise<{ id: string }>;
  /** Clicks the message, opens the pane (asserting it comes from the add-in origin) and waits for it to be ready. */
  openPane(page: Page, subject: string): Promise<FrameLocator>;
  close(): Promise<void>;
}

export async function startWorkWeb(options: Pick<WorkServiceOptions, "uploadMaxBytes"> = {}): Promise<WorkWeb> {
  const w = await startWeb();
  // restUrl (the REST endpoint the add-in sees) and the identity provider's issuer name this server.
  process.env.OUTPOST_PUBLIC_URL = w.base;
  const alice = (await w.store.directory.getUserByEmail("alice@contoso.example"))!;
  const tenantId = alice.tenantId;
  // The service trusts Outpost's published key sets: the identity tokens' (/.well-known/jwks.json) and the identity
  // provider's (/identity/{tenant}/discovery/v2.0/keys), read through the server's own routes.
  const json = async (path: string) => (await w.app.inject({ method: "GET", url: path })).json();
  const { service, url } = await startService({
    ...options,
    addinId: ADDIN,
    jwks: () => json("/.well-known/jwks.json"),
    idp: { jwks: () => json(`/identity/${tenantId}/discovery/v2.0/keys`), audience: RESOURCE, origin: w.base },
  });
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
  const mailbox = (await w.store.mailboxes.ownMailbox(alice.id))!;
  const inbox = (await w.store.mailboxes.resolveFolder(mailbox.id, "inbox"))!;
  return {
    w,
    service,
    url,
    tenantId,
    aliceId: alice.id,
    setMode: (mode) => setLegacyTokenMode(w.store.db, tenantId, mode, { force: true }),
    newMessage: (subject, files) =>
      w.store.items.create(mailbox.id, inbox.id, {
        subject,
        bodyText: "Please set up the launch page.\nThanks, Adele",
        from: { name: "Adele", address: "adele@tailspin.example" },
        to: [{ name: "Alice", address: "alice@contoso.example" }],
        attachments: files.map((f) => ({ name: f.name, contentType: f.contentType, data: Buffer.from(f.data.buffer, f.data.byteOffset, f.data.byteLength) })),
      }),
    async openPane(page, subject) {
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
    },
    async close() {
      delete process.env.OUTPOST_PUBLIC_URL;
      await w.close();
      await service.close();
    },
  };
}
