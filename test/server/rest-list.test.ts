import assert from "node:assert/strict";
import { describe, it, before, after } from "node:test";
import type { FastifyInstance } from "fastify";
import type { MailboxStore } from "../../src/mailbox/index.ts";
import { type Backend, pgliteBackend, smallWorld } from "../mailbox/helpers.ts";
import { server } from "./fixtures.ts";

/** GET /api/v2.0/me/messages: every mail folder of the token's mailbox, OData paging, ordering and projection. */
describe("REST GET /me/messages", () => {
  let backend: Backend;
  let store: MailboxStore;
  let app: FastifyInstance;
  let w: Awaited<ReturnType<typeof smallWorld>>;
  /** alice's messages, newest received first, as the server should order them. */
  let expected: Array<{ id: string; subject: string; receivedAt: Date }>;
  let appointmentId: string;

  before(async () => {
    backend = await pgliteBackend();
    store = await backend.fresh();
    w = await smallWorld(store);
    const mbx = w.alice.mailbox.id;
    const folder = async (name: string) => (await store.mailboxes.resolveFolder(mbx, name))!.id;
    const projects = await store.mailboxes.createFolder(mbx, await folder("inbox"), "Projects");
    const places = [await folder("inbox"), await folder("sentitems"), await folder("deleteditems"), await folder("archive"), projects.id];
    expected = [];
    for (let n = 0; n < 23; n++) {
      // Received times deliberately out of creation order, spread over every mail folder.
      const receivedAt = new Date(Date.UTC(2024, 0, 1 + ((n * 7) % 23), 9, 0, 0));
      const item = await store.items.create(mbx, places[n % places.length]!, { subject: `Message ${String(n).padStart(2, "0")}`, bodyText: `body ${n}`, receivedAt });
      expected.push({ id: item.id, subject: item.subject, receivedAt });
    }
    expected.sort((a, b) => b.receivedAt.getTime() - a.receivedAt.getTime());
    appointmentId = (await store.items.create(mbx, await folder("calendar"), { itemType: "appointment", subject: "Meeting", start: new Date(), end: new Date(Date.now() + 3600_000) })).id;
    await store.items.create(w.bob.mailbox.id, (await store.mailboxes.resolveFolder(w.bob.mailbox.id, "inbox"))!.id, { subject: "Bob's own" });
    await store.mailboxes.grant(mbx, w.bob.user.id, "reviewer");
    app = await server(store);
  });
  after(async () => {
    await app.close();
    await backend.close();
  });

  const mailboxToken = async (userId = w.alice.user.id, mailboxId = w.alice.mailbox.id) =>
    (await store.tokens.issueCallbackToken({ userId, mailboxId, addinId: "lister", tier: "ReadWriteMailbox", mode: "read", kind: "rest", itemId: null })).token;
  const get = async (url: string, token?: string) => {
    const res = await app.inject({ method: "GET", url, headers: token ? { authorization: `Bearer ${token}` } : {} });
    return { status: res.statusCode, body: res.json() as { value: Array<Record<string, unknown>>; "@odata.nextLink"?: string; error?: { code: string; message: string } } };
  };
  /** inject takes a path: strip the origin from a nextLink. */
  const path = (link: string) => new URL(link).pathname + new URL(link).search;

  it("lists messages of every mail folder, newest received first, 10 per page, following @odata.nextLink to the end", async () => {
    const token = await mailboxToken();
    const seen: string[] = [];
    let url: string | undefined = "/api/v2.0/me/messages";
    let pages = 0;
    while (url) {
      const { status, body } = await get(url, token);
      assert.equal(status, 200);
      assert.ok(body.value.length <= 10);
      seen.push(...body.value.map((m) => m.Id as string));
      url = body["@odata.nextLink"] ? path(body["@odata.nextLink"]) : undefined;
      pages++;
    }
    assert.equal(pages, 3, "23 messages = 10 + 10 + 3");
    assert.deepEqual(seen, expected.map((e) => e.id), "all of them, once each, in ReceivedDateTime desc order");
    assert.ok(!seen.includes(appointmentId), "calendar items are not messages");
  });

  it("honours $top and $skip, and gives no nextLink on the last page", async () => {
    const token = await mailboxToken();
    const a = await get("/api/v2.0/me/messages?$top=5&$skip=3", token);
    assert.deepEqual(a.body.value.map((m) => m.Id), expected.slice(3, 8).map((e) => e.id));
    assert.match(a.body["@odata.nextLink"]!, /\/api\/v2\.0\/me\/messages\?\$top=5&\$skip=8/);
    const last = await get("/api/v2.0/me/messages?$top=5&$skip=20", token);
    assert.equal(last.body.value.length, 3);
    assert.equal(last.body["@odata.nextLink"], undefined);
    const exact = await get("/api/v2.0/me/messages?$top=23", token);
    assert.equal(exact.body.value.length, 23);
    assert.equal(exact.body["@odata.nextLink"], undefined, "no link when exactly nothing remains");
    assert.equal((await get("/api/v2.0/me/messages?$skip=100", token)).body.value.length, 0);
  });

  it("orders by $orderby (ReceivedDateTime desc by default, asc on request, Subject), and refuses anything else", async () => {
    const token = await mailboxToken();
    const ids = async (q: string) => (await get(`/api/v2.0/me/messages?$top=50&${q}`, token)).body.value.map((m) => m.Id);
    assert.deepEqual(await ids("$orderby=ReceivedDateTime desc"), expected.map((e) => e.id));
    assert.deepEqual(await ids("$orderby=ReceivedDateTime%20asc"), [...expected].reverse().map((e) => e.id));
    assert.deepEqual(await ids("$orderby=Subject"), [...expected].sort((a, b) => a.subject.localeCompare(b.subject)).map((e) => e.id));
    for (const q of ["$orderby=Body desc", "$orderby=ReceivedDateTime;DROP TABLE items", "$orderby=ReceivedDateTime sideways", "$top=-1", "$top=abc", "$skip=1e3"]) {
      const r = await get(`/api/v2.0/me/messages?${q.replace(/ /g, "%20")}`, token);
      assert.equal(r.status, 400, q);
      assert.equal(r.body.error?.code, "ErrorInvalidRequest", q);
    }
  });

  it("projects with $select, keeps Id, and carries $select and $orderby into nextLink", async () => {
    const token = await mailboxToken();
    const r = await get("/api/v2.0/me/messages?$top=4&$select=Subject,receiveddatetime&$orderby=ReceivedDateTime%20asc", token);
    assert.equal(r.status, 200);
    for (const m of r.body.value) assert.deepEqual(Object.keys(m).sort(), ["@odata.id", "Id", "ReceivedDateTime", "Subject"]);
    assert.equal(r.body.value[0]!.Subject, expected.at(-1)!.subject);
    const next = await get(path(r.body["@odata.nextLink"]!), token);
    assert.deepEqual(Object.keys(next.body.value[0]!).sort(), ["@odata.id", "Id", "ReceivedDateTime", "Subject"]);
    assert.equal(next.body.value[0]!.Subject, expected.at(-5)!.subject);
    const unknown = await get("/api/v2.0/me/messages?$select=Subject,Password", token);
    assert.equal(unknown.status, 400);
    assert.match(unknown.body.error!.message, /Password/);
  });

  it("lists only the token's own mailbox; a delegate lists the mailbox while granted, not after revocation", async () => {
    const bobOwn = await get("/api/v2.0/me/messages", await mailboxToken(w.bob.user.id, w.bob.mailbox.id));
    assert.deepEqual(bobOwn.body.value.map((m) => m.Subject), ["Bob's own"]);
    const delegated = await mailboxToken(w.bob.user.id, w.alice.mailbox.id);
    assert.equal((await get("/api/v2.0/me/messages?$top=50", delegated)).body.value.length, 23);
    await store.mailboxes.revoke(w.alice.mailbox.id, w.bob.user.id);
    try {
      assert.equal((await get("/api/v2.0/me/messages", delegated)).status, 404, "rights are checked on every request (a mailbox no longer yours answers as not there)");
    } finally {
      await store.mailboxes.grant(w.alice.mailbox.id, w.bob.user.id, "reviewer");
    }
  });

  it("refuses tokens scoped to one item (every item-reach tier), other token kinds, and no token — before reading any query option", async () => {
    const itemId = expected[0]!.id;
    const before = await store.security.count();
    for (const tier of ["ReadItem", "ReadWriteItem"] as const) {
      const { token } = await store.tokens.issueCallbackToken({ userId: w.alice.user.id, mailboxId: w.alice.mailbox.id, addinId: "a", tier, mode: "read", kind: "rest", itemId });
      const r = await get("/api/v2.0/me/messages", token);
      assert.equal(r.status, 403, tier);
      assert.equal(r.body.error?.code, "ErrorAccessDenied");
      assert.equal(r.body.value, undefined, "nothing listed");
      // The item the token is for is reachable, the list is not.
      assert.equal((await get(`/api/v2.0/me/messages/${itemId}`, token)).status, 200);
    }
    const rwmItem = await store.tokens.issueCallbackToken({ userId: w.alice.user.id, mailboxId: w.alice.mailbox.id, addinId: "a", tier: "ReadWriteMailbox", mode: "read", kind: "rest", itemId });
    assert.equal((await get("/api/v2.0/me/messages", rwmItem.token)).status, 200, "ReadWriteMailbox reaches the mailbox even with an item context");
    const ews = await store.tokens.issueCallbackToken({ userId: w.alice.user.id, mailboxId: w.alice.mailbox.id, addinId: "a", tier: "ReadWriteMailbox", mode: "read", kind: "ews", itemId });
    assert.equal((await get("/api/v2.0/me/messages", ews.token)).status, 401);
    const identity = await store.tokens.issueIdentityToken({ userId: w.alice.user.id, mailboxId: w.alice.mailbox.id, addinId: "a", tier: "ReadWriteMailbox", mode: "read" });
    assert.equal((await get("/api/v2.0/me/messages", identity.token)).status, 401);
    assert.equal((await get("/api/v2.0/me/messages")).status, 401);
    assert.equal((await get("/api/v2.0/me/messages?$orderby=nonsense")).status, 401, "authentication comes before query validation");
    assert.equal(await store.security.count(), before + 6, "every refusal stored as a security event");
  });

  it("applies the same options to a folder's messages", async () => {
    const token = await mailboxToken();
    const inbox = (await store.mailboxes.resolveFolder(w.alice.mailbox.id, "inbox"))!;
    const r = await get(`/api/v2.0/me/mailfolders/inbox/messages?$top=2&$select=Subject&$orderby=ReceivedDateTime%20asc`, token);
    assert.equal(r.status, 200);
    assert.equal(r.body.value.length, 2);
    for (const m of r.body.value) assert.deepEqual(Object.keys(m).sort(), ["@odata.id", "Id", "Subject"]);
    assert.ok(r.body["@odata.nextLink"]?.includes("/mailfolders/inbox/messages?$top=2&$skip=2"));
    const all = (await store.items.list(inbox.id, { limit: 100, orderBy: "receivedAt", descending: false })).items.map((i) => i.id);
    assert.deepEqual(r.body.value.map((m) => m.Id), all.slice(0, 2));
  });
});
