import type { FastifyRequest } from "fastify";
import { MailboxError, parseHeaderBlock, type EmailAddress, type EwsOperation, type Folder, type Item, type ItemPatch, type NewItem, type TokenClaims } from "../../mailbox/index.ts";
import { NotVisibleError, authorizeOperation, itemTarget } from "../auth/bearer.ts";
import { Refusal } from "../errors.ts";
import { attachmentInfoXml, errorMessage, folderXml, itemIdXml, itemXml, okMessage, responseXml, summaryXml } from "./render.ts";
import { extendedXml, requestedExtended, withExtended } from "./extended.ts";
import { NS, attr, child, children, envelope, esc, text, type El } from "./xml.ts";

export type EwsResult = { xml: string } | { head: string; body: AsyncIterable<string>; tail: string };

interface Ctx {
  request: FastifyRequest;
  claims: TokenClaims;
}

type Handler = (ctx: Ctx, op: El) => Promise<EwsResult>;

const store = (ctx: Ctx) => ctx.request.server.mailbox;
const wrap = (op: string, messages: string[]): EwsResult => ({ xml: envelope(responseXml(op, messages)) });

/** Authorizes `operation` on one item id; returns the item when it exists (undefined: ErrorItemNotFound). */
async function authorizeItem(ctx: Ctx, operation: EwsOperation, itemId: string): Promise<Item | undefined> {
  const target = await itemTarget(ctx.request, ctx.claims, itemId);
  // An item the token or user may not see answers ErrorItemNotFound, exactly as a missing one.
  if (!(await visible(authorizeOperation(ctx.request, ctx.claims, `ews.${operation}`, target)))) return undefined;
  return target.exists ? store(ctx).items.get(itemId) : undefined;
}

/** Resolves a FolderId / DistinguishedFolderId element, then authorizes a mailbox-wide operation on its mailbox. */
async function authorizeFolder(ctx: Ctx, operation: EwsOperation, ref: El | undefined, forItem?: string): Promise<Folder | undefined> {
  if (!ref) throw new MailboxError("InvalidRequest", "a folder id is required");
  const s = store(ctx);
  let mailboxId = ctx.claims.mailboxId;
  let folder: Folder | undefined;
  if (ref.localName === "DistinguishedFolderId") {
    const email = text(child(ref, "Mailbox", "EmailAddress"));
    if (email) {
      const mb = await s.mailboxes.getByEmail(email.trim());
      // Another tenant's address answers exactly as an unknown one (ErrorFolderNotFound), never with a 403 that
      // would tell the two apart.
      if (mb && mb.tenantId !== ctx.claims.tenantId) ctx.request.log.warn({ operation, reason: "other-tenant-address" }, "EWS: another tenant's address answered as unknown");
      mailboxId = mb && mb.tenantId === ctx.claims.tenantId ? mb.id : `unknown:${email.slice(0, 320)}`;
    }
    folder = await s.mailboxes.resolveFolder(mailboxId, attr(ref, "Id") ?? "");
    if (folder && !(await s.mailboxes.resolveFolder(mailboxId, folder.wellKnown ?? ""))) folder = undefined;
  } else {
    const id = attr(ref, "Id") ?? "";
    folder = /^[A-Za-z0-9_-]{1,100}$/.test(id) ? await s.mailboxes.getFolder(id) : undefined;
    const owner = folder && (await s.mailboxes.get(folder.mailboxId));
    if (folder && owner?.tenantId !== ctx.claims.tenantId) {
      ctx.request.log.warn({ operation, reason: "other-tenant-folder" }, "EWS: another tenant's folder answered as unknown");
      folder = undefined;
    }
    if (folder) mailboxId = folder.mailboxId;
  }
  const mailbox = await s.mailboxes.get(mailboxId);
  const target = { tenantId: mailbox?.tenantId ?? ctx.claims.tenantId, mailboxId: mailbox ? mailboxId : ctx.claims.mailboxId, itemId: forItem ?? null };
  // A folder of a mailbox the user may not see answers ErrorFolderNotFound, exactly as a missing one.
  if (!(await visible(authorizeOperation(ctx.request, ctx.claims, `ews.${operation}`, { ...target, exists: folder !== undefined })))) return undefined;
  return folder;
}

