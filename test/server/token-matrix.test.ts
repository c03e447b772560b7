import assert from "node:assert/strict";
import { describe, it, before, after } from "node:test";
import { randomBytes } from "node:crypto";
import type { FastifyInstance, InjectOptions } from "fastify";
import { TIERS, type Tier } from "../../src/permissions/tiers.ts";
import { OPERATIONS, type OperationId, type MailboxStore } from "../../src/mailbox/index.ts";
import { type Backend, pgliteBackend } from "../mailbox/helpers.ts";
import { SOAP, server, serverWorld } from "./fixtures.ts";

/**
 * The token matrix, over HTTP: tier × mode × token kind × operation × own/other item × own/other mailbox ×
 * own/other tenant. Tokens are signed with the installation key (so only the claims differ) and every request
 * goes through the real server. Expected outcomes restate the reference (§2.2, §2.3) independently of the code.
 */
function expected(c: { tier: Tier; kind: "rest" | "ews" | "identity"; op: OperationId; ownItem: boolean; ownMailbox: boolean; ownTenant: boolean }): "allowed" | "hidden" | 401 | 403 {
  const surface = c.op.startsWith("rest.") ? "rest" : "ews";
  if (c.kind !== surface) return 401; // identity tokens open nothing; REST and EWS tokens only their own surface
  if (c.tier === "Restricted") return 401; // no token exists at Restricted
  // ReadItem and ReadWriteItem: read-only, current item and its attachments; EWS only GetItem/GetAttachment. What a
  // token may not do at all is refused the same way whatever the target (403).
  const readsCurrentItem = ["rest.getMessage", "rest.listAttachments", "rest.getAttachment", "rest.getAttachmentValue", "ews.GetItem", "ews.GetAttachment"].includes(c.op);
  if (c.tier !== "ReadWriteMailbox" && !readsCurrentItem) return 403;
  // A target the token may not see answers exactly as a missing one (issue 12: "not yours" = "not there").
  // Requests that name no resource (GET /me/mailfolders, EWS conversation ids) act on the token's own mailbox.
  const tokenMailboxOnly = c.op === "rest.listFolders" || c.op === "ews.GetConversationItems";
  if (!c.ownTenant || (!c.ownMailbox && !tokenMailboxOnly)) return "hidden";
  if (c.tier !== "ReadWriteMailbox" && !c.ownItem) return "hidden";
  return "allowed";
}

/** 401/403 refusals, "hidden" for the missing-object answer (REST 404, EWS ErrorItemNotFound/ErrorFolderNotFound). */
function outcome(status: number, body: string): "allowed" | "hidden" | 401 | 403 {
  if (status === 401 || status === 403) return status;
  if ((status === 404 && /The specified (object|folder)/.test(body)) || /<m:ResponseCode>Error(Item|Folder)NotFound<\/m:ResponseCode>/.test(body)) return "hidden";
  return "allowed";
}

