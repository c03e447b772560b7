/**
 * The lifecycle domain on PGlite: every install path × every policy, consent and re-consent, silent updates,
 * admin deployment without consent, read-only archived versions, idempotent installs, id claims, URL installs
 * over real HTTPS (a certificate made for the test, trusted only through the fetch option).
 */
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { openPglite, storeFromDb, truncateAll, type MailboxStore } from "../../src/mailbox/index.ts";
import { DbBlobStore } from "../../src/mailbox/blobs/db-blob-store.ts";
import { CONSENT_TEXT_VERSION, Lifecycle, LifecycleError, exportInstalls, importInstalls, type InstallInput } from "../../src/addins/index.ts";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { lifecycleWorld, manifestServer, readItemVariant, READ_ITEM_ID, RWI_ID, RWI_XML, RWM_ID, RWM_XML, READ_ITEM_XML } from "./helpers.ts";

const db = await openPglite();
const store: MailboxStore = await storeFromDb(db, new DbBlobStore(db));
const files = { "rwi.xml": RWI_XML, "read-item.xml": READ_ITEM_XML };
const https = await manifestServer(files);
after(async () => {
  await https.close();
  await store.close();
});
before(async () => undefined);

async function fresh() {
  await truncateAll(db);
  const w = await lifecycleWorld(store);
  // URL installs trust the test's certificate and its loopback address through options, nothing global.
  const life = new Lifecycle(store.db, { fetch: { ca: https.cert, allowAddress: () => true } });
  return { ...w, life, bob: { ...w.bob.user }, alice: { ...w.alice.user } };
}

const code = async (p: Promise<unknown>): Promise<string> => {
  try {
    await p;
    return "ok";
  } catch (err) {
    if (err instanceof LifecycleError) return err.code;
    throw err;
  }
};
/** The bar's batched lookup answers what the bridge's one-add-in lookup answers, add-in by add-in. */
async function assertBatchAgrees(w: Awaited<ReturnType<typeof fresh>>, user: Awaited<ReturnType<typeof fresh>>["bob"], client: string, ids: string[], where: string) {
  const all = await w.life.installs.forSessionAll(user, client);
  for (const id of ids) {
    const one = await w.life.installs.forSession(user, id, client).catch((e: unknown) => e);
    if (one instanceof LifecycleError || one instanceof Error) assert.equal(all.addins.has(id), false, `${where}: ${id} refused alone, absent from the batch`);
    else assert.deepEqual(all.addins.get(id), (one as { addin: unknown }).addin, `${where}: ${id} the same in the batch`);
  }
}
const acceptFor = (tier: string, supplementary: string[] = []) => ({ tier, supplementary, textVersion: CONSENT_TEXT_VERSION });

type Path = "store" | "file" | "url" | "admin";
type Policy = "none" | "blocked" | "cap" | "oce:windows" | "oce:mac" | "oce:ios" | "oce:android" | "oce:web" | "disabled" | "taken-down";
const PATHS: Path[] = ["store", "file", "url", "admin"];
const POLICIES: Policy[] = ["none", "blocked", "cap", "oce:windows", "oce:mac", "oce:ios", "oce:android", "oce:web", "disabled", "taken-down"];

/** What each user install path gets under each policy (the add-in asks ReadWriteItem; the cap is ReadItem). */
function expectedUser(policy: Policy): string {
  return {
    none: "ok",
    blocked: "user-installs-blocked",
    cap: "above-user-cap",
    "oce:windows": "oce-off",
    "oce:mac": "oce-off",
    "oce:ios": "oce-off",
    "oce:android": "oce-off",
    "oce:web": "ok",
    disabled: "disabled-by-admin",
    "taken-down": "taken-down",
  }[policy];
}
/** Admin deployment ignores the user-install policies; a disabled add-in deploys but does not run; the store's takedown refuses it. */
function expectedAdmin(policy: Policy): { deploy: string; session: string } {
  if (policy === "taken-down") return { deploy: "taken-down", session: "not-installed" };
  if (policy === "disabled") return { deploy: "ok", session: "disabled-by-admin" };
  return { deploy: "ok", session: "ok" };
}

