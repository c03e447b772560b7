import assert from "node:assert/strict";
import { describe, it, before, after } from "node:test";
import { createHash } from "node:crypto";
import type { FastifyInstance } from "fastify";
import type { MailboxStore } from "../../src/mailbox/index.ts";
import { type Backend, bytes, pgliteBackend } from "../mailbox/helpers.ts";
import { SOAP, server, serverWorld } from "./fixtures.ts";

describe("server surfaces", () => {
  let backend: Backend;
  let store: MailboxStore;
  let app: FastifyInstance;
  let w: Awaited<ReturnType<typeof serverWorld>>;
  before(async () => {
    backend = await pgliteBackend();
    store = await backend.fresh();
    w = await serverWorld(store);
    app = await server(store, { ewsMaxBytes: 1024 * 1024 });
  });
  after(async () => {
    await app.close();
    await backend.close();
  });

  const login = async (email: string, password: string) => {
    const res = await app.inject({ method: "POST", url: "/api/session", payload: { email, password } });
    return { res, cookie: String(res.headers["set-cookie"] ?? "").split(";")[0]! };
  };
  const token = async (tier: "ReadItem" | "ReadWriteMailbox", kind: "rest" | "ews", itemId: string | null = w.i1.id) =>
    (await store.tokens.issueCallbackToken({ userId: w.alice.user.id, mailboxId: w.alice.mailbox.id, addinId: "a", tier, mode: "read", kind, itemId })).token;

  describe("web API (session cookie)", () => {
    it("logs in with a signed HttpOnly SameSite=Strict cookie, and refuses wrong passwords (logged)", async () => {
      const before = await store.security.count();
      const bad = await login("alice@contoso.example", "wrong");
      assert.equal(bad.res.statusCode, 401);
      assert.equal(await store.security.count(), before + 1);
      const { res, cookie } = await login("ALICE@contoso.example", "pw-alice");
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers["set-cookie"]), /HttpOnly/);
      assert.match(String(res.headers["set-cookie"]), /SameSite=Strict/);
      const me = await app.inject({ method: "GET", url: "/api/session", headers: { cookie } });
      assert.equal(me.json().user.email, "alice@contoso.example");
      const forged = await app.inject({ method: "GET", url: "/api/session", headers: { cookie: cookie.replace(/.\.(?=[^.]*$)/, "x.") } });
      assert.equal(forged.statusCode, 401, "a tampered cookie is no session");
      assert.equal((await app.inject({ method: "GET", url: "/api/session" })).statusCode, 401);
      await app.inject({ method: "DELETE", url: "/api/session", headers: { cookie } });
      assert.equal((await app.inject({ method: "GET", url: "/api/session", headers: { cookie } })).statusCode, 401, "logout ends the session server-side");
    });

    it("enforces mailbox rights: reviewer delegates read but cannot write; other tenants see nothing", async () => {
      const bob = (await login("bob@contoso.example", "pw-bob")).cookie;
      assert.equal((await app.inject({ method: "GET", url: `/api/items/${w.i2.id}`, headers: { cookie: bob } })).statusCode, 200);
      assert.equal((await app.inject({ method: "PATCH", url: `/api/items/${w.i2.id}`, headers: { cookie: bob }, payload: { isRead: true } })).statusCode, 403);
      const eve = (await login("eve@fabrikam.example", "pw-eve")).cookie;
      assert.equal((await app.inject({ method: "GET", url: `/api/items/${w.i1.id}`, headers: { cookie: eve } })).statusCode, 404, "not yours answers as not there");
      assert.equal((await app.inject({ method: "GET", url: `/api/mailboxes/${w.alice.mailbox.id}/folders`, headers: { cookie: eve } })).statusCode, 404, "not yours answers as not there");
      assert.equal((await app.inject({ method: "GET", url: `/api/items/${w.i1.id}/attachments/${w.attachmentId}/content`, headers: { cookie: eve } })).statusCode, 404, "not yours answers as not there");
    });

    it("serves attachments as downloads that never render on our origin", async () => {
      const alice = (await login("alice@contoso.example", "pw-alice")).cookie;
      const res = await app.inject({ method: "GET", url: `/api/items/${w.i1.id}/attachments/${w.attachmentId}/content`, headers: { cookie: alice } });
      assert.equal(res.statusCode, 200);
      assert.ok(res.rawPayload.equals(w.attData));
      assert.match(String(res.headers["content-disposition"]), /^attachment;/);
      assert.equal(res.headers["x-content-type-options"], "nosniff");
      assert.match(String(res.headers["content-security-policy"]), /sandbox/);
    });

    it("lets an admin turn legacy tokens off for their own tenant only, after which issuing fails with 9042", async () => {
      const bob = (await login("bob@contoso.example", "pw-bob")).cookie;
      assert.equal((await app.inject({ method: "PATCH", url: "/api/admin/tenant", headers: { cookie: bob }, payload: { legacyTokensEnabled: false } })).statusCode, 403);
      const eve = (await login("eve@fabrikam.example", "pw-eve")).cookie;
      assert.equal((await app.inject({ method: "PATCH", url: "/api/admin/tenant", headers: { cookie: eve }, payload: { legacyTokensEnabled: false } })).json().id, "fabrikam");
      assert.equal((await store.directory.getTenant("contoso"))!.legacyTokensEnabled, true, "another tenant's admin changed only their own");
      const alice = (await login("alice@contoso.example", "pw-alice")).cookie;
      assert.equal((await app.inject({ method: "PATCH", url: "/api/admin/tenant", headers: { cookie: alice }, payload: { legacyTokensEnabled: false } })).statusCode, 200);
      await assert.rejects(token("ReadItem", "rest"), (e: { code?: number }) => e.code === 9042);
      const events = await app.inject({ method: "GET", url: "/api/admin/security-events", headers: { cookie: alice } });
      assert.ok(events.json().value.every((e: { tenantId: string | null }) => e.tenantId === "contoso"));
      await store.directory.setLegacyTokensEnabled("contoso", true);
    });
  });

  describe("REST v2.0", () => {
    it("returns the message, attachments with ContentBytes, and $value bytes", async () => {
      const h = { authorization: `Bearer ${await token("ReadItem", "rest")}` };
      const msg = (await app.inject({ method: "GET", url: `/api/v2.0/me/messages/${w.i1.id}`, headers: h })).json();
      assert.equal(msg.Subject, "Invoice");
      assert.equal(msg.ToRecipients[0].EmailAddress.Address, "alice@contoso.example");
      const atts = (await app.inject({ method: "GET", url: `/api/v2.0/me/messages/${w.i1.id}/attachments`, headers: h })).json().value;
      assert.equal(atts[0]["@odata.type"], "#Microsoft.OutlookServices.FileAttachment");
      assert.ok(Buffer.from(atts[0].ContentBytes, "base64").equals(w.attData));
      const raw = await app.inject({ method: "GET", url: `/api/v2.0/me/messages/${w.i1.id}/attachments/${w.attachmentId}/$value`, headers: h });
      assert.ok(raw.rawPayload.equals(w.attData));
    });

    it("refuses requests without a token, with a garbage token, or with a session cookie instead", async () => {
      const url = `/api/v2.0/me/messages/${w.i1.id}`;
      assert.equal((await app.inject({ method: "GET", url })).statusCode, 401);
      assert.equal((await app.inject({ method: "GET", url, headers: { authorization: "Bearer abc.def.ghi" } })).statusCode, 401);
      const alice = (await login("alice@contoso.example", "pw-alice")).cookie;
      assert.equal((await app.inject({ method: "GET", url, headers: { cookie: alice } })).statusCode, 401);
    });
  });

  describe("EWS", () => {
    const post = async (body: string, tok: string, type = "text/xml; charset=utf-8") =>
      app.inject({ method: "POST", url: "/EWS/Exchange.asmx", headers: { authorization: `Bearer ${tok}`, "content-type": type }, payload: body });

    it("answers GetItem with the item and GetAttachment with the exact bytes", async () => {
      const tok = await token("ReadItem", "ews");
      const item = await post(SOAP(`<m:GetItem><m:ItemShape><t:BaseShape>AllProperties</t:BaseShape></m:ItemShape><m:ItemIds><t:ItemId Id="${w.i1.id}"/></m:ItemIds></m:GetItem>`), tok);
      assert.equal(item.statusCode, 200);
      assert.match(item.body, /<t:Subject>Invoice<\/t:Subject>/);
      assert.match(item.body, /ResponseClass="Success"/);
      const att = await post(SOAP(`<m:GetAttachment><m:AttachmentIds><t:AttachmentId Id="${w.attachmentId}"/></m:AttachmentIds></m:GetAttachment>`), tok);
      const b64 = /<t:Content>([^<]*)<\/t:Content>/.exec(att.body)![1]!;
      assert.ok(Buffer.from(b64, "base64").equals(w.attData));
    });

    it("refuses operations outside the makeEwsRequestAsync list with a SOAP fault (logged)", async () => {
      const tok = await token("ReadWriteMailbox", "ews");
      const before = await store.security.count();
      for (const op of ["DeleteItem", "ResolveNames", "GetUserOofSettings", "SyncFolderItems"]) {
        const res = await post(SOAP(`<m:${op}/>`), tok);
        assert.equal(res.statusCode, 500, op);
        assert.match(res.body, /<faultcode[^>]*>a:ErrorInvalidRequest<\/faultcode>/);
      }
      assert.equal(await store.security.count(), before + 4);
    });

    it("rejects malformed XML, DTDs and oversized requests", async () => {
      const tok = await token("ReadWriteMailbox", "ews");
      assert.match((await post("<not-xml", tok)).body, /ErrorSchemaValidation/);
      const xxe = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>${SOAP("<m:GetFolder/>")}`;
      const res = await post(xxe, tok);
      assert.equal(res.statusCode, 500);
      assert.doesNotMatch(res.body, /root:/);
      const big = SOAP(`<m:FindItem>${"<!-- pad -->".repeat(100_000)}</m:FindItem>`);
      const tooBig = await post(big, tok);
      assert.equal(tooBig.statusCode, 413);
      assert.match(tooBig.body, /size limit/);
    });

    it("refuses creating associated (FAI) items like Exchange does for add-ins", async () => {
      const tok = await token("ReadWriteMailbox", "ews");
      const res = await post(SOAP(`<m:CreateItem MessageDisposition="SaveOnly"><m:Items><t:Message><t:Subject>cfg</t:Subject><t:IsAssociated>true</t:IsAssociated></t:Message></m:Items></m:CreateItem>`), tok);
      assert.match(res.body, /ErrorAccessDenied/);
      assert.match(res.body, /Office extension is not allowed to update this type of item/);
    });

    it("creates, updates, moves and sends through EWS with a mailbox-wide token", async () => {
      const tok = await token("ReadWriteMailbox", "ews");
      const created = await post(
        SOAP(`<m:CreateItem MessageDisposition="SaveOnly"><m:SavedItemFolderId><t:DistinguishedFolderId Id="drafts"/></m:SavedItemFolderId><m:Items><t:Message><t:Subject>From EWS</t:Subject><t:Body BodyType="Text">hi</t:Body><t:ToRecipients><t:Mailbox><t:EmailAddress>bob@contoso.example</t:EmailAddress></t:Mailbox></t:ToRecipients></t:Message></m:Items></m:CreateItem>`),
        tok,
      );
      const id = /<t:ItemId Id="([^"]+)"/.exec(created.body)![1]!;
      await post(SOAP(`<m:UpdateItem ConflictResolution="AlwaysOverwrite"><m:ItemChanges><t:ItemChange><t:ItemId Id="${id}"/><t:Updates><t:SetItemField><t:FieldURI FieldURI="item:Subject"/><t:Message><t:Subject>Renamed</t:Subject></t:Message></t:SetItemField></t:Updates></t:ItemChange></m:ItemChanges></m:UpdateItem>`), tok);
      assert.equal((await store.items.get(id))!.subject, "Renamed");
      const sent = await post(SOAP(`<m:SendItem SaveItemToFolder="true"><m:ItemIds><t:ItemId Id="${id}"/></m:ItemIds></m:SendItem>`), tok);
      assert.match(sent.body, /NoError/);
      const bobInbox = (await store.mailboxes.resolveFolder(w.bob.mailbox.id, "inbox"))!;
      assert.ok((await store.items.list(bobInbox.id)).items.some((i) => i.subject === "Renamed"));
    });
  });

  describe("over a real port", () => {
    it("downloads a 5 MB attachment by REST $value and EWS GetAttachment with the same bytes", async () => {
      const data = bytes(5 * 1024 * 1024, 11);
      const inbox = (await store.mailboxes.resolveFolder(w.alice.mailbox.id, "inbox"))!;
      const item = await store.items.create(w.alice.mailbox.id, inbox.id, { subject: "big", attachments: [{ name: "big.bin", data }] });
      const live = await server(store);
      const address = await live.listen({ port: 0, host: "127.0.0.1" });
      try {
        const rest = await store.tokens.issueCallbackToken({ userId: w.alice.user.id, mailboxId: w.alice.mailbox.id, addinId: "a", tier: "ReadItem", mode: "read", kind: "rest", itemId: item.id });
        const res = await fetch(`${address}/api/v2.0/me/messages/${item.id}/attachments/${item.attachments[0]!.id}/$value`, { headers: { authorization: `Bearer ${rest.token}` } });
        assert.equal(res.status, 200);
        const got = Buffer.from(await res.arrayBuffer());
        assert.equal(createHash("sha256").update(got).digest("hex"), createHash("sha256").update(data).digest("hex"));
        const ews = await store.tokens.issueCallbackToken({ userId: w.alice.user.id, mailboxId: w.alice.mailbox.id, addinId: "a", tier: "ReadItem", mode: "read", kind: "ews", itemId: item.id });
        const soap = await fetch(`${address}/EWS/Exchange.asmx`, {
          method: "POST",
          headers: { authorization: `Bearer ${ews.token}`, "content-type": "text/xml; charset=utf-8" },
          body: SOAP(`<m:GetAttachment><m:AttachmentIds><t:AttachmentId Id="${item.attachments[0]!.id}"/></m:AttachmentIds></m:GetAttachment>`),
        });
        const text = await soap.text();
        assert.ok(Buffer.from(/<t:Content>([^<]*)<\/t:Content>/.exec(text)![1]!, "base64").equals(data));
        const jwks = await (await fetch(`${address}/.well-known/jwks.json`)).json();
        assert.equal(jwks.keys[0].crv, "Ed25519");
      } finally {
        await live.close();
      }
    });
  });
});