/** false when the authorization answered "not there" (NotVisibleError); other refusals propagate. */
async function visible(check: Promise<void>): Promise<boolean> {
  try {
    await check;
    return true;
  } catch (err) {
    if (err instanceof NotVisibleError) return false;
    throw err;
  }
}

const folderRefs = (el: El | undefined): El[] => (el ? children(el).filter((c) => c.localName === "FolderId" || c.localName === "DistinguishedFolderId") : []);
const itemIds = (el: El | undefined): string[] => (el ? children(el, "ItemId").map((c) => attr(c, "Id") ?? "") : []);
const notFoundMsg = (op: string) => errorMessage(op, "ErrorItemNotFound", "The specified object was not found in the store.");

function mailboxesOf(el: El | undefined): EmailAddress[] | undefined {
  if (!el) return undefined;
  return children(el).map((m) => {
    const mb = m.localName === "Attendee" ? child(m, "Mailbox") : m;
    return { name: text(child(mb, "Name")) ?? "", address: (text(child(mb, "EmailAddress")) ?? "").trim() };
  });
}

function itemFields(el: El): NewItem {
  const out: NewItem = {};
  const subject = text(child(el, "Subject"));
  if (subject !== undefined) out.subject = subject;
  const body = child(el, "Body");
  if (body) {
    if ((attr(body, "BodyType") ?? "Text").toLowerCase() === "html") out.bodyHtml = text(body) ?? "";
    else out.bodyText = text(body) ?? "";
  }
  const cats = child(el, "Categories");
  if (cats) out.categories = children(cats, "String").map((c) => text(c) ?? "");
  const importance = text(child(el, "Importance"));
  if (importance) out.importance = importance;
  const isRead = text(child(el, "IsRead"));
  if (isRead) out.isRead = isRead === "true";
  for (const [tag, key] of [["ToRecipients", "to"], ["CcRecipients", "cc"], ["BccRecipients", "bcc"], ["RequiredAttendees", "requiredAttendees"], ["OptionalAttendees", "optionalAttendees"]] as const) {
    const v = mailboxesOf(child(el, tag));
    if (v) out[key] = v;
  }
  const start = text(child(el, "Start"));
  const end = text(child(el, "End"));
  if (start) out.start = validDate(start);
  if (end) out.end = validDate(end);
  const location = text(child(el, "Location"));
  if (location !== undefined) out.location = location;
  return out;
}

function validDate(s: string): Date {
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) throw new MailboxError("InvalidRequest", `invalid date: ${s.slice(0, 40)}`);
  return d;
}

const FIELD_TO_PATCH: Record<string, keyof ItemPatch | "body"> = {
  "item:Subject": "subject",
  "item:Body": "body",
  "item:Categories": "categories",
  "item:Importance": "importance",
  "message:IsRead": "isRead",
  "message:ToRecipients": "to",
  "message:CcRecipients": "cc",
  "message:BccRecipients": "bcc",
  "calendar:Location": "location",
  "calendar:Start": "start",
  "calendar:End": "end",
  "calendar:RequiredAttendees": "requiredAttendees",
  "calendar:OptionalAttendees": "optionalAttendees",
};

async function mimeBase64(ctx: Ctx, item: Item): Promise<string> {
  const raw = await store(ctx).items.rawMime(item.id);
  if (!raw) return "";
  const parts: Buffer[] = [];
  for await (const c of store(ctx).blobs.open(raw.hash)) parts.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(parts).toString("base64");
}