test("every install path × every policy", async () => {
  for (const path of PATHS) {
    for (const policy of POLICIES) {
      const w = await fresh();
      await w.life.catalog.submit(w.publisher.id, Buffer.from(RWI_XML), "rwi.xml", "test", null);
      const client = policy.startsWith("oce:") ? policy.slice(4) : "web";
      if (policy === "blocked") await w.life.policies.update("contoso", 1, { blockUserInstalls: true }, "alice");
      if (policy === "cap") await w.life.policies.update("contoso", 1, { userInstallMaxTier: "ReadItem" }, "alice");
      if (policy.startsWith("oce:")) await w.life.policies.update("contoso", 1, { optionalConnectedExperiences: { [client]: false } }, "alice");
      if (policy === "disabled") await w.life.setAddinEnabled("contoso", RWI_ID, false, "alice");
      if (policy === "taken-down") await w.life.catalog.takedown(RWI_ID, "malware", "operator");
      const input: InstallInput = path === "store" ? { source: "store", addinId: RWI_ID } : path === "file" ? { source: "file", manifest: RWI_XML } : { source: "url", url: `${https.base}/m/rwi.xml` };
      const where = `${path} × ${policy}`;
      if (path === "admin") {
        const want = expectedAdmin(policy);
        const src: InstallInput = policy === "taken-down" ? { source: "file", manifest: RWI_XML } : { source: "store", addinId: RWI_ID };
        assert.equal(await code(w.life.deploy("contoso", src, [{ kind: "user", address: "bob@contoso.example" }], false, "alice")), want.deploy, where);
        assert.equal(await code(w.life.installs.forSession(w.bob, RWI_ID, client)), want.session, `${where}: session`);
        if (want.session === "ok") assert.equal((await w.life.installs.forSession(w.bob, RWI_ID, client)).addin.tier, "ReadWriteItem", where);
        await assertBatchAgrees(w, w.bob, client, [RWI_ID], where);
        continue;
      }
      const got = await code(w.life.installs.install(w.bob, input, { accept: acceptFor("ReadWriteItem"), client }));
      assert.equal(got, expectedUser(policy), where);
      const mine = await w.life.installs.list(w.bob);
      if (got === "ok") {
        assert.deepEqual(mine.map((a) => [a.id, a.source, a.tier]), [[RWI_ID, path, "ReadWriteItem"]], where);
        assert.equal((await w.life.installs.forSession(w.bob, RWI_ID, client)).addin.tier, "ReadWriteItem", where);
      } else {
        assert.deepEqual(mine, [], `${where}: nothing stored`);
        assert.equal((await w.life.auditLog.list("contoso", { action: "addin.install" })).length, 0, `${where}: nothing audited as installed`);
      }
      await assertBatchAgrees(w, w.bob, client, [RWI_ID], where);
    }
  }
});

test("OCE off on iOS/Android: only admin-deployed add-ins run there; own installs still run in the browser", async () => {
  const w = await fresh();
  await w.life.installs.install(w.bob, { source: "file", manifest: READ_ITEM_XML }, { accept: acceptFor("ReadItem") });
  await w.life.deploy("contoso", { source: "file", manifest: RWI_XML }, [{ kind: "everyone" }], false, "alice");
  await w.life.policies.update("contoso", 1, { optionalConnectedExperiences: { ios: false, android: false } }, "alice");
  for (const client of ["ios", "android"]) {
    assert.equal(await code(w.life.installs.forSession(w.bob, READ_ITEM_ID, client)), "oce-off", client);
    assert.equal(await code(w.life.installs.forSession(w.bob, RWI_ID, client)), "ok", client);
  }
  assert.equal(await code(w.life.installs.forSession(w.bob, READ_ITEM_ID, "web")), "ok");
  assert.equal(await code(w.life.installs.forSession(w.bob, READ_ITEM_ID, "windows")), "ok");
  for (const client of ["ios", "android", "web", "windows"]) await assertBatchAgrees(w, w.bob, client, [READ_ITEM_ID, RWI_ID], `OCE, ${client}`);
});

