/**
 * Lifecycle: (1) time from an admin's deployment to its visibility in a user's next session (deploy on server A,
 * open a bridge session on server B over the same database), p50/p99; (2) the cost the install lookup adds to a
 * session open: POST /bridge/sessions (lookup of the user's installed, enabled add-in) next to the same open
 * without it (a route that opens the session for a manifest parsed once, as the demo-only path did).
 */
import { performance } from "node:perf_hooks";
import { randomBytes } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { openMailboxStore } from "../src/mailbox/index.ts";
import { createServer } from "../src/server/app.ts";
import { RuntimeHost } from "../src/runtime/host.ts";
import { SqlSessionStore } from "../src/runtime/sessions/sql-store.ts";
import { activationSnapshot } from "../src/runtime/members/activation.ts";
import { EXCHANGE_ONLINE_POLICY } from "../src/permissions/index.ts";
import { loadSessionUser, requireUser } from "../src/server/auth/session.ts";
import { Lifecycle, candidateFromBytes } from "../src/addins/index.ts";
import { readFileSync } from "node:fs";
import { percentile } from "./stats.ts";

const XML = readFileSync(new URL("../examples/read-item/manifest.xml", import.meta.url), "utf8");
const ID = "0a6b3c1e-5d2f-4e8a-9b1c-7f3e2d1a0002";
const EML = "From: A <a@x.test>\r\nTo: b@y.test\r\nSubject: Bench\r\nMessage-ID: <bench@x>\r\n\r\nHello.\r\n";
const variant = (n: number) => XML.replace("<Version>1.0.0.0</Version>", `<Version>1.0.${n}.0</Version>`);

export async function run(): Promise<void> {
  const store = await openMailboxStore({ memory: true });
  const runtime = await RuntimeHost.create({ store });
  const t = await store.directory.createTenant({ id: "contoso", name: "Contoso" });
  const alice = await store.provisionUser({ tenantId: t.id, email: "alice@contoso.example", displayName: "Alice", password: "pw", isAdmin: true });
  const item = await runtime.importEml(alice.mailbox, EML);
  const fixed = candidateFromBytes(Buffer.from(XML), "file", null);
  const fixedActivation = activationSnapshot(fixed.manifest);
  // Baseline route: the session open of POST /bridge/sessions without the install lookup.
  const baseline = async (app: FastifyInstance) => {
    const sessions = new SqlSessionStore(app.mailbox.db);
    app.post("/bench/open-without-lookup", async (request) => {
      await loadSessionUser(request);
      const user = requireUser(request);
      const where = await app.mailbox.items.locateForUser(item.id, user.id);
      const it = await app.mailbox.items.get(item.id);
      const s = await sessions.open({ tenantId: user.tenantId, userId: user.id, mailboxId: where!.mailboxId, addinId: ID, addinName: "x", itemId: item.id, form: "read", itemType: it!.itemType, client: "web", tier: "ReadItem", supplementary: [], tenant: EXCHANGE_ONLINE_POLICY, ...(fixedActivation ? { activation: fixedActivation } : {}) });
      return { session: s.id };
    });
  };
  const secret = randomBytes(32).toString("hex");
  const appA = await createServer({ store, cookieSecret: secret, settings: { maxBridgeSessionsPerUser: 1_000_000 }, plugins: [{ plugin: baseline }] });
  const appB = await createServer({ store, cookieSecret: secret, settings: { maxBridgeSessionsPerUser: 1_000_000 }, plugins: [{ plugin: baseline }] });
  try {
    const login = await appB.inject({ method: "POST", url: "/api/session", payload: { email: "alice@contoso.example", password: "pw" } });
    const cookie = String(login.headers["set-cookie"]).split(";")[0]!;
    const open = () => appB.inject({ method: "POST", url: "/bridge/sessions", headers: { cookie }, payload: { addinId: ID, itemId: item.id, form: "read" } });
    const life = Lifecycle.of(store);

    // 1. Deployment → visibility in the user's next session on the other server.
    const N = 60;
    const visible: number[] = [];
    for (let i = 0; i < N; i++) {
      const c = candidateFromBytes(Buffer.from(variant(i)), "file", null);
      const t0 = performance.now();
      await life.deploy("contoso", c, [{ kind: "everyone" }], false, "bench");
      let res = await open();
      while (res.statusCode !== 200) res = await open();
      visible.push(performance.now() - t0);
      await life.undeploy("contoso", ID, "bench");
      if ((await open()).statusCode === 200) throw new Error("undeployed add-in still opens");
    }
    visible.sort((a, b) => a - b);
    console.log(`deployment → visible in the user's next session on another server: p50 ${percentile(visible, 50).toFixed(1)} ms, p99 ${percentile(visible, 99).toFixed(1)} ms (${N} deployments; no cache or restart in between)`);

    // 2. Session open with the install lookup vs without.
    await life.deploy("contoso", fixed, [{ kind: "everyone" }], false, "bench");
    const M = 300;
    const time = async (f: () => Promise<{ statusCode: number }>) => {
      for (let i = 0; i < 20; i++) await f();
      const xs: number[] = [];
      for (let i = 0; i < M; i++) {
        const t0 = performance.now();
        const r = await f();
        xs.push(performance.now() - t0);
        if (r.statusCode !== 200) throw new Error(`status ${r.statusCode}`);
      }
      return xs.sort((a, b) => a - b);
    };
    const without = await time(() => appB.inject({ method: "POST", url: "/bench/open-without-lookup", headers: { cookie }, payload: {} }));
    const withLookup = await time(open);
    const lookupOnly: number[] = [];
    for (let i = 0; i < M; i++) {
      const t0 = performance.now();
      await life.installs.forSession(alice.user, ID, "web");
      lookupOnly.push(performance.now() - t0);
    }
    lookupOnly.sort((a, b) => a - b);
    const p = (xs: number[]) => `p50 ${percentile(xs, 50).toFixed(2)} ms, p99 ${percentile(xs, 99).toFixed(2)} ms`;
    console.log(`session open without the install lookup (baseline): ${p(without)}`);
    console.log(`session open with the install lookup (POST /bridge/sessions): ${p(withLookup)}`);
    console.log(`install lookup alone (policy + deployment/install query): ${p(lookupOnly)}`);
    console.log(`ratio with/without (p50): ${(percentile(withLookup, 50) / percentile(without, 50)).toFixed(2)}×`);
  } finally {
    await appA.close();
    await appB.close();
    await store.close();
  }
}