export const HANDLERS: Record<EwsOperation, Handler> = {
  async GetItem(ctx, op) {
    const shape = child(op, "ItemShape");
    const base = text(child(shape, "BaseShape")) ?? "Default";
    const includeMime = text(child(shape, "IncludeMimeContent")) === "true";
    const bodyType = (text(child(shape, "BodyType")) ?? "Best") as "Text" | "HTML" | "Best";
    const wantHeaders = base === "AllProperties" || children(child(shape, "AdditionalProperties") ?? op, "FieldURI").some((f) => attr(f, "FieldURI") === "item:InternetMessageHeaders");
    const extended = requestedExtended(shape);
    const messages: string[] = [];
    // A repeated id is looked up and rendered once, and answered once per listing (as Exchange answers).
    const rendered = new Map<string, string>();
    for (const id of itemIds(child(op, "ItemIds"))) {
      const seen = rendered.get(id);
      if (seen !== undefined) {
        messages.push(seen);
        continue;
      }
      const item = await authorizeItem(ctx, "GetItem", id);
      let message: string;
      const raw = item && (wantHeaders || extended.length) ? ((await store(ctx).items.internetHeaders(item.id)) ?? null) : null;
      const ext = item && extended.length ? extendedXml(extended, item, raw) : "";
      if (!item) message = notFoundMsg("GetItem");
      else if (base === "IdOnly" && !includeMime) message = okMessage("GetItem", `<m:Items>${withExtended(summaryXml(item, true), ext)}</m:Items>`);
      else {
        const headers = wantHeaders ? parseHeaderBlock(raw ?? "") : undefined;
        message = okMessage("GetItem", `<m:Items>${withExtended(itemXml(item, { bodyType, headers, mimeBase64: includeMime ? await mimeBase64(ctx, item) : undefined }), ext)}</m:Items>`);
      }
      rendered.set(id, message);
      messages.push(message);
    }
    return wrap("GetItem", messages);
  },

  async GetAttachment(ctx, op) {
    const s = store(ctx);
    const ids = children(child(op, "AttachmentIds") ?? op, "AttachmentId").map((a) => attr(a, "Id") ?? "");
    const found: Array<Awaited<ReturnType<typeof s.items.findAttachment>>> = [];
    const looked = new Map<string, Awaited<ReturnType<typeof s.items.findAttachment>>>();
    for (const id of ids) {
      if (looked.has(id)) {
        found.push(looked.get(id));
        continue;
      }
      const a = /^[A-Za-z0-9_-]{1,100}$/.test(id) ? await s.items.findAttachment(id) : undefined;
      // An unknown attachment is authorized as if it were another item of the token's mailbox.
      // An attachment of an item the token may not see is answered as a missing one.
      const shown = (await authorizeItem(ctx, "GetAttachment", a?.itemId ?? "")) ? a : undefined;
      looked.set(id, shown);
      found.push(shown);
    }
    const marker = "\u0001";
    const [head, tail] = envelope(`<m:GetAttachmentResponse xmlns:m="${NS.m}" xmlns:t="${NS.t}"><m:ResponseMessages>${marker}</m:ResponseMessages></m:GetAttachmentResponse>`).split(marker) as [string, string];
    async function* body() {
      for (const a of found) {
        if (!a || !a.blobHash) {
          yield errorMessage("GetAttachment", "ErrorItemNotFound", "The specified object was not found in the store.");
          continue;
        }
        const tag = a.kind === "item" ? "ItemAttachment" : "FileAttachment";
        yield `<m:GetAttachmentResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode><m:Attachments><t:${tag}><t:AttachmentId Id="${esc(a.id)}"/><t:Name>${esc(a.name)}</t:Name><t:ContentType>${esc(a.contentType)}</t:ContentType>`;
        yield a.kind === "item" ? `<t:Message><t:MimeContent CharacterSet="UTF-8">` : `<t:Size>${a.size}</t:Size><t:IsInline>${a.isInline}</t:IsInline><t:Content>`;
        let rest = Buffer.alloc(0);
        for await (const chunk of s.items.openAttachment(a)) {
          const buf = rest.byteLength ? Buffer.concat([rest, chunk as Buffer]) : (chunk as Buffer);
          const usable = buf.byteLength - (buf.byteLength % 3);
          yield buf.subarray(0, usable).toString("base64");
          rest = Buffer.from(buf.subarray(usable));
        }
        if (rest.byteLength) yield rest.toString("base64");
        yield a.kind === "item" ? `</t:MimeContent></t:Message></t:${tag}>` : `</t:Content></t:${tag}>`;
        yield `</m:Attachments></m:GetAttachmentResponseMessage>`;
      }
    }
    return { head, body: body(), tail };
  },

  async FindItem(ctx, op) {
    const messages: string[] = [];
    const view = child(op, "IndexedPageItemView");
    const limit = Math.min(Number.parseInt(attr(view, "MaxEntriesReturned") ?? "100", 10) || 100, 1000);
    const offset = Math.max(Number.parseInt(attr(view, "Offset") ?? "0", 10) || 0, 0);
    const idOnly = text(child(op, "ItemShape", "BaseShape")) === "IdOnly";
    const extended = requestedExtended(child(op, "ItemShape"));
    for (const ref of folderRefs(child(op, "ParentFolderIds"))) {
      const folder = await authorizeFolder(ctx, "FindItem", ref);
      if (!folder) {
        messages.push(errorMessage("FindItem", "ErrorFolderNotFound", "The specified folder could not be found in the store."));
        continue;
      }
      const { items, total } = await store(ctx).items.list(folder.id, { limit, offset });
      const last = offset + items.length >= total;
      const rendered: string[] = [];
      for (const i of items) {
        const ext = extended.length ? extendedXml(extended, i, extended.some((r) => r.tag === 0x007d || r.headerName) ? ((await store(ctx).items.internetHeaders(i.id)) ?? null) : null) : "";
        rendered.push(withExtended(summaryXml(i, idOnly), ext));
      }
      messages.push(
        okMessage(
          "FindItem",
          `<m:RootFolder IndexedPagingOffset="${offset + items.length}" TotalItemsInView="${total}" IncludesLastItemInRange="${last}"><t:Items>${rendered.join("")}</t:Items></m:RootFolder>`,
        ),
      );
    }
    return wrap("FindItem", messages);
  },

  async CreateItem(ctx, op) {
    const s = store(ctx);
    const disposition = attr(op, "MessageDisposition") ?? "SaveOnly";
    if (!["SaveOnly", "SendOnly", "SendAndSaveCopy"].includes(disposition)) throw new MailboxError("InvalidRequest", "invalid MessageDisposition");
    const items = children(child(op, "Items") ?? op);
    const savedRef = folderRefs(child(op, "SavedItemFolderId"))[0];
    const messages: string[] = [];
    for (const el of items) {
      if (text(child(el, "IsAssociated")) === "true") {
        messages.push(errorMessage("CreateItem", "ErrorAccessDenied", "Office extension is not allowed to update this type of item."));
        continue;
      }
      const isAppointment = el.localName === "CalendarItem";
      const ref = savedRef ?? fakeDistinguished(isAppointment ? "calendar" : "drafts");
      const folder = await authorizeFolder(ctx, "CreateItem", ref);
      if (!folder) {
        messages.push(errorMessage("CreateItem", "ErrorFolderNotFound", "The specified folder could not be found in the store."));
        continue;
      }
      const input = itemFields(el);
      const created = await s.items.create(folder.mailboxId, folder.id, { ...input, itemType: isAppointment ? "appointment" : "message", isDraft: !isAppointment, isRead: true });
      if (!isAppointment && disposition !== "SaveOnly") {
        await s.items.send(created.id, { saveCopy: disposition === "SendAndSaveCopy" });
        messages.push(okMessage("CreateItem", "<m:Items/>"));
      } else messages.push(okMessage("CreateItem", `<m:Items><t:${el.localName}>${itemIdXml(created)}</t:${el.localName}></m:Items>`));
    }
    return wrap("CreateItem", messages);
  },

  async UpdateItem(ctx, op) {
    const s = store(ctx);
    const messages: string[] = [];
    for (const change of children(child(op, "ItemChanges") ?? op, "ItemChange")) {
      const id = attr(child(change, "ItemId"), "Id") ?? "";
      const item = await authorizeItem(ctx, "UpdateItem", id);
      if (!item) {
        messages.push(notFoundMsg("UpdateItem"));
        continue;
      }
      const patch: ItemPatch = {};
      const categoriesToAppend: string[] = [];
      for (const u of children(child(change, "Updates") ?? change)) {
        const uri = attr(child(u, "FieldURI"), "FieldURI") ?? "";
        const key = FIELD_TO_PATCH[uri];
        if (!key) throw new MailboxError("InvalidRequest", `unsupported field: ${uri.slice(0, 80) || "(extended property)"}`);
        const valueEl = children(u).find((c) => c.localName !== "FieldURI");
        if (u.localName === "DeleteItemField") {
          if (key === "body") patch.bodyText = "";
          else if (key === "categories") patch.categories = [];
          else if (key === "location") patch.location = null;
          continue;
        }
        const fields = valueEl ? itemFields(valueEl) : {};
        if (key === "body") {
          if (fields.bodyHtml !== undefined) (patch.bodyHtml = fields.bodyHtml), (patch.bodyText = null);
          if (fields.bodyText !== undefined) (patch.bodyText = fields.bodyText), (patch.bodyHtml = null);
        } else if (key === "categories" && u.localName === "AppendToItemField") categoriesToAppend.push(...(fields.categories ?? []));
        else (patch as Record<string, unknown>)[key] = (fields as Record<string, unknown>)[key];
      }
      if (categoriesToAppend.length) patch.categories = [...new Set([...(patch.categories ?? item.categories), ...categoriesToAppend])];
      const updated = await s.items.update(id, patch);
      messages.push(okMessage("UpdateItem", `<m:Items><t:${updated.itemType === "appointment" ? "CalendarItem" : "Message"}>${itemIdXml(updated)}</t:${updated.itemType === "appointment" ? "CalendarItem" : "Message"}></m:Items><m:ConflictResults><t:Count>0</t:Count></m:ConflictResults>`));
    }
    return wrap("UpdateItem", messages);
  },

  async SendItem(ctx, op) {
    const save = attr(op, "SaveItemToFolder") !== "false";
    const messages: string[] = [];
    for (const id of itemIds(child(op, "ItemIds"))) {
      const item = await authorizeItem(ctx, "SendItem", id);
      if (!item) messages.push(notFoundMsg("SendItem"));
      else if (!item.isDraft) messages.push(errorMessage("SendItem", "ErrorInvalidRequest", "Only a draft can be sent."));
      else {
        await store(ctx).items.send(id, { saveCopy: save });
        messages.push(okMessage("SendItem"));
      }
    }
    return wrap("SendItem", messages);
  },

  MoveItem: (ctx, op) => moveOrCopy(ctx, op, "MoveItem"),
  CopyItem: (ctx, op) => moveOrCopy(ctx, op, "CopyItem"),

  async MarkAsJunk(ctx, op) {
    const isJunk = attr(op, "IsJunk") === "true";
    const move = attr(op, "MoveItem") === "true";
    const messages: string[] = [];
    for (const id of itemIds(child(op, "ItemIds"))) {
      const item = await authorizeItem(ctx, "MarkAsJunk", id);
      if (!item) {
        messages.push(notFoundMsg("MarkAsJunk"));
        continue;
      }
      if (!move) {
        messages.push(okMessage("MarkAsJunk"));
        continue;
      }
      const dest = await store(ctx).mailboxes.resolveFolder(item.mailboxId, isJunk ? "junkemail" : "inbox");
      const moved = await store(ctx).items.move(id, dest!.id);
      messages.push(okMessage("MarkAsJunk", `<m:MovedItemId Id="${esc(moved.id)}" ChangeKey="${Buffer.from(`CK${moved.changeKey}`).toString("base64")}"/>`));
    }
    return wrap("MarkAsJunk", messages);
  },

  async GetFolder(ctx, op) {
    const messages: string[] = [];
    for (const ref of folderRefs(child(op, "FolderIds"))) {
      const folder = await authorizeFolder(ctx, "GetFolder", ref);
      messages.push(folder ? okMessage("GetFolder", `<m:Folders>${folderXml(folder)}</m:Folders>`) : errorMessage("GetFolder", "ErrorFolderNotFound", "The specified folder could not be found in the store."));
    }
    return wrap("GetFolder", messages);
  },

  async FindFolder(ctx, op) {
    const deep = attr(op, "Traversal") === "Deep";
    const messages: string[] = [];
    for (const ref of folderRefs(child(op, "ParentFolderIds"))) {
      const parent = await authorizeFolder(ctx, "FindFolder", ref);
      if (!parent) {
        messages.push(errorMessage("FindFolder", "ErrorFolderNotFound", "The specified folder could not be found in the store."));
        continue;
      }
      const folders = await store(ctx).mailboxes.listFolders(parent.mailboxId, { parentId: parent.id, deep });
      messages.push(okMessage("FindFolder", `<m:RootFolder TotalItemsInView="${folders.length}" IncludesLastItemInRange="true"><t:Folders>${folders.map(folderXml).join("")}</t:Folders></m:RootFolder>`));
    }
    return wrap("FindFolder", messages);
  },

  async CreateFolder(ctx, op) {
    const parent = await authorizeFolder(ctx, "CreateFolder", folderRefs(child(op, "ParentFolderId"))[0]);
    const messages: string[] = [];
    for (const f of children(child(op, "Folders") ?? op)) {
      if (!parent) {
        messages.push(errorMessage("CreateFolder", "ErrorFolderNotFound", "The specified folder could not be found in the store."));
        continue;
      }
      try {
        const created = await store(ctx).mailboxes.createFolder(parent.mailboxId, parent.id, text(child(f, "DisplayName")) ?? "");
        messages.push(okMessage("CreateFolder", `<m:Folders><t:Folder><t:FolderId Id="${esc(created.id)}"/></t:Folder></m:Folders>`));
      } catch (err) {
        if (!(err instanceof MailboxError)) throw err;
        messages.push(errorMessage("CreateFolder", err.code === "Conflict" ? "ErrorFolderExists" : "ErrorInvalidRequest", err.message));
      }
    }
    return wrap("CreateFolder", messages);
  },

  async UpdateFolder(ctx, op) {
    const messages: string[] = [];
    for (const change of children(child(op, "FolderChanges") ?? op, "FolderChange")) {
      const folder = await authorizeFolder(ctx, "UpdateFolder", folderRefs(change)[0]);
      if (!folder) {
        messages.push(errorMessage("UpdateFolder", "ErrorFolderNotFound", "The specified folder could not be found in the store."));
        continue;
      }
      const set = children(child(change, "Updates") ?? change, "SetFolderField").find((u) => attr(child(u, "FieldURI"), "FieldURI") === "folder:DisplayName");
      const name = set && text(child(children(set).find((c) => c.localName !== "FieldURI"), "DisplayName"));
      if (name === undefined) {
        messages.push(errorMessage("UpdateFolder", "ErrorInvalidRequest", "Only folder:DisplayName can be updated."));
        continue;
      }
      try {
        const updated = await store(ctx).mailboxes.renameFolder(folder.id, name);
        messages.push(okMessage("UpdateFolder", `<m:Folders><t:Folder><t:FolderId Id="${esc(updated.id)}"/></t:Folder></m:Folders>`));
      } catch (err) {
        if (!(err instanceof MailboxError)) throw err;
        messages.push(errorMessage("UpdateFolder", err.code === "AccessDenied" ? "ErrorAccessDenied" : "ErrorInvalidRequest", err.message));
      }
    }
    return wrap("UpdateFolder", messages);
  },

  async FindConversation(ctx, op) {
    const folder = await authorizeFolder(ctx, "FindConversation", folderRefs(child(op, "ParentFolderId"))[0]);
    if (!folder) return { xml: envelope(`<m:FindConversationResponse ResponseClass="Error" xmlns:m="${NS.m}" xmlns:t="${NS.t}"><m:MessageText>The specified folder could not be found in the store.</m:MessageText><m:ResponseCode>ErrorFolderNotFound</m:ResponseCode></m:FindConversationResponse>`) };
    const max = Math.min(Number.parseInt(attr(child(op, "IndexedPageItemView"), "MaxEntriesReturned") ?? "100", 10) || 100, 1000);
    const convs = await store(ctx).items.listConversations(folder.id, max);
    const xml = convs
      .map(
        (c) =>
          `<t:Conversation><t:ConversationId Id="${esc(c.conversationId)}"/><t:ConversationTopic>${esc(c.topic)}</t:ConversationTopic>` +
          `<t:LastDeliveryTime>${c.lastDeliveryTime ? c.lastDeliveryTime.toISOString().replace(/\.\d{3}Z$/, "Z") : ""}</t:LastDeliveryTime>` +
          `<t:ItemIds>${c.itemIds.map((id) => `<t:ItemId Id="${esc(id)}"/>`).join("")}</t:ItemIds><t:HasAttachments>${c.hasAttachments}</t:HasAttachments>` +
          `<t:MessageCount>${c.messageCount}</t:MessageCount><t:GlobalMessageCount>${c.messageCount}</t:GlobalMessageCount><t:UnreadCount>${c.unreadCount}</t:UnreadCount></t:Conversation>`,
      )
      .join("");
    return { xml: envelope(`<m:FindConversationResponse ResponseClass="Success" xmlns:m="${NS.m}" xmlns:t="${NS.t}"><m:ResponseCode>NoError</m:ResponseCode><m:Conversations>${xml}</m:Conversations></m:FindConversationResponse>`) };
  },

  async GetConversationItems(ctx, op) {
    const messages: string[] = [];
    for (const conv of children(child(op, "Conversations") ?? op, "Conversation")) {
      const id = attr(child(conv, "ConversationId"), "Id") ?? "";
      if (!(await authorizeFolder(ctx, "GetConversationItems", fakeDistinguished("msgfolderroot")))) {
        messages.push(notFoundMsg("GetConversationItems"));
        continue;
      }
      const items = await store(ctx).items.listConversation(ctx.claims.mailboxId, id);
      const nodes = items.map((i) => `<t:ConversationNode>${i.internetMessageId ? `<t:InternetMessageId>${esc(i.internetMessageId)}</t:InternetMessageId>` : ""}<t:Items>${summaryXml(i)}</t:Items></t:ConversationNode>`).join("");
      messages.push(okMessage("GetConversationItems", `<m:Conversation><t:ConversationId Id="${esc(id)}"/><t:ConversationNodes>${nodes}</t:ConversationNodes></m:Conversation>`));
    }
    return wrap("GetConversationItems", messages);
  },
};

