/**
 * "Not yours" answers exactly as "not there" (issue 12): wherever a request names an id the caller may not see —
 * another tenant's item or folder, another user's mailbox, another item than an item-scoped token's — REST v2,
 * EWS, Graph and the web API answer as they answer an id that does not exist (same status, same body), and the
 * attempt is still stored for the tenant's admins. Each case is the attack: probing ids to learn which exist.
 */
import { test, after, describe } from "node:test";
import assert from "node:assert/strict";
import { Identity } from "../../src/identity/index.ts";
import { harness, ewsGetItem, SOAP, PASSWORDS } from "./world.ts";

const h = await harness();
after(() => h.close());
const { w, store } = h;
const MISSING = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

const rest = async (token: string, method: "GET" | "PATCH" | "DELETE" | "POST", url: string, payload?: object) => {
  const res = await h.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });
  return { status: res.statusCode, body: res.body };
};
const ews = async (token: string, body: string) => {
  const res = await h.inject({ method: "POST", url: "/EWS/Exchange.asmx", headers: { authorization: `Bearer ${token}`, "content-type": "text/xml; charset=utf-8" }, payload: SOAP(body) });
  return { status: res.statusCode, body: res.body };
};
/** The same answer for both ids, once the ids themselves are taken out of the body. */
function sameAnswer(hidden: { status: number; body: string }, missing: { status: number; body: string }, hiddenId: string, what: string) {
  assert.equal(hidden.status, missing.status, `${what}: status`);
  assert.equal(hidden.body.replaceAll(hiddenId, "ID"), missing.body.replaceAll(MISSING, "ID"), `${what}: body`);
}

describe("REST v2: another tenant's or user's ids answer 404 like missing ones", () => {
  test("a mailbox-wide token reading, writing and deleting another tenant's item", async () => {
    const token = await h.token({ tier: "ReadWriteMailbox", itemId: null });
    for (const [method, suffix, payload] of [
      ["GET", "", undefined],
      ["PATCH", "", { IsRead: true }],
      ["DELETE", "", undefined],
      ["GET", "/attachments", undefined],
      ["POST", "/send", undefined],
      ["POST", "/move", { DestinationId: "inbox" }],
    ] as const) {
      const hidden = await rest(token, method, `/api/v2.0/me/messages/${w.ie.id}${suffix}`, payload);
      const missing = await rest(token, method, `/api/v2.0/me/messages/${MISSING}${suffix}`, payload);
      assert.equal(hidden.status, 404, `${method} ${suffix}: ${hidden.body}`);
      sameAnswer(hidden, missing, w.ie.id, `${method} messages/{id}${suffix}`);
    }
    assert.ok(await store.items.get(w.ie.id), "eve's item untouched");
  });

  test("an attachment download of another user's item", async () => {
    const token = await h.token({ tier: "ReadWriteMailbox", itemId: null, userId: w.bob.user.id, mailboxId: w.bob.mailbox.id });
    const hidden = await rest(token, "GET", `/api/v2.0/me/messages/${w.i1.id}/attachments/${w.attachmentId}/$value`);
    const missing = await rest(token, "GET", `/api/v2.0/me/messages/${MISSING}/attachments/${w.attachmentId}/$value`);
    assert.equal(hidden.status, 404);
    sameAnswer(hidden, missing, w.i1.id, "$value");
  });

  test("another tenant's folder, as a folder and as a move destination", async () => {
    const token = await h.token({ tier: "ReadWriteMailbox", itemId: null });
    const eveInbox = (await store.mailboxes.resolveFolder(w.eve.mailbox.id, "inbox"))!.id;
    const hidden = await rest(token, "GET", `/api/v2.0/me/mailfolders/${eveInbox}/messages`);
    const missing = await rest(token, "GET", `/api/v2.0/me/mailfolders/${MISSING}/messages`);
    assert.equal(hidden.status, 404);
    sameAnswer(hidden, missing, eveInbox, "mailfolders/{id}/messages");
    const drafts = (await store.mailboxes.resolveFolder(w.alice.mailbox.id, "drafts"))!;
    const draft = await store.items.create(w.alice.mailbox.id, drafts.id, { subject: "to move", isDraft: true });
    const moveHidden = await rest(token, "POST", `/api/v2.0/me/messages/${draft.id}/move`, { DestinationId: eveInbox });
    const moveMissing = await rest(token, "POST", `/api/v2.0/me/messages/${draft.id}/move`, { DestinationId: MISSING });
    assert.equal(moveHidden.status, 404);
    sameAnswer(moveHidden, moveMissing, eveInbox, "move destination");
    assert.equal((await store.items.get(draft.id))!.folderId, drafts.id, "nothing moved");
  });

  test("an item-scoped token naming another item of the same mailbox", async () => {
    const token = await h.token({ tier: "ReadItem", itemId: w.i1.id });
    const hidden = await rest(token, "GET", `/api/v2.0/me/messages/${w.i2.id}`);
    const missing = await rest(token, "GET", `/api/v2.0/me/messages/${MISSING}`);
    assert.equal(hidden.status, 404);
    sameAnswer(hidden, missing, w.i2.id, "item token, other item");
    // What the token may not do at all stays a 403, the same for every id.
    assert.equal((await rest(token, "PATCH", `/api/v2.0/me/messages/${w.i1.id}`, { IsRead: true })).status, 403);
    assert.equal((await rest(token, "PATCH", `/api/v2.0/me/messages/${w.ie.id}`, { IsRead: true })).status, 403);
    assert.equal((await rest(token, "PATCH", `/api/v2.0/me/messages/${MISSING}`, { IsRead: true })).status, 403);
  });

  test("a reviewer delegate sees the item (200) and is refused the write (403); after revocation it is not there (404)", async () => {
    const token = await h.token({ tier: "ReadWriteMailbox", itemId: null, userId: w.bob.user.id });
    assert.equal((await rest(token, "GET", `/api/v2.0/me/messages/${w.i2.id}`)).status, 200);
    assert.equal((await rest(token, "PATCH", `/api/v2.0/me/messages/${w.i2.id}`, { IsRead: true })).status, 403);
    await store.mailboxes.revoke(w.alice.mailbox.id, w.bob.user.id);
    try {
      sameAnswer(await rest(token, "GET", `/api/v2.0/me/messages/${w.i2.id}`), await rest(token, "GET", `/api/v2.0/me/messages/${MISSING}`), w.i2.id, "revoked delegate");
    } finally {
      await store.mailboxes.grant(w.alice.mailbox.id, w.bob.user.id, "reviewer");
    }
  });

  test("every hidden-id attempt is stored as a security event of the caller's tenant", async () => {
    const token = await h.token({ tier: "ReadWriteMailbox", itemId: null });
    const before = (await store.security.list({ tenantId: "contoso", limit: 1000 })).length;
    await rest(token, "GET", `/api/v2.0/me/messages/${w.ie.id}`);
    const events = await store.security.list({ tenantId: "contoso", limit: 1000 });
    assert.equal(events.length, before + 1);
    assert.equal(events[0]!.reason, "other-tenant");
    assert.equal(events[0]!.detail?.answered, 404);
  });
});