describe("token matrix over REST and EWS", () => {
  let backend: Backend;
  let store: MailboxStore;
  let app: FastifyInstance;
  let w: Awaited<ReturnType<typeof serverWorld>>;
  before(async () => {
    backend = await pgliteBackend();
    store = await backend.fresh();
    w = await serverWorld(store);
    app = await server(store);
  });
  after(async () => {
    await app.close();
    await backend.close();
  });

  /** The request for an operation on the token's item `itemId` in alice's mailbox. */
  async function requestFor(op: OperationId, itemId: string): Promise<InjectOptions> {
    const m = `/api/v2.0/me/messages/${itemId}`;
    const rest = (method: InjectOptions["method"], url: string, payload?: object): InjectOptions => ({ method, url, ...(payload ? { payload } : {}) });
    const ews = (body: string): InjectOptions => ({ method: "POST", url: "/EWS/Exchange.asmx", headers: { "content-type": "text/xml; charset=utf-8" }, payload: SOAP(body) });
    const ids = `<m:ItemIds><t:ItemId Id="${itemId}"/></m:ItemIds>`;
    const attId = itemId === w.i1.id ? w.attachmentId : "noSuchAttachment";
    const f = w.folders;
    const fid = (id: string) => `<t:FolderId Id="${id}"/>`;
    switch (op) {
      case "rest.getMessage": return rest("GET", m);
      case "rest.listAttachments": return rest("GET", `${m}/attachments`);
      case "rest.getAttachment": return rest("GET", `${m}/attachments/${attId}`);
      case "rest.getAttachmentValue": return rest("GET", `${m}/attachments/${attId}/$value`);
      case "rest.listFolders": return rest("GET", "/api/v2.0/me/mailfolders");
      case "rest.getFolder": return rest("GET", `/api/v2.0/me/mailfolders/${f.inbox}`);
      case "rest.listMessages": return rest("GET", `/api/v2.0/me/mailfolders/${f.inbox}/messages?$top=2`);
      case "rest.createMessage": return rest("POST", `/api/v2.0/me/mailfolders/${f.drafts}/messages`, { Subject: "new" });
      case "rest.createFolder": return rest("POST", `/api/v2.0/me/mailfolders/${f.root}/childfolders`, { DisplayName: `F-${randomBytes(4).toString("hex")}` });
      case "rest.updateMessage": return rest("PATCH", m, { IsRead: true });
      case "rest.deleteMessage": return rest("DELETE", m);
      case "rest.moveMessage": return rest("POST", `${m}/move`, { DestinationId: f.inbox });
      case "rest.copyMessage": return rest("POST", `${m}/copy`, { DestinationId: f.archive });
      case "rest.sendMessage": return rest("POST", `${m}/send`);
      case "rest.addAttachment": return rest("POST", `${m}/attachments`, { Name: "n.txt", ContentBytes: "aGk=" });
      case "rest.deleteAttachment": return rest("DELETE", `${m}/attachments/noSuchAttachment`);
      case "ews.GetItem": return ews(`<m:GetItem><m:ItemShape><t:BaseShape>Default</t:BaseShape></m:ItemShape>${ids}</m:GetItem>`);
      case "ews.GetAttachment": return ews(`<m:GetAttachment><m:AttachmentIds><t:AttachmentId Id="${attId}"/></m:AttachmentIds></m:GetAttachment>`);
      case "ews.FindItem": return ews(`<m:FindItem Traversal="Shallow"><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape></m:ItemShape><m:IndexedPageItemView MaxEntriesReturned="2" Offset="0" BasePoint="Beginning"/><m:ParentFolderIds>${fid(f.inbox)}</m:ParentFolderIds></m:FindItem>`);
      case "ews.GetFolder": return ews(`<m:GetFolder><m:FolderShape><t:BaseShape>Default</t:BaseShape></m:FolderShape><m:FolderIds>${fid(f.inbox)}</m:FolderIds></m:GetFolder>`);
      case "ews.FindFolder": return ews(`<m:FindFolder Traversal="Shallow"><m:FolderShape><t:BaseShape>Default</t:BaseShape></m:FolderShape><m:ParentFolderIds>${fid(f.root)}</m:ParentFolderIds></m:FindFolder>`);
      case "ews.FindConversation": return ews(`<m:FindConversation><m:IndexedPageItemView MaxEntriesReturned="5" Offset="0" BasePoint="Beginning"/><m:ParentFolderId>${fid(f.inbox)}</m:ParentFolderId></m:FindConversation>`);
      case "ews.GetConversationItems": return ews(`<m:GetConversationItems><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape></m:ItemShape><m:Conversations><t:Conversation><t:ConversationId Id="${w.i1.conversationId}"/></t:Conversation></m:Conversations></m:GetConversationItems>`);
      case "ews.CreateItem": return ews(`<m:CreateItem MessageDisposition="SaveOnly"><m:SavedItemFolderId>${fid(f.drafts)}</m:SavedItemFolderId><m:Items><t:Message><t:Subject>x</t:Subject></t:Message></m:Items></m:CreateItem>`);
      case "ews.CreateFolder": return ews(`<m:CreateFolder><m:ParentFolderId>${fid(f.root)}</m:ParentFolderId><m:Folders><t:Folder><t:DisplayName>E-${randomBytes(4).toString("hex")}</t:DisplayName></t:Folder></m:Folders></m:CreateFolder>`);
      case "ews.UpdateFolder": return ews(`<m:UpdateFolder><m:FolderChanges><t:FolderChange><t:FolderId Id="${w.userFolder.id}"/><t:Updates><t:SetFolderField><t:FieldURI FieldURI="folder:DisplayName"/><t:Folder><t:DisplayName>P-${randomBytes(4).toString("hex")}</t:DisplayName></t:Folder></t:SetFolderField></t:Updates></t:FolderChange></m:FolderChanges></m:UpdateFolder>`);
      case "ews.UpdateItem": return ews(`<m:UpdateItem ConflictResolution="AlwaysOverwrite" MessageDisposition="SaveOnly"><m:ItemChanges><t:ItemChange><t:ItemId Id="${itemId}"/><t:Updates><t:SetItemField><t:FieldURI FieldURI="message:IsRead"/><t:Message><t:IsRead>true</t:IsRead></t:Message></t:SetItemField></t:Updates></t:ItemChange></m:ItemChanges></m:UpdateItem>`);
      case "ews.SendItem": return ews(`<m:SendItem SaveItemToFolder="true">${ids}</m:SendItem>`);
      case "ews.MoveItem": return ews(`<m:MoveItem><m:ToFolderId>${fid(f.inbox)}</m:ToFolderId>${ids}</m:MoveItem>`);
      case "ews.CopyItem": return ews(`<m:CopyItem><m:ToFolderId>${fid(f.archive)}</m:ToFolderId>${ids}</m:CopyItem>`);
      case "ews.MarkAsJunk": return ews(`<m:MarkAsJunk IsJunk="false" MoveItem="false">${ids}</m:MarkAsJunk>`);
    }
  }

  const DESTRUCTIVE: OperationId[] = ["rest.deleteMessage", "rest.sendMessage", "ews.SendItem"];

  it("allows and refuses every combination as the reference says, and logs every refusal", async () => {
    const before = await store.security.count();
    let refused = 0;
    let cases = 0;
    const failures: string[] = [];
    const ops = Object.keys(OPERATIONS) as OperationId[];
    for (const tier of TIERS)
      for (const mode of ["read", "compose"] as const)
        for (const kind of ["rest", "ews", "identity"] as const)
          for (const ownItem of [true, false])
            for (const ownMailbox of [true, false])
              for (const ownTenant of [true, false])
                for (const op of ops) {
                  // The request always targets an item of alice's mailbox in contoso; the token's bindings vary.
                  let target = w.i1.id;
                  if (DESTRUCTIVE.includes(op)) {
                    const drafts = (await store.mailboxes.resolveFolder(w.alice.mailbox.id, "drafts"))!;
                    target = (await store.items.create(w.alice.mailbox.id, drafts.id, { subject: "d", isDraft: true, to: [{ name: "", address: "x@example.com" }] })).id;
                  }
                  const { token } = await store.tokens.sign({
                    kind,
                    tier,
                    mode,
                    userId: w.alice.user.id,
                    addinId: "matrix",
                    itemId: ownItem ? target : w.i2.id,
                    mailboxId: ownMailbox ? w.alice.mailbox.id : w.support.id,
                    tenantId: ownTenant ? "contoso" : "fabrikam",
                  });
                  const req = await requestFor(op, target);
                  const res = await app.inject({ ...req, headers: { ...(req.headers ?? {}), authorization: `Bearer ${token}` } });
                  const want = expected({ tier, kind, op, ownItem, ownMailbox, ownTenant });
                  const got = outcome(res.statusCode, res.body);
                  if (got !== want) failures.push(`${tier}/${mode}/${kind}/${op} item=${ownItem} mbx=${ownMailbox} tenant=${ownTenant}: want ${want}, got ${res.statusCode} ${res.body.slice(0, 160)}`);
                  if (got !== "allowed") refused++;
                  else assert.ok(res.statusCode < 500 || op.startsWith("ews."), `${op}: ${res.statusCode} ${res.body.slice(0, 200)}`);
                  cases++;
                }
    assert.deepEqual(failures.slice(0, 10), []);
    assert.equal(cases, 4 * 2 * 3 * 8 * Object.keys(OPERATIONS).length);
    assert.equal((await store.security.count()) - before, refused, "every refusal stored as a security event");
  });

  it("refuses a token for another item of the same mailbox even on read (ReadItem)", async () => {
    const { token } = await store.tokens.issueCallbackToken({ userId: w.alice.user.id, mailboxId: w.alice.mailbox.id, addinId: "a", tier: "ReadItem", mode: "read", kind: "rest", itemId: w.i1.id });
    const ok = await app.inject({ method: "GET", url: `/api/v2.0/me/messages/${w.i1.id}`, headers: { authorization: `Bearer ${token}` } });
    assert.equal(ok.statusCode, 200);
    const other = await app.inject({ method: "GET", url: `/api/v2.0/me/messages/${w.i2.id}`, headers: { authorization: `Bearer ${token}` } });
    assert.equal(other.statusCode, 404, "another item answers as a missing one");
    const bobs = await app.inject({ method: "GET", url: `/api/v2.0/me/messages/${w.ib.id}`, headers: { authorization: `Bearer ${token}` } });
    assert.equal(bobs.statusCode, 404);
  });

  it("lets a ReadWriteMailbox token of a reviewer delegate read but not write the owner's mailbox", async () => {
    const { token } = await store.tokens.issueCallbackToken({ userId: w.bob.user.id, mailboxId: w.alice.mailbox.id, addinId: "a", tier: "ReadWriteMailbox", mode: "read", kind: "rest", itemId: null });
    const h = { authorization: `Bearer ${token}` };
    assert.equal((await app.inject({ method: "GET", url: `/api/v2.0/me/messages/${w.i2.id}`, headers: h })).statusCode, 200);
    assert.equal((await app.inject({ method: "PATCH", url: `/api/v2.0/me/messages/${w.i2.id}`, headers: h, payload: { IsRead: true } })).statusCode, 403);
    await store.mailboxes.revoke(w.alice.mailbox.id, w.bob.user.id);
    assert.equal((await app.inject({ method: "GET", url: `/api/v2.0/me/messages/${w.i2.id}`, headers: h })).statusCode, 404, "revoked rights end at once (answered as not there)");
    await store.mailboxes.grant(w.alice.mailbox.id, w.bob.user.id, "reviewer");
  });
});