test("consent: refused without an exact acceptance (nothing stored), installed with it, granted tier = consented tier", async () => {
  const w = await fresh();
  const input: InstallInput = { source: "file", manifest: RWI_XML };
  const err = await w.life.installs.install(w.bob, input).catch((e: LifecycleError) => e);
  assert.ok(err instanceof LifecycleError && err.code === "consent-required");
  const prompt = err.details.prompt as { tier: string; textVersion: string; explanation: { headline: string } };
  assert.equal(prompt.tier, "ReadWriteItem");
  assert.equal(prompt.textVersion, CONSENT_TEXT_VERSION);
  assert.match(prompt.explanation.headline, /read and change/);
  assert.equal(await code(w.life.installs.install(w.bob, input, { accept: acceptFor("ReadItem") })), "consent-required", "a lower tier is not an acceptance");
  assert.equal(await code(w.life.installs.install(w.bob, input, { accept: { ...acceptFor("ReadWriteItem"), textVersion: "old" } })), "consent-required", "an old consent text is not an acceptance");
  assert.equal(await code(w.life.installs.install(w.bob, input, { accept: acceptFor("ReadWriteItem", ["AppendOnSend"]) })), "consent-required", "more than asked is not an acceptance either");
  assert.deepEqual(await w.life.installs.list(w.bob), []);
  const r = await w.life.installs.install(w.bob, input, { accept: acceptFor("ReadWriteItem") });
  assert.equal(r.changed, true);
  assert.equal(r.addin.consent?.tier, "ReadWriteItem");
  assert.equal(r.addin.consent?.by, "bob@contoso.example");
  const s = await w.life.installs.forSession(w.bob, RWI_ID, "web");
  assert.equal(s.addin.tier, "ReadWriteItem");
  assert.equal(await code(w.life.installs.forSession(w.alice, RWI_ID, "web")), "not-installed", "installs are for oneself only");
});

test("idempotent install: the same manifest twice changes nothing and is audited once", async () => {
  const w = await fresh();
  const input: InstallInput = { source: "file", manifest: READ_ITEM_XML };
  assert.equal((await w.life.installs.install(w.bob, input, { accept: acceptFor("ReadItem") })).changed, true);
  const again = await w.life.installs.install(w.bob, input, { accept: acceptFor("ReadItem") });
  assert.equal(again.changed, false);
  assert.equal((await w.life.installs.install(w.bob, input)).changed, false, "no new consent needed for the same manifest");
  assert.equal((await w.life.installs.list(w.bob)).length, 1);
  assert.equal((await w.life.auditLog.list("contoso", { action: "addin.install" })).length, 1);
});

