/**
 * Two app servers sharing PostgreSQL: an admin deploys on one, the user's next session on the other has the
 * add-in; the admin disables it and an open session is refused at its next call. Concurrent policy writes on the
 * two servers: one wins, one gets 409. A crash midway through an install (the process killed inside its
 * transaction) leaves the add-in absent; the next run installs it whole.
 */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { openTwoServers, PG_URL } from "../helpers/two-servers.ts";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { BridgeClient } from "../../src/runtime/bridge/client.ts";
import type { CallMessage, CallResult } from "../../src/runtime/bridge/protocol.ts";
import { RuntimeHost } from "../../src/runtime/host.ts";
import { Lifecycle } from "../../src/addins/index.ts";
import { MESSAGE_EML } from "../runtime/fixtures.ts";
import { READ_ITEM_ID, READ_ITEM_XML, RWI_XML, RWI_ID } from "./helpers.ts";

const { schema, storeA, appA, appB, close } = await openTwoServers("lifecycle");
const runtime = await RuntimeHost.create({ store: storeA });
const tenant = await storeA.directory.createTenant({ id: "contoso", name: "Contoso" });
const alice = await storeA.provisionUser({ tenantId: tenant.id, email: "alice@contoso.example", displayName: "Alice", password: "pw-alice", isAdmin: true });
await storeA.provisionUser({ tenantId: tenant.id, email: "bob@contoso.example", displayName: "Bob", password: "pw-bob" });
const item = await runtime.importEml(alice.mailbox, MESSAGE_EML);

after(close);

type App = typeof appA;
const call = async (app: App, m: CallMessage): Promise<CallResult> => (await app.inject({ method: "POST", url: "/bridge/call", payload: m })).json() as CallResult;
async function login(app: App, email: string, password: string): Promise<string> {
  const res = await app.inject({ method: "POST", url: "/api/session", payload: { email, password } });
  assert.equal(res.statusCode, 200);
  return String(res.headers["set-cookie"]).split(";")[0]!;
}
const open = (app: App, cookie: string, addinId: string) => app.inject({ method: "POST", url: "/bridge/sessions", headers: { cookie }, payload: { addinId, itemId: item.id, form: "read" } });

test("deploy on A → the user's next session on B has it; disable on B → A's open session is refused at its next call", async () => {
  const admin = await login(appA, "alice@contoso.example", "pw-alice");
  assert.equal((await open(appB, admin, READ_ITEM_ID)).statusCode, 404, "not installed yet");
  const dep = await appA.inject({ method: "POST", url: "/api/admin/deployments", headers: { cookie: admin }, payload: { source: "file", manifest: READ_ITEM_XML, targets: [{ kind: "user", address: "alice@contoso.example" }] } });
  assert.equal(dep.statusCode, 201, dep.body);
  const opened = await open(appB, admin, READ_ITEM_ID);
  assert.equal(opened.statusCode, 200, opened.body);
  const onA = await open(appA, admin, READ_ITEM_ID);
  const s = onA.json() as { session: string; secret: string; itemId: string };
  const client = new BridgeClient({ id: s.session, secret: s.secret, itemId: s.itemId }, (m) => call(appA, m));
  assert.equal((await client.call("Office.context.mailbox.item.body.getAsync", ["text"])).outcome, "ok");
  const off = await appB.inject({ method: "PUT", url: `/api/admin/addins/${READ_ITEM_ID}/state`, headers: { cookie: admin }, payload: { enabled: false } });
  assert.equal(off.statusCode, 200, off.body);
  const refused = await client.call("Office.context.mailbox.item.body.getAsync", ["text"]);
  assert.equal(refused.outcome, "denied");
  assert.equal(refused.reason, "unknownSession");
  const again = await open(appA, admin, READ_ITEM_ID);
  assert.equal(again.statusCode, 403);
  assert.equal(again.json().error, "disabled-by-admin");
  await appA.inject({ method: "PUT", url: `/api/admin/addins/${READ_ITEM_ID}/state`, headers: { cookie: admin }, payload: { enabled: true } });
  assert.equal((await open(appB, admin, READ_ITEM_ID)).statusCode, 200);
  // Undeploy on B: A's next session open has nothing.
  assert.equal((await appB.inject({ method: "DELETE", url: `/api/admin/deployments/${READ_ITEM_ID}`, headers: { cookie: admin } })).statusCode, 204);
  assert.equal((await open(appA, admin, READ_ITEM_ID)).statusCode, 404);
});

