/**
 * SqlSessionStore's admission (one statement per call once a server knows the session) and its write-behind trace,
 * on both databases: every refusal the two-step path gave, the user's current rights read in the same statement,
 * and a trace that holds every answered call when it is read.
 */
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { SqlSessionStore } from "../../src/runtime/sessions/sql-store.ts";
import { EXCHANGE_ONLINE_POLICY } from "../../src/permissions/index.ts";
import type { MailboxStore } from "../../src/mailbox/index.ts";
import type { SessionSpec } from "../../src/runtime/session.ts";
import { pgliteBackend, postgresBackend, smallWorld, type Backend } from "../mailbox/helpers.ts";

for (const makeBackend of [pgliteBackend, postgresBackend]) {
  describe(`bridge sessions in the database (${makeBackend === pgliteBackend ? "PGlite" : "PostgreSQL"})`, () => {
    let backend: Backend;
    let store: MailboxStore;
    let world: Awaited<ReturnType<typeof smallWorld>>;
    let spec: SessionSpec;
    const yes = () => true;

    before(async () => {
      backend = await makeBackend();
      store = await backend.fresh();
      world = await smallWorld(store);
      spec = { tenantId: world.contoso.id, userId: world.bob.user.id, mailboxId: world.support.id, addinId: "addin-1", itemId: null, form: "read", itemType: "message", client: "web", tier: "ReadItem", supplementary: [], tenant: EXCHANGE_ONLINE_POLICY };
      await store.mailboxes.grant(world.support.id, world.bob.user.id, "editor");
    });
    after(async () => backend?.close());

    it("admits increasing sequence numbers with the user's rights, and refuses a replay (first and later calls alike)", async () => {
      const sessions = new SqlSessionStore(store.db);
      const s = await sessions.open(spec);
      const first = await new SqlSessionStore(store.db).admit(s.id, 1, yes); // a server that has never seen it
      assert.ok("session" in first);
      assert.equal(first.rights, "editor");
      assert.equal(first.session.lastSeq, 1);
      assert.deepEqual(first.session.spec, s.spec);
      const second = await sessions.admit(s.id, 2, yes);
      assert.ok("session" in second && second.session.lastSeq === 2);
      assert.deepEqual(await sessions.admit(s.id, 2, yes), { refused: "replay" });
      assert.deepEqual(await sessions.admit(s.id, 1, yes), { refused: "replay" });
      // Another server's claim is seen here: its number is spent everywhere.
      assert.ok("session" in (await new SqlSessionStore(store.db).admit(s.id, 3, yes)));
      assert.deepEqual(await sessions.admit(s.id, 3, yes), { refused: "replay" });
    });

    it("checks the MAC before claiming: a bad one burns no number, and a closed session says unknown, not badMac", async () => {
      const sessions = new SqlSessionStore(store.db);
      const s = await sessions.open(spec);
      assert.ok("session" in (await sessions.admit(s.id, 1, yes)));
      let seen: Buffer | undefined;
      assert.deepEqual(await sessions.admit(s.id, 2, (secret) => ((seen = secret), false)), { refused: "badMac" });
      assert.deepEqual(seen, s.secret);
      assert.ok("session" in (await sessions.admit(s.id, 2, yes)), "the number was not spent by the forged call");
      await new SqlSessionStore(store.db).close(s.id); // closed by another server (an admin disabling the add-in)
      assert.deepEqual(await sessions.admit(s.id, 3, () => false), { refused: "unknownSession" });
      assert.deepEqual(await sessions.admit(s.id, 3, yes), { refused: "unknownSession" });
    });

    it("refuses at the next call once the sign-in session ends or the session expires, though this server knew it", async () => {
      const sessions = new SqlSessionStore(store.db);
      const signIn = await store.directory.createSession(world.bob.user.id);
      const s = await sessions.open({ ...spec, signInSession: signIn.id });
      assert.ok("session" in (await sessions.admit(s.id, 1, yes)));
      await store.directory.deleteSession(signIn.id);
      assert.deepEqual(await sessions.admit(s.id, 2, yes), { refused: "expiredSession" });
      const short = await sessions.open({ ...spec, ttlMs: 300 });
      assert.ok("session" in (await sessions.admit(short.id, 1, yes)));
      await new Promise((r) => setTimeout(r, 400));
      assert.deepEqual(await sessions.admit(short.id, 2, yes), { refused: "expiredSession" });
      assert.deepEqual(await sessions.admit("no-such-session", 1, yes), { refused: "unknownSession" });
    });

    it("reads the rights as they are at each call: revoked → null", async () => {
      const sessions = new SqlSessionStore(store.db);
      const s = await sessions.open(spec);
      const a = await sessions.admit(s.id, 1, yes);
      assert.ok("session" in a && a.rights === "editor");
      await store.mailboxes.revoke(world.support.id, world.bob.user.id);
      const b = await sessions.admit(s.id, 2, yes);
      assert.ok("session" in b);
      assert.equal(b.rights, null);
      await store.mailboxes.grant(world.support.id, world.bob.user.id, "editor");
    });

    it("returns the state and epoch as another server left them", async () => {
      const a = new SqlSessionStore(store.db);
      const b = new SqlSessionStore(store.db);
      const s = await a.open(spec);
      const first = await a.admit(s.id, 1, yes);
      assert.ok("session" in first);
      const onB = await b.admit(s.id, 2, yes);
      assert.ok("session" in onB);
      onB.session.state.sessionData.set("k", "v");
      await b.saveState(onB.session);
      await b.bumpEpoch(onB.session);
      const again = await a.admit(s.id, 3, yes);
      assert.ok("session" in again);
      assert.equal(again.session.state.sessionData.get("k"), "v");
      assert.equal(again.session.epoch, first.session.epoch + 1);
    });

    it("the trace holds every recorded call when read, written in batches after the answers", async () => {
      const sessions = new SqlSessionStore(store.db);
      const s = await sessions.open(spec);
      for (let seq = 1; seq <= 250; seq++) {
        const a = await sessions.admit(s.id, seq, yes);
        assert.ok("session" in a);
        await sessions.record(a.session, { seq, member: "body.getAsync", path: "Office.context.mailbox.item.body.getAsync", args: "[\"text\"]", outcome: "ok", code: 0, ms: 0.1, at: new Date().toISOString() });
      }
      const trace = await sessions.trace(s.id);
      assert.equal(trace.length, 250);
      assert.deepEqual(trace.map((t) => t.seq), Array.from({ length: 250 }, (_, i) => i + 1));
      assert.equal(trace[0]!.path, "Office.context.mailbox.item.body.getAsync");
      // Written without a reader too (the timer), and by flush() before the server lets go of the database.
      const b = await sessions.admit(s.id, 251, yes);
      assert.ok("session" in b);
      await sessions.record(b.session, { seq: 251, member: "x", path: "Office.x", args: "[]", outcome: "denied", code: 7000, ms: 0, at: new Date().toISOString(), detail: "why" });
      await sessions.flush();
      const { rows } = await store.db.query<{ n: string | number }>("SELECT count(*) AS n FROM bridge_trace WHERE session_id = $1", [s.id]);
      assert.equal(Number(rows[0]!.n), 251);
      assert.equal((await new SqlSessionStore(store.db).trace(s.id)).at(-1)!.detail, "why");
    });

    it("a batch holding an entry of a session deleted meanwhile still writes the others", async () => {
      const sessions = new SqlSessionStore(store.db);
      const kept = await sessions.open(spec);
      const gone = await sessions.open(spec);
      const a = await sessions.admit(kept.id, 1, yes);
      const b = await sessions.admit(gone.id, 1, yes);
      assert.ok("session" in a && "session" in b);
      const entry = { seq: 1, member: "m", path: "Office.m", args: "[]", outcome: "ok" as const, code: 0, ms: 0, at: new Date().toISOString() };
      await sessions.record(b.session, entry);
      await sessions.record(a.session, entry);
      await store.db.query("DELETE FROM bridge_sessions WHERE id = $1", [gone.id]);
      assert.equal((await sessions.trace(kept.id)).length, 1);
    });
  });
}