test("store updates: an escalating one waits for consent (old version runs), consent applies it; a non-escalating one applies silently", async () => {
  const w = await fresh();
  await w.life.catalog.submit(w.publisher.id, Buffer.from(readItemVariant("1.0.0.0")), "v1.xml", "test", null);
  await w.life.installs.install(w.bob, { source: "store", addinId: READ_ITEM_ID }, { accept: acceptFor("ReadItem") });
  await w.life.catalog.submit(w.publisher.id, Buffer.from(readItemVariant("1.1.0.0", "ReadWriteItem")), "v2.xml", "test", null);
  let mine = (await w.life.installs.find(w.bob, READ_ITEM_ID))!;
  assert.equal(mine.version, "1.0.0.0");
  assert.equal(mine.pending?.version, "1.1.0.0");
  assert.equal(mine.pending?.tier, "ReadWriteItem");
  let s = await w.life.installs.forSession(w.bob, READ_ITEM_ID, "web");
  assert.deepEqual([s.addin.version, s.addin.tier], ["1.0.0.0", "ReadItem"], "stays on the old version until consent");
  assert.equal(await code(w.life.installs.acceptUpdate(w.bob, READ_ITEM_ID, acceptFor("ReadItem"))), "consent-required");
  mine = await w.life.installs.acceptUpdate(w.bob, READ_ITEM_ID, acceptFor("ReadWriteItem"));
  assert.deepEqual([mine.version, mine.tier, mine.pending], ["1.1.0.0", "ReadWriteItem", null]);
  await w.life.catalog.submit(w.publisher.id, Buffer.from(readItemVariant("1.2.0.0", "ReadItem")), "v3.xml", "test", null);
  s = await w.life.installs.forSession(w.bob, READ_ITEM_ID, "web");
  assert.deepEqual([s.addin.version, s.addin.tier], ["1.2.0.0", "ReadItem"], "asks less: applied silently, granted what it asks");
  const actions = (await w.life.auditLog.list("contoso")).map((e) => e.action);
  assert.ok(actions.includes("addin.update-pending") && actions.filter((a) => a === "addin.update").length === 2, actions.join(","));
});

test("a re-installed custom add-in asking for more needs consent again; asking the same or less does not", async () => {
  const w = await fresh();
  await w.life.installs.install(w.bob, { source: "file", manifest: readItemVariant("1.0.0.0") }, { accept: acceptFor("ReadItem") });
  assert.equal(await code(w.life.installs.install(w.bob, { source: "file", manifest: readItemVariant("2.0.0.0", "ReadWriteMailbox") })), "consent-required");
  assert.equal((await w.life.installs.forSession(w.bob, READ_ITEM_ID, "web")).addin.version, "1.0.0.0", "the refused update changed nothing");
  assert.equal((await w.life.installs.install(w.bob, { source: "file", manifest: readItemVariant("1.5.0.0", "Restricted") })).changed, true);
  assert.equal((await w.life.installs.forSession(w.bob, READ_ITEM_ID, "web")).addin.tier, "Restricted");
});

test("admin deployment: no consent for users, updates without consent, mandatory cannot be disabled, optional can; groups", async () => {
  const w = await fresh();
  await w.life.groups.set("contoso", "sales", ["bob@contoso.example"], "alice");
  const d = await w.life.deploy("contoso", { source: "file", manifest: RWM_XML }, [{ kind: "group", name: "sales" }], true, "alice");
  assert.deepEqual(d.targets, [{ kind: "group", name: "sales" }]);
  const s = await w.life.installs.forSession(w.bob, RWM_ID, "web");
  assert.equal(s.addin.tier, "ReadWriteMailbox");
  assert.equal(s.addin.source, "admin");
  const listed = (await w.life.installs.list(w.bob))[0]!;
  assert.deepEqual([listed.source, listed.consent, listed.mandatory], ["admin", null, true]);
  assert.equal(await code(w.life.installs.forSession(w.alice, RWM_ID, "web")), "not-installed", "alice is not in the group");
  assert.equal(await code(w.life.installs.setEnabled(w.bob, RWM_ID, false)), "mandatory");
  assert.equal(await code(w.life.installs.remove(w.bob, RWM_ID)), "admin-deployed");
  // Admin update to a higher tier: no consent.
  await w.life.deploy("contoso", { source: "file", manifest: readItemVariant("3.0.0.0", "ReadWriteMailbox") }, [{ kind: "everyone" }], false, "alice");
  assert.equal((await w.life.installs.forSession(w.alice, READ_ITEM_ID, "web")).addin.tier, "ReadWriteMailbox");
  await w.life.installs.setEnabled(w.alice, READ_ITEM_ID, false);
  assert.equal(await code(w.life.installs.forSession(w.alice, READ_ITEM_ID, "web")), "disabled");
  await w.life.installs.setEnabled(w.alice, READ_ITEM_ID, true);
  assert.equal(await code(w.life.installs.forSession(w.alice, READ_ITEM_ID, "web")), "ok");
  await w.life.undeploy("contoso", READ_ITEM_ID, "alice");
  assert.equal(await code(w.life.installs.forSession(w.alice, READ_ITEM_ID, "web")), "not-installed");
  const log = await w.life.auditLog.list("contoso");
  assert.ok(log.some((e) => e.action === "deployment.create" && e.actor === "alice" && e.before === null && (e.after as { tier: string }).tier === "ReadWriteMailbox"));
  assert.ok(log.some((e) => e.action === "deployment.remove"));
});