test("a user's install over HTTP with consent; removal ends the session opened on the other server", async () => {
  const bob = await login(appB, "bob@contoso.example", "pw-bob");
  const first = await appB.inject({ method: "POST", url: "/api/addins", headers: { cookie: bob }, payload: { source: "file", manifest: RWI_XML } });
  assert.equal(first.statusCode, 409);
  const prompt = first.json().error.prompt as { tier: string; supplementary: string[]; textVersion: string };
  assert.equal(prompt.tier, "ReadWriteItem");
  const ok = await appB.inject({ method: "POST", url: "/api/addins", headers: { cookie: bob }, payload: { source: "file", manifest: RWI_XML, accept: { tier: prompt.tier, supplementary: prompt.supplementary, textVersion: prompt.textVersion } } });
  assert.equal(ok.statusCode, 201, ok.body);
  const list = (await appA.inject({ method: "GET", url: "/api/addins", headers: { cookie: bob } })).json().value as { id: string; tier: string }[];
  assert.deepEqual(list.map((a) => [a.id, a.tier]), [[RWI_ID, "ReadWriteItem"]]);
  const drafts = await storeA.mailboxes.resolveFolder((await storeA.mailboxes.ownMailbox((await storeA.directory.getUserByEmail("bob@contoso.example"))!.id))!.id, "drafts");
  const draft = await storeA.items.create(drafts!.mailboxId, drafts!.id, { subject: "x", bodyText: "x", isDraft: true });
  const res = await appA.inject({ method: "POST", url: "/bridge/sessions", headers: { cookie: bob }, payload: { addinId: RWI_ID, itemId: draft.id, form: "compose" } });
  assert.equal(res.statusCode, 200, res.body);
  const s = res.json() as { session: string; secret: string; itemId: string };
  const client = new BridgeClient({ id: s.session, secret: s.secret, itemId: s.itemId }, (m) => call(appA, m));
  assert.equal((await client.call("Office.context.mailbox.item.subject.setAsync", ["written"])).outcome, "ok", "the consented tier (ReadWriteItem) writes");
  assert.equal((await appB.inject({ method: "DELETE", url: `/api/addins/${RWI_ID}`, headers: { cookie: bob } })).statusCode, 204);
  assert.equal((await client.call("Office.context.mailbox.item.subject.getAsync", [])).reason, "unknownSession");
});

test("two admins change one policy at once on two servers: one change lands, the other gets 409 with the current policy", async () => {
  const a = await login(appA, "alice@contoso.example", "pw-alice");
  const read = (await appA.inject({ method: "GET", url: "/api/admin/policy", headers: { cookie: a } })).json() as { version: number };
  const [r1, r2] = await Promise.all([
    appA.inject({ method: "PUT", url: "/api/admin/policy", headers: { cookie: a }, payload: { version: read.version, blockUserInstalls: true } }),
    appB.inject({ method: "PUT", url: "/api/admin/policy", headers: { cookie: a }, payload: { version: read.version, userInstallMaxTier: "ReadItem" } }),
  ]);
  assert.deepEqual([r1.statusCode, r2.statusCode].sort(), [200, 409]);
  const loser = r1.statusCode === 409 ? r1 : r2;
  assert.equal(loser.json().error.code, "version-conflict");
  assert.equal(loser.json().error.current.version, read.version + 1);
  const bob = await login(appA, "bob@contoso.example", "pw-bob");
  assert.equal((await appA.inject({ method: "GET", url: "/api/admin/policy", headers: { cookie: bob } })).statusCode, 403, "users are not admins");
  const log = (await appB.inject({ method: "GET", url: "/api/admin/audit?action=policy.update", headers: { cookie: a } })).json().value as unknown[];
  assert.equal(log.length, 1);
  await appA.inject({ method: "PUT", url: "/api/admin/policy", headers: { cookie: a }, payload: { version: read.version + 1, blockUserInstalls: false, userInstallMaxTier: "ReadWriteMailbox" } });
});