async function moveOrCopy(ctx: Ctx, op: El, name: "MoveItem" | "CopyItem"): Promise<EwsResult> {
  const s = store(ctx);
  const destRef = folderRefs(child(op, "ToFolderId"))[0];
  const messages: string[] = [];
  for (const id of itemIds(child(op, "ItemIds"))) {
    // The item first: an item the token may not see answers ErrorItemNotFound (one refusal stored), whatever the destination.
    const item = await authorizeItem(ctx, name, id);
    const dest = item ? await authorizeFolder(ctx, name, destRef, id) : undefined;
    if (dest && dest.mailboxId !== item?.mailboxId) throw new Refusal(403, "other-mailbox");
    if (!item) messages.push(notFoundMsg(name));
    else if (!dest) messages.push(errorMessage(name, "ErrorFolderNotFound", "The specified folder could not be found in the store."));
    else {
      const result = name === "MoveItem" ? await s.items.move(id, dest.id) : await s.items.copy(id, dest.id);
      const tag = result.itemType === "appointment" ? "CalendarItem" : "Message";
      messages.push(okMessage(name, `<m:Items><t:${tag}>${itemIdXml(result)}</t:${tag}></m:Items>`));
    }
  }
  return wrap(name, messages);
}

function fakeDistinguished(id: string): El {
  return { localName: "DistinguishedFolderId", hasAttribute: (n: string) => n === "Id", getAttribute: () => id, firstChild: null } as unknown as El;
}

export { attachmentInfoXml };