test("archived versions are read-only in the database: a direct UPDATE or DELETE fails; the hash is the content's", async () => {
  const w = await fresh();
  const v = await w.life.catalog.submit(w.publisher.id, Buffer.from(READ_ITEM_XML), "m.xml", "test", null);
  assert.equal(v.sha256, createHash("sha256").update(READ_ITEM_XML).digest("hex"));
  await assert.rejects(db.query("UPDATE store_versions SET manifest = $1 WHERE addin_id = $2", [Buffer.from("<evil/>"), READ_ITEM_ID]), /read-only/);
  await assert.rejects(db.query("UPDATE store_versions SET tier = 'ReadWriteMailbox'"), /read-only/);
  await assert.rejects(db.query("DELETE FROM store_versions WHERE addin_id = $1", [READ_ITEM_ID]), /read-only/);
  const bytes = await w.life.catalog.versionBytes(READ_ITEM_ID, "1.0.0.0");
  assert.equal(bytes!.bytes.toString("utf8"), READ_ITEM_XML);
  // Same version, other bytes: refused (a listing changes only by a new version).
  assert.equal(await code(w.life.catalog.submit(w.publisher.id, Buffer.from(READ_ITEM_XML.replace("Reads the", "Now reads the")), "m.xml", "test", null)), "version-exists");
  assert.equal(await code(w.life.catalog.submit(w.publisher.id, Buffer.from(readItemVariant("0.9.0.0")), "m.xml", "test", null)), "version-not-newer");
  assert.equal((await w.life.catalog.submit(w.publisher.id, Buffer.from(READ_ITEM_XML), "m.xml", "test", null)).sha256, v.sha256, "same bytes again: idempotent");
});

test("store submissions: id claimed by another publisher, incomplete publishers, invalid manifests, http URLs are refused; nothing stored", async () => {
  const w = await fresh();
  await w.life.catalog.submit(w.publisher.id, Buffer.from(READ_ITEM_XML), "m.xml", "test", null);
  const other = await w.life.catalog.publishers.create({ name: "Mallory Apps", verified: true, acceptAgreement: true, privacyUrl: "https://m.example/p", supportUrl: "https://m.example/s" }, "test", null);
  const err = await w.life.catalog.submit(other.id, Buffer.from(readItemVariant("9.0.0.0")), "m.xml", "mallory", null).catch((e: LifecycleError) => e);
  assert.ok(err instanceof LifecycleError && err.code === "id-claimed", String(err));
  assert.equal((await w.life.catalog.listing(READ_ITEM_ID))!.publisher.name, "Fabrikam Tools");
  assert.equal((await w.life.catalog.detail(READ_ITEM_ID))!.versions.length, 1);
  const lazy = await w.life.catalog.publishers.create({ name: "Lazy" }, "test", null);
  const e2 = await w.life.catalog.submit(lazy.id, Buffer.from(RWI_XML), "m.xml", "test", null).catch((e: LifecycleError) => e);
  assert.ok(e2 instanceof LifecycleError && e2.code === "publisher-incomplete");
  assert.match(e2.message, /verified identity.*agreement.*privacy-policy URL.*support URL/);
  const e3 = await w.life.catalog.submit(w.publisher.id, Buffer.from("<OfficeApp/>"), "bad.xml", "test", null).catch((e: LifecycleError) => e);
  assert.ok(e3 instanceof LifecycleError && e3.code === "invalid-manifest" && (e3.details.findings?.length ?? 0) > 0);
  const http = RWI_XML.replaceAll("https://localhost:3000/examples/read-write-item/index.html", "http://localhost:3000/examples/read-write-item/index.html");
  assert.notEqual(await code(w.life.catalog.submit(w.publisher.id, Buffer.from(http), "m.xml", "test", null)), "ok");
  assert.equal(await w.life.catalog.listing(RWI_ID), undefined);
  assert.equal(await code(w.life.catalog.publishers.create({ name: "fabrikam tools" }, "test", null)), "id-claimed", "publisher names are unique");
});