describe("EWS: the same fault for another tenant's ids and unknown ones", () => {
  test("GetItem, MoveItem, GetAttachment and GetFolder on another tenant's or user's ids", async () => {
    const token = await h.token({ kind: "ews", tier: "ReadWriteMailbox", itemId: null });
    sameAnswer(await ews(token, ewsGetItem([w.ie.id]).match(/<soap:Body>(.*)<\/soap:Body>/s)![1]!), await ews(token, ewsGetItem([MISSING]).match(/<soap:Body>(.*)<\/soap:Body>/s)![1]!), w.ie.id, "GetItem");
    const move = (id: string) => `<m:MoveItem><m:ToFolderId><t:DistinguishedFolderId Id="archive"/></m:ToFolderId><m:ItemIds><t:ItemId Id="${id}"/></m:ItemIds></m:MoveItem>`;
    const moved = await ews(token, move(w.ib.id));
    assert.match(moved.body, /ErrorItemNotFound/);
    sameAnswer(moved, await ews(token, move(MISSING)), w.ib.id, "MoveItem of bob's item");
    const bobAttachment = (await store.items.addAttachment(w.ib.id, { name: "b.txt", contentType: "text/plain", data: Buffer.from("bob's secret") })).id;
    const att = (id: string) => `<m:GetAttachment><m:AttachmentIds><t:AttachmentId Id="${id}"/></m:AttachmentIds></m:GetAttachment>`;
    const got = await ews(token, att(bobAttachment));
    assert.doesNotMatch(got.body, /Ym9iJ3Mgc2VjcmV0/, "no bytes of bob's attachment");
    sameAnswer(got, await ews(token, att(MISSING)), bobAttachment, "GetAttachment");
    const eveInbox = (await store.mailboxes.resolveFolder(w.eve.mailbox.id, "inbox"))!.id;
    const folder = (id: string) => `<m:GetFolder><m:FolderShape><t:BaseShape>Default</t:BaseShape></m:FolderShape><m:FolderIds><t:FolderId Id="${id}"/></m:FolderIds></m:GetFolder>`;
    sameAnswer(await ews(token, folder(eveInbox)), await ews(token, folder(MISSING)), eveInbox, "GetFolder");
  });

  test("a DistinguishedFolderId naming another tenant's address, a colleague's undelegated one and an unknown one", async () => {
    const token = await h.token({ kind: "ews", tier: "ReadWriteMailbox", itemId: null, userId: w.bob.user.id, mailboxId: w.bob.mailbox.id });
    const find = (address: string) =>
      `<m:FindItem Traversal="Shallow"><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape></m:ItemShape><m:IndexedPageItemView MaxEntriesReturned="5" Offset="0" BasePoint="Beginning"/><m:ParentFolderIds><t:DistinguishedFolderId Id="inbox"><t:Mailbox><t:EmailAddress>${address}</t:EmailAddress></t:Mailbox></t:DistinguishedFolderId></m:ParentFolderIds></m:FindItem>`;
    const unknown = await ews(token, find("nobody@contoso.example"));
    assert.match(unknown.body, /ErrorFolderNotFound/);
    for (const address of ["eve@fabrikam.example", w.support.email]) {
      const r = await ews(token, find(address));
      assert.equal(r.status, unknown.status, address);
      assert.equal(r.body.replace(address, "A"), unknown.body.replace("nobody@contoso.example", "A"), address);
    }
  });
});

