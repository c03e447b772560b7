/** A real server over a real (in-memory PGlite) mailbox for the security tests, with helpers an attacker would use. */
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from "fastify";
import { openMailboxStore, type MailboxStore } from "../../src/mailbox/index.ts";
import { createServer } from "../../src/server/app.ts";
import type { ServerSettings } from "../../src/server/types.ts";
import { BridgeClient } from "../../src/runtime/bridge/client.ts";
import type { CallMessage, CallResult } from "../../src/runtime/bridge/protocol.ts";
import { listDemoAddins } from "../../src/server/plugins/demo-addins.ts";
import { serverWorld, SOAP } from "../server/fixtures.ts";
import { seedDemoAddins } from "../../src/addins/index.ts";

export { SOAP };

export type World = Awaited<ReturnType<typeof serverWorld>>;

export interface Harness {
  store: MailboxStore;
  app: FastifyInstance;
  w: World;
  close(): Promise<void>;
  login(email: string, password: string, remoteAddress?: string): Promise<string>;
  inject(opts: InjectOptions): Promise<LightMyRequestResponse>;
  openBridge(cookie: string, tier: string, itemId: string | null, form?: "read" | "compose"): Promise<{ status: number; client?: BridgeClient; session?: string }>;
  send(m: CallMessage | unknown): Promise<CallResult>;
  token(opts: { kind?: "rest" | "ews"; tier?: "ReadItem" | "ReadWriteItem" | "ReadWriteMailbox"; userId?: string; mailboxId?: string; itemId?: string | null; tenantId?: string }): Promise<string>;
}

export const PASSWORDS: Record<string, string> = { "alice@contoso.example": "pw-alice", "bob@contoso.example": "pw-bob", "eve@fabrikam.example": "pw-eve" };

export async function harness(settings: Partial<ServerSettings> = {}, logger?: unknown): Promise<Harness> {
  const store = await openMailboxStore({ memory: true });
  const w = await serverWorld(store);
  // The demo add-ins reach users as a tenant gets them: store listings deployed to everyone.
  await seedDemoAddins(store, { tenantId: "contoso" });
  await seedDemoAddins(store, { tenantId: "fabrikam" });
  const app = await createServer({ store, cookieSecret: "security-test-secret-security-test", settings, ...(logger ? { logger: logger as never } : {}) });
  await app.ready();
  const addins = await listDemoAddins();
  const addinFor = (tier: string) => addins.find((a) => a.tier === tier && a.valid && !(a.supplementary ?? []).length)?.id ?? addins.find((a) => a.tier === tier && a.valid)!.id!;
  const h: Harness = {
    store,
    app,
    w,
    async close() {
      await app.close();
      await store.close();
    },
    async login(email, password, remoteAddress = "127.0.0.1") {
      const res = await app.inject({ method: "POST", url: "/api/session", payload: { email, password }, remoteAddress });
      if (res.statusCode !== 200) throw new Error(`login ${email}: ${res.statusCode} ${res.body}`);
      return String(res.headers["set-cookie"]).split(";")[0]!;
    },
    inject: (opts) => app.inject(opts),
    async openBridge(cookie, tier, itemId, form = "read") {
      const res = await app.inject({ method: "POST", url: "/bridge/sessions", headers: { cookie }, payload: { addinId: addinFor(tier), itemId, form } });
      if (res.statusCode !== 200) return { status: res.statusCode };
      const s = res.json() as { session: string; secret: string; itemId: string | null };
      return { status: 200, session: s.session, client: new BridgeClient({ id: s.session, secret: s.secret, itemId: s.itemId }, h.send) };
    },
    async send(m) {
      const res = await app.inject({ method: "POST", url: "/bridge/call", payload: m as object });
      return res.json() as CallResult;
    },
    async token(o) {
      return (
        await store.tokens.sign({
          kind: o.kind ?? "rest",
          tier: o.tier ?? "ReadWriteMailbox",
          mode: "read",
          userId: o.userId ?? w.alice.user.id,
          addinId: "security-test",
          itemId: o.itemId === undefined ? w.i1.id : o.itemId,
          mailboxId: o.mailboxId ?? w.alice.mailbox.id,
          tenantId: o.tenantId ?? "contoso",
        })
      ).token;
    },
  };
  return h;
}

export const ewsGetItem = (ids: string[]) => SOAP(`<m:GetItem><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape></m:ItemShape><m:ItemIds>${ids.map((id) => `<t:ItemId Id="${id}"/>`).join("")}</m:ItemIds></m:GetItem>`);