test("URL installs: HTTPS only, trusted certificate, public addresses by default, time limit, 256 KB", async () => {
  const w = await fresh();
  const ok = await w.life.installs.install(w.bob, { source: "url", url: `${https.base}/m/read-item.xml` }, { accept: acceptFor("ReadItem") });
  assert.equal(ok.addin.source, "url");
  assert.equal(await code(w.life.installs.resolve({ source: "url", url: `http://127.0.0.1:1/m/rwi.xml` })), "not-https");
  assert.equal(await code(w.life.installs.resolve({ source: "url", url: `${https.base}/to-http` })), "not-https", "a redirect to http:// is refused");
  assert.equal(await code(w.life.installs.resolve({ source: "url", url: `${https.base}/big` })), "too-large");
  const slow = new Lifecycle(store.db, { fetch: { ca: https.cert, allowAddress: () => true, timeoutMs: 300 } });
  assert.equal(await code(slow.installs.resolve({ source: "url", url: `${https.base}/slow` })), "fetch-timeout");
  const untrusted = new Lifecycle(store.db, { fetch: { allowAddress: () => true } });
  assert.equal(await code(untrusted.installs.resolve({ source: "url", url: `${https.base}/m/rwi.xml` })), "fetch-failed", "the test CA is trusted only where passed");
  const defaults = new Lifecycle(store.db, { fetch: { ca: https.cert } });
  const e = await defaults.installs.resolve({ source: "url", url: `${https.base}/m/rwi.xml` }).catch((x: LifecycleError) => x);
  assert.ok(e instanceof LifecycleError && /not a public address/.test(e.message), "loopback refused by default (SSRF)");
  assert.equal(await code(w.life.installs.resolve({ source: "url", url: `https://localhost:${new URL(https.base).port}/m/rwi.xml` })), "ok", "names resolve and are checked too");
  assert.equal(await code(defaults.installs.resolve({ source: "url", url: `https://localhost:${new URL(https.base).port}/m/rwi.xml` })), "fetch-failed");
});