describe("Graph: another user's items answer as missing ones", () => {
  test("/me/messages/{id} of another tenant's and another user's items; /users/{upn} of another tenant", async () => {
    const identity = Identity.of(store);
    const scopes = ["Mail.ReadWrite", "Mail.ReadWrite.Shared"];
    const reg = await identity.registrations.create({ clientId: "not-yours", addinId: "addin-not-yours", displayName: "Probe", tenantId: "contoso", scopes });
    const alice = (await store.directory.getUser(w.alice.user.id))!;
    await identity.consents.grant({ tenantId: "contoso", clientId: reg.clientId, userId: alice.id, scopes, grantedBy: alice.id, registered: scopes });
    const token = (await identity.tokens.issueAccessToken({ issuerBase: "http://localhost", user: alice, clientId: reg.clientId, scopes })).token;
    const graph = async (method: "GET" | "PATCH" | "DELETE", url: string, payload?: object) => {
      const res = await h.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });
      const body = res.json() as { error?: { code: string; message: string } };
      return { status: res.statusCode, body: JSON.stringify({ code: body.error?.code, message: body.error?.message }) };
    };
    for (const id of [w.ie.id, w.ib.id]) {
      for (const [method, payload] of [["GET", undefined], ["PATCH", { isRead: true }], ["DELETE", undefined]] as const) {
        const hidden = await graph(method, `/v1.0/me/messages/${id}`, payload);
        assert.equal(hidden.status, 404, `${method} ${hidden.body}`);
        sameAnswer(hidden, await graph(method, `/v1.0/me/messages/${MISSING}`, payload), id, `Graph ${method}`);
      }
    }
    const otherTenant = await graph("GET", "/v1.0/users/eve@fabrikam.example/messages");
    const unknown = await graph("GET", "/v1.0/users/nobody@contoso.example/messages");
    assert.equal(otherTenant.status, 404);
    assert.equal(otherTenant.body.replace("eve@fabrikam.example", "U"), unknown.body.replace("nobody@contoso.example", "U"));
  });
});

describe("web API: another tenant's items and mailboxes answer 404 like missing ones", () => {
  test("/api/items/{id}, /api/web/items/{id}/view and /api/mailboxes/{id}/folders", async () => {
    const alice = await h.login("alice@contoso.example", PASSWORDS["alice@contoso.example"]!);
    const get = async (url: string) => {
      const res = await h.inject({ method: "GET", url, headers: { cookie: alice } });
      return { status: res.statusCode, body: res.body };
    };
    for (const [hiddenUrl, missingUrl, id] of [
      [`/api/items/${w.ie.id}`, `/api/items/${MISSING}`, w.ie.id],
      [`/api/web/items/${w.ie.id}/view`, `/api/web/items/${MISSING}/view`, w.ie.id],
      [`/api/web/items/${w.ib.id}/body`, `/api/web/items/${MISSING}/body`, w.ib.id],
      [`/api/mailboxes/${w.eve.mailbox.id}/folders`, `/api/mailboxes/${MISSING}/folders`, w.eve.mailbox.id],
      [`/api/web/mailboxes/${w.eve.mailbox.id}/calendar`, `/api/web/mailboxes/${MISSING}/calendar`, w.eve.mailbox.id],
    ] as const) {
      const hidden = await get(hiddenUrl);
      assert.equal(hidden.status, 404, `${hiddenUrl}: ${hidden.body}`);
      sameAnswer(hidden, await get(missingUrl), id, hiddenUrl);
    }
  });
});
