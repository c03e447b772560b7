/**
 * A real Outpost for browser tests: PGlite store with the seeded demo mailbox, the HTTPS server (development
 * certificate made in a temporary data folder, as `outpost serve --https` does), the add-in origin on its own port,
 * and one headless Chromium (Debian's, via playwright-core) per test file.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import type { FastifyInstance } from "fastify";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { createServer } from "../../src/server/app.ts";
import { openPglite, openPostgres, seedDemoMailbox, storeFromDb, DEMO_PASSWORD, type MailboxStore } from "../../src/mailbox/index.ts";
import { seedDemoAddins } from "../../src/addins/index.ts";
import { lifecycleOf } from "../../src/server/routes/lifecycle-http.ts";
import { loadOrCreateTls } from "../../src/server/web/tls.ts";
import { createAddinOriginServer } from "../../src/server/web/addin-origin-server.ts";

export const FIXTURES = new URL("./fixtures/", import.meta.url).pathname;
export const CHROMIUM = process.env.OUTPOST_CHROMIUM ?? "/usr/bin/chromium";

export interface WebWorld {
  store: MailboxStore;
  app: FastifyInstance;
  addins: FastifyInstance;
  base: string;
  addinOrigin: string;
  browser: Browser;
  users: Record<string, { email: string; id: string }>;
  newPage(): Promise<{ context: BrowserContext; page: Page }>;
  /** Installs an add-in for a user through the lifecycle API with the consent the prompt asks for. */
  install(email: string, manifest: string): Promise<{ id: string; name: string }>;
  signIn(page: Page, email?: string): Promise<void>;
  close(): Promise<void>;
}

/** `databaseUrl`: PostgreSQL (a schema of its own, dropped on close) instead of the embedded PGlite. */
export async function startWeb(options: { messages?: number; databaseUrl?: string } = {}): Promise<WebWorld> {
  const dataDir = await mkdtemp(join(tmpdir(), "outpost-web-"));
  const tls = await loadOrCreateTls({ dataDir });
  const https = { key: tls.key, cert: tls.cert };
  const schema = options.databaseUrl ? `web_${process.pid}_${Date.now().toString(36)}` : undefined;
  const db = options.databaseUrl ? await openPostgres({ connectionString: options.databaseUrl, schema: schema!, max: 8 }) : await openPglite();
  const store = await storeFromDb(db);
  const seeded = await seedDemoMailbox(store, { messages: options.messages ?? 12 });
  // The demo add-ins as store listings, deployed by the admin to everyone (what `npm start` does).
  await seedDemoAddins(store, { tenantId: seeded.tenantId });
  // The add-in origin first, so the client knows where add-in pages live; it then lets only the client frame them.
  const clientOrigins: string[] = [];
  const addins = await createAddinOriginServer({ clientOrigins, https, roots: { "/fixtures/": FIXTURES } });
  await addins.listen({ port: 0, host: "127.0.0.1" });
  const addinOrigin = `https://localhost:${(addins.server.address() as AddressInfo).port}`;
  const app = await createServer({ store, cookieSecret: "web-test-secret-web-test-secret!", https, settings: { secureCookies: true, https: true, addinOrigin } });
  // No Nagle delay on the HTTPS sockets (small bridge calls would otherwise wait for delayed ACKs).
  app.server.on("secureConnection", (socket: import("node:tls").TLSSocket) => socket.setNoDelay(true));
  await app.listen({ port: 0, host: "127.0.0.1" });
  const base = `https://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  clientOrigins.push(base);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-background-networking", "--ignore-certificate-errors", "--site-per-process"],
  });
  const contexts: BrowserContext[] = [];
  const users = Object.fromEntries(Object.entries(seeded.users).map(([k, u]) => [k, { email: u.email, id: u.id }]));
  return {
    store,
    app,
    addins,
    base,
    addinOrigin,
    browser,
    users,
    async newPage() {
      const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 800 } });
      contexts.push(context);
      return { context, page: await context.newPage() };
    },
    async install(email, manifest) {
      const user = (await store.directory.getUserByEmail(email))!;
      const life = lifecycleOf(app);
      const prompt = await life.installs.prompt({ source: "file", manifest });
      const r = await life.installs.install(user, { source: "file", manifest }, { accept: { tier: prompt.tier, supplementary: prompt.supplementary, textVersion: prompt.textVersion }, client: "web" });
      return { id: r.addin.id, name: r.addin.name };
    },
    async signIn(page, email = "alice@contoso.example") {
      await page.goto(`${base}/app/`);
      await page.getByLabel("Email address").fill(email);
      await page.getByLabel("Password").fill(DEMO_PASSWORD);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("navigation", { name: "Folders" }).waitFor();
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser.close();
      await app.close();
      await addins.close();
      if (schema) await db.query(`DROP SCHEMA ${schema} CASCADE`).catch(() => undefined);
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