test("a crash midway through an install (process killed inside the transaction) leaves it absent; the next run installs it whole", async () => {
  const cli = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url));
  const manifest = fileURLToPath(new URL("../../examples/read-write-mailbox/manifest.xml", import.meta.url));
  const env = { ...process.env, DATABASE_URL: PG_URL, PGOPTIONS: `-c search_path=${schema}` };
  const run = () => spawn(process.execPath, ["--import", "tsx", cli, "addin", "install", manifest, "--user", "bob@contoso.example", "--accept-consent", "--json"], { env, stdio: ["ignore", "pipe", "pipe"] });
  // Hold the audit log: the install writes its record, then waits for the audit insert inside its transaction.
  const holder = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${schema}` });
  await holder.connect();
  await holder.query("BEGIN");
  await holder.query("LOCK TABLE audit_log IN EXCLUSIVE MODE");
  const child = run();
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  // Wait until the child's transaction has written the install row and waits on the lock.
  for (;;) {
    const { rows } = await holder.query("SELECT count(*)::int AS n FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'audit_log' AND NOT l.granted");
    if (rows[0].n > 0) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill("SIGKILL");
  await exited;
  await holder.query("COMMIT");
  await holder.end();
  const life = Lifecycle.of(storeA);
  const bob = (await storeA.directory.getUserByEmail("bob@contoso.example"))!;
  // The server notices the dead connection and rolls back; poll until the backend is gone.
  for (;;) {
    const { rows } = await storeA.db.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE state LIKE 'idle in transaction%' OR wait_event_type = 'Lock'");
    if (rows[0]!.n === 0) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.equal((await life.installs.list(bob)).some((a) => a.name.includes("Read Write Mailbox")), false, "absent, not half installed");
  const second = run();
  let out = "";
  second.stdout.on("data", (d: Buffer) => (out += d));
  assert.equal(await new Promise((r) => second.on("exit", r)), 0, out);
  const installed = (await life.installs.list(bob)).find((a) => a.tier === "ReadWriteMailbox");
  assert.ok(installed, out);
  assert.equal((await life.auditLog.list("contoso", { action: "addin.install" })).filter((e) => e.target.endsWith(installed.id)).length, 1);
});

test("IRM-protected items: the tenant policy and the client's own rules decide whether a session opens", async () => {
  const admin = await login(appA, "alice@contoso.example", "pw-alice");
  const drafts = await storeA.mailboxes.resolveFolder(alice.mailbox.id, "inbox");
  const protectedItem = await storeA.items.create(alice.mailbox.id, drafts!.id, { subject: "secret", bodyText: "x" });
  await storeA.db.query("UPDATE items SET is_irm_protected = true WHERE id = $1", [protectedItem.id]);
  await appA.inject({ method: "POST", url: "/api/admin/deployments", headers: { cookie: admin }, payload: { source: "file", manifest: READ_ITEM_XML, targets: [{ kind: "everyone" }] } });
  const openOn = (client: string) => appB.inject({ method: "POST", url: "/bridge/sessions", headers: { cookie: admin }, payload: { addinId: READ_ITEM_ID, itemId: protectedItem.id, form: "read", client } });
  assert.equal((await openOn("web")).statusCode, 200);
  const ios = await openOn("ios");
  assert.equal(ios.statusCode, 403);
  assert.match(ios.json().message, /iOS/);
  const policy = (await appA.inject({ method: "GET", url: "/api/admin/policy", headers: { cookie: admin } })).json() as { version: number };
  assert.equal((await appA.inject({ method: "PUT", url: "/api/admin/policy", headers: { cookie: admin }, payload: { version: policy.version, irmActivation: false } })).statusCode, 200);
  const web = await openOn("web");
  assert.equal(web.statusCode, 403);
  assert.equal(web.json().error, "protected-item");
  assert.equal((await appB.inject({ method: "POST", url: "/bridge/sessions", headers: { cookie: admin }, payload: { addinId: READ_ITEM_ID, itemId: item.id, form: "read" } })).statusCode, 200, "unprotected items are unaffected");
  await appA.inject({ method: "PUT", url: "/api/admin/policy", headers: { cookie: admin }, payload: { version: policy.version + 1, irmActivation: true } });
  await appA.inject({ method: "DELETE", url: `/api/admin/deployments/${READ_ITEM_ID}`, headers: { cookie: admin } });
});

test("the store over HTTP: publisher account, refused until complete and verified, submission, store install, review, takedown", async () => {
  const bob = await login(appA, "bob@contoso.example", "pw-bob");
  const admin = await login(appB, "alice@contoso.example", "pw-alice");
  await Lifecycle.of(storeA).catalog.addOperator(alice.user.id);
  const created = await appA.inject({ method: "POST", url: "/api/store/publishers", headers: { cookie: bob }, payload: { name: "Bob Labs", privacyUrl: "https://bob.example/privacy", supportUrl: "https://bob.example/help", acceptAgreement: true } });
  assert.equal(created.statusCode, 201, created.body);
  const pub = created.json() as { id: string; verified: boolean };
  assert.equal(pub.verified, false);
  const xml = READ_ITEM_XML.replace("<Version>1.0.0.0</Version>", "<Version>2.0.0.0</Version>");
  const early = await appB.inject({ method: "POST", url: `/api/store/publishers/${pub.id}/submissions`, headers: { cookie: bob }, payload: { manifest: xml } });
  assert.equal(early.statusCode, 422);
  assert.equal(early.json().error.code, "publisher-incomplete");
  assert.equal((await appA.inject({ method: "POST", url: `/api/store/publishers/${pub.id}/verify`, headers: { cookie: bob } })).statusCode, 403, "only store operators verify");
  assert.equal((await appA.inject({ method: "POST", url: `/api/store/publishers/${pub.id}/verify`, headers: { cookie: admin } })).statusCode, 200);
  assert.equal((await appB.inject({ method: "POST", url: `/api/store/publishers/${pub.id}/submissions`, headers: { cookie: admin }, payload: { manifest: xml } })).statusCode, 403, "only the publisher's owner submits");
  const sub = await appB.inject({ method: "POST", url: `/api/store/publishers/${pub.id}/submissions`, headers: { cookie: bob }, payload: { manifest: xml } });
  assert.equal(sub.statusCode, 201, sub.body);
  const listings = (await appA.inject({ method: "GET", url: "/api/store/listings?q=Read%20Item", headers: { cookie: bob } })).json().value as { id: string; publisher: { name: string } }[];
  assert.deepEqual(listings.map((l) => [l.id, l.publisher.name]), [[READ_ITEM_ID, "Bob Labs"]]);
  const detail = (await appA.inject({ method: "GET", url: `/api/store/listings/${READ_ITEM_ID}`, headers: { cookie: bob } })).json() as { versions: { version: string; sha256: string }[]; explanation: { tier: string } };
  assert.deepEqual([detail.versions.map((v) => v.version), detail.explanation.tier], [["2.0.0.0"], "ReadItem"]);
  const raw = await appA.inject({ method: "GET", url: `/api/store/listings/${READ_ITEM_ID}/versions/2.0.0.0/manifest`, headers: { cookie: bob } });
  assert.equal(raw.body, xml);
  assert.equal(raw.headers["x-content-sha256"], detail.versions[0]!.sha256);
  assert.equal((await appA.inject({ method: "PUT", url: `/api/store/listings/${READ_ITEM_ID}/reviews`, headers: { cookie: bob }, payload: { rating: 5, text: "mine" } })).statusCode, 404, "not installed: no review");
  const prompt = (await appA.inject({ method: "POST", url: "/api/addins/consent-prompt", headers: { cookie: bob }, payload: { source: "store", addinId: READ_ITEM_ID } })).json() as { tier: string; supplementary: string[]; textVersion: string };
  const inst = await appB.inject({ method: "POST", url: "/api/addins", headers: { cookie: bob }, payload: { source: "store", addinId: READ_ITEM_ID, accept: prompt } });
  assert.equal(inst.statusCode, 201, inst.body);
  assert.equal((await appA.inject({ method: "PUT", url: `/api/store/listings/${READ_ITEM_ID}/reviews`, headers: { cookie: bob }, payload: { rating: 5, text: "mine" } })).statusCode, 200);
  assert.equal((await appA.inject({ method: "POST", url: `/api/store/listings/${READ_ITEM_ID}/takedown`, headers: { cookie: bob }, payload: { reason: "no" } })).statusCode, 403);
  assert.equal((await appA.inject({ method: "POST", url: `/api/store/listings/${READ_ITEM_ID}/takedown`, headers: { cookie: admin }, payload: { reason: "spam" } })).statusCode, 200);
  const mine = (await appB.inject({ method: "GET", url: "/api/addins", headers: { cookie: bob } })).json().value as { id: string; enabled: boolean; notice: string }[];
  const taken = mine.find((a) => a.id === READ_ITEM_ID)!;
  assert.equal(taken.enabled, false);
  assert.match(taken.notice, /spam/);
  const policy = (await appA.inject({ method: "GET", url: "/api/admin/policy", headers: { cookie: admin } })).json() as { version: number };
  await appA.inject({ method: "PUT", url: "/api/admin/policy", headers: { cookie: admin }, payload: { version: policy.version, optionalConnectedExperiences: { windows: false } } });
  const store = await appA.inject({ method: "GET", url: "/api/store/listings?client=windows", headers: { cookie: bob } });
  assert.equal(store.statusCode, 403);
  assert.equal(store.json().error.code, "oce-off");
});