test("policies: version check refuses the second of two writers; overrides validated in range; audit has before and after", async () => {
  const w = await fresh();
  const [a, b] = await Promise.allSettled([w.life.policies.update("contoso", 1, { blockUserInstalls: true }, "alice"), w.life.policies.update("contoso", 1, { userInstallMaxTier: "ReadItem" }, "carol")]);
  const outcomes = [a.status, b.status].sort();
  assert.deepEqual(outcomes, ["fulfilled", "rejected"]);
  const rejected = (a.status === "rejected" ? a : b) as PromiseRejectedResult;
  assert.equal((rejected.reason as LifecycleError).code, "version-conflict");
  const p = await w.life.policies.get("contoso");
  assert.equal(p.version, 2);
  assert.equal(p.blockUserInstalls !== (p.userInstallMaxTier === "ReadItem"), true, "exactly one change landed");
  assert.equal(await code(w.life.policies.update("contoso", 2, { thresholds: { MemoryAlertThreshold: 99999 } }, "alice")), "invalid-request");
  assert.equal(await code(w.life.policies.update("contoso", 2, { thresholds: { CpuAlertCount: 4 } }, "alice")), "invalid-request");
  assert.equal(await code(w.life.policies.update("contoso", 2, { nonsense: true }, "alice")), "invalid-request");
  const p3 = await w.life.policies.update("contoso", 2, { thresholds: { MemoryAlertThreshold: 800 }, legacyTokensEnabled: false, irmActivation: false }, "alice");
  assert.deepEqual([p3.version, p3.thresholds.MemoryAlertThreshold, p3.legacyTokensEnabled, p3.irmActivation], [3, 800, false, false]);
  assert.equal((await store.directory.getTenant("contoso"))!.legacyTokensEnabled, false, "the tenant switch moved here");
  const last = (await w.life.auditLog.list("contoso", { action: "policy.update" }))[0]!;
  assert.deepEqual(last.before, { version: 2, thresholds: { MemoryAlertThreshold: null }, legacyTokensEnabled: true, irmActivation: true });
  assert.deepEqual(last.after, { version: 3, thresholds: { MemoryAlertThreshold: 800 }, legacyTokensEnabled: false, irmActivation: false });
});

test("install records live in the user's mailbox: exporting carries them, deleting the mailbox deletes them", async () => {
  const w = await fresh();
  await w.life.installs.install(w.bob, { source: "file", manifest: READ_ITEM_XML }, { accept: acceptFor("ReadItem") });
  const bobMailbox = (await store.mailboxes.ownMailbox(w.bob.id))!.id;
  const dir = mkdtempSync(join(tmpdir(), "outpost-export-"));
  assert.equal(await exportInstalls(store.db, bobMailbox, dir), 1);
  const aliceMailbox = (await store.mailboxes.ownMailbox(w.alice.id))!.id;
  assert.deepEqual(await importInstalls(store.db, aliceMailbox, dir), [READ_ITEM_ID]);
  const carried = (await w.life.installs.find(w.alice, READ_ITEM_ID))!;
  assert.deepEqual([carried.version, carried.tier, carried.consent?.by], ["1.0.0.0", "ReadItem", "bob@contoso.example"]);
  rmSync(dir, { recursive: true, force: true });
  await db.query("DELETE FROM mailbox_addins WHERE mailbox_id = $1", [aliceMailbox]);
  const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM mailbox_addins");
  assert.equal(rows[0]!.n, 1);
  await db.query("DELETE FROM mailboxes WHERE owner_user_id = $1", [w.bob.id]);
  assert.equal((await db.query<{ n: number }>("SELECT count(*)::int AS n FROM mailbox_addins")).rows[0]!.n, 0);
});

test("takedown disables installed copies with a notice; reviews only by users who have it", async () => {
  const w = await fresh();
  await w.life.catalog.submit(w.publisher.id, Buffer.from(READ_ITEM_XML), "m.xml", "test", null);
  await w.life.installs.install(w.bob, { source: "store", addinId: READ_ITEM_ID }, { accept: acceptFor("ReadItem") });
  await w.life.catalog.review(READ_ITEM_ID, w.bob, 4, "useful");
  assert.deepEqual((await w.life.catalog.listing(READ_ITEM_ID))!.rating, { average: 4, count: 1 });
  await w.life.catalog.takedown(READ_ITEM_ID, "phishing", "operator");
  const mine = (await w.life.installs.find(w.bob, READ_ITEM_ID))!;
  assert.equal(mine.enabled, false);
  assert.match(mine.notice ?? "", /taken down.*phishing/);
  assert.equal(await code(w.life.installs.forSession(w.bob, READ_ITEM_ID, "web")), "taken-down");
  assert.equal(await code(w.life.installs.setEnabled(w.bob, READ_ITEM_ID, true)), "taken-down");
  assert.deepEqual(await w.life.catalog.list(), []);
  assert.ok((await w.life.auditLog.list("contoso", { action: "store.takedown" })).length === 1);
});
