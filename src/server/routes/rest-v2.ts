import type { Readable } from "node:stream";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { MailboxError, base64Stream, type Folder, type ItemSummary, type NewItem, type OperationId, type TokenClaims } from "../../mailbox/index.ts";
import { FOLDER_NOT_FOUND_MESSAGE, authorizeOperation, hidden, isWellFormedId, itemTarget, mailboxTarget, targetFrom, verifyBearer } from "../auth/bearer.ts";
import { Refusal, recordRefusal, setDownloadHeaders } from "../errors.ts";
import { attachmentJson, folderJson, messageJson, messageSummaryJson, parseRecipients } from "../rest/json.ts";
import { type ListQuery, type ListQueryString, nextLink, parseListQuery, project } from "../rest/query.ts";
import { StreamedJsonObject } from "../rest/streamed-json.ts";
import { checkInput, refuseNul } from "../security/input-guard.ts";

/** Attachments up to this size carry ContentBytes inline in JSON; larger ones are fetched from …/$value (streamed). */
const INLINE_CONTENT_BYTES_MAX = 4 * 1024 * 1024;
const PREFIX = "/api/v2.0/me";
/** A 25 MB attachment as base64 (33.4 MB) with its JSON around it. */
const MAX_UPLOAD_BODY_BYTES = 36 * 1024 * 1024;

type Params = { id: string; aid: string; fid: string };

/**
 * Outlook REST v2.0–style surface for add-ins, authenticated by callback tokens (Authorization: Bearer).
 * Every route names its operation in the scopes table; the token decides.
 */
export default async function restV2Routes(app: FastifyInstance): Promise<void> {
  const store = app.mailbox;

  app.setErrorHandler(async (err: Error & { statusCode?: number }, request, reply) => {
    if (err instanceof Refusal) {
      await recordRefusal(request, "rest", err);
      if (err.status === 401) reply.header("WWW-Authenticate", 'Bearer error="invalid_token"');
      return reply.code(err.status).send({ error: { code: err.status === 401 ? "InvalidAuthenticationToken" : "ErrorAccessDenied", message: "Access is denied. Check credentials and try again." } });
    }
    if (err instanceof MailboxError) {
      const code = { NotFound: "ErrorItemNotFound", AccessDenied: "ErrorAccessDenied", InvalidRequest: "ErrorInvalidRequest", Conflict: "ErrorFolderExists", LimitExceeded: "ErrorQuotaExceeded", InvalidCategory: "ErrorInvalidRequest", DuplicateCategory: "ErrorInvalidRequest" }[err.code];
      return reply.code(err.status).send({ error: { code, message: err.message } });
    }
    if (err.statusCode && err.statusCode < 500) return reply.code(err.statusCode).send({ error: { code: "ErrorInvalidRequest", message: err.message } });
    request.log.error({ err }, "REST request failed");
    return reply.code(500).send({ error: { code: "ErrorInternalServerError", message: "An internal server error occurred." } });
  });

  // Add-in pages call REST from their own origin, as Outlook's REST endpoint allows: the credential is the callback
  // token in the Authorization header, never a cookie, so any origin may read the answer.
  app.addHook("onRequest", async (request, reply) => {
    if (!request.url.startsWith(PREFIX)) return;
    reply.header("access-control-allow-origin", "*");
    reply.header("access-control-expose-headers", "Content-Disposition, Content-Length");
  });
  app.options(`${PREFIX}/*`, async (_request, reply) =>
    reply.code(204).header("access-control-allow-methods", "GET, POST, PATCH, DELETE, OPTIONS").header("access-control-allow-headers", "Authorization, Content-Type, Prefer").header("access-control-max-age", "3600").send(),
  );

  /** Verifies the token and authorizes `op` on the item named in the URL; returns the claims. */
  const forItem = async (request: FastifyRequest<{ Params: Partial<Params> }>, op: OperationId): Promise<{ claims: TokenClaims; itemId: string }> => {
    const claims = await verifyBearer(request);
    const itemId = request.params.id ?? "";
    const target = await itemTarget(request, claims, itemId);
    await authorizeOperation(request, claims, op, target);
    if (!target.exists) throw new MailboxError("NotFound", "The specified object was not found in the store.");
    return { claims, itemId };
  };
  const forMailbox = async (request: FastifyRequest, op: OperationId): Promise<TokenClaims> => {
    const claims = await verifyBearer(request);
    await authorizeOperation(request, claims, op, await mailboxTarget(request, claims.mailboxId));
    return claims;
  };
  /** Verifies the token and authorizes `op` on the mailbox of the folder named in the URL (an id or a well-known name). */
  const forFolder = async (request: FastifyRequest, op: OperationId, idOrName: string): Promise<{ claims: TokenClaims; folder: Folder }> => {
    const claims = await verifyBearer(request);
    const byId = /^[A-Za-z0-9_-]{1,100}$/.test(idOrName) ? await store.mailboxes.getFolder(idOrName) : undefined;
    const folder = byId ?? (await store.mailboxes.resolveFolder(claims.mailboxId, idOrName));
    await authorizeOperation(request, claims, op, { ...(await mailboxTarget(request, folder?.mailboxId ?? claims.mailboxId)), exists: folder !== undefined }, FOLDER_NOT_FOUND_MESSAGE);
    if (!folder) throw new MailboxError("NotFound", FOLDER_NOT_FOUND_MESSAGE);
    return { claims, folder };
  };
  const folderOf = async (claims: TokenClaims, idOrName: string) => {
    const folder = await store.mailboxes.resolveFolder(claims.mailboxId, idOrName);
    if (!folder) throw new MailboxError("NotFound", "The specified folder could not be found in the store.");
    return folder;
  };

  app.get<{ Params: Params }>(`${PREFIX}/messages/:id`, async (request) => {
    // One query: the item with its owner's tenant and the user's rights; authorized before anything is returned.
    const claims = await verifyBearer(request);
    const itemId = request.params.id;
    const found = isWellFormedId(itemId) ? await store.items.getForUser(itemId, claims.userId) : undefined;
    const target = targetFrom(claims, itemId, found && { mailboxId: found.item.mailboxId, tenantId: found.tenantId, rights: found.rights });
    await authorizeOperation(request, claims, "rest.getMessage", target);
    if (!found) throw new MailboxError("NotFound", "The specified object was not found in the store.");
    return messageJson(found.item);
  });

  app.get<{ Params: Params }>(`${PREFIX}/messages/:id/attachments`, async (request) => {
    const { itemId } = await forItem(request, "rest.listAttachments");
    const list = await store.items.listAttachments(itemId);
    const value = [];
    for (const a of list) value.push(attachmentJson(a, a.kind === "file" && a.size <= INLINE_CONTENT_BYTES_MAX ? await base64Of(store.items.openAttachment((await store.items.getAttachment(itemId, a.id))!)) : undefined));
    return { "@odata.context": `${request.protocol}://${request.hostname}${PREFIX}/messages('${itemId}')/attachments`, value };
  });

  app.get<{ Params: Params }>(`${PREFIX}/messages/:id/attachments/:aid`, async (request) => {
    const { itemId } = await forItem(request, "rest.getAttachment");
    const a = await store.items.getAttachment(itemId, request.params.aid);
    if (!a) throw new MailboxError("NotFound", "The attachment was not found.");
    return attachmentJson(a, a.kind === "file" && a.size <= INLINE_CONTENT_BYTES_MAX ? await base64Of(store.items.openAttachment(a)) : undefined);
  });

  app.get<{ Params: Params }>(`${PREFIX}/messages/:id/attachments/:aid/$value`, async (request, reply) => {
    // The hot download path: item, rights and attachment come in one query, authorized before any byte is sent.
    const claims = await verifyBearer(request);
    const { id: itemId, aid } = request.params;
    const where = isWellFormedId(itemId) ? await store.items.locateAttachmentForUser(itemId, aid, claims.userId) : undefined;
    const target = targetFrom(claims, itemId, where);
    await authorizeOperation(request, claims, "rest.getAttachmentValue", target);
    if (!target.exists) throw new MailboxError("NotFound", "The specified object was not found in the store.");
    const a = where?.attachment;
    if (!a || !a.blobHash) throw new MailboxError("NotFound", "The attachment was not found.");
    setDownloadHeaders(reply, a.name, a.contentType, a.size);
    return reply.send(store.items.attachmentBody(a));
  });

  app.get(`${PREFIX}/mailfolders`, async (request) => {
    const claims = await forMailbox(request, "rest.listFolders");
    const root = await folderOf(claims, "msgfolderroot");
    const folders = (await store.mailboxes.listFolders(claims.mailboxId, { parentId: root.id })).filter((f) => f.folderClass === "IPF.Note");
    return { value: folders.map(folderJson) };
  });

  app.get<{ Params: Params }>(`${PREFIX}/mailfolders/:fid`, async (request) => {
    return folderJson((await forFolder(request, "rest.getFolder", request.params.fid)).folder);
  });

  app.get<{ Params: Params }>(`${PREFIX}/mailfolders/:fid/childfolders`, async (request) => {
    const { folder: parent } = await forFolder(request, "rest.listFolders", request.params.fid);
    return { value: (await store.mailboxes.listFolders(parent.mailboxId, { parentId: parent.id })).map(folderJson) };
  });

  app.get<{ Params: Params; Querystring: ListQueryString }>(`${PREFIX}/mailfolders/:fid/messages`, async (request) => {
    const { folder } = await forFolder(request, "rest.listMessages", request.params.fid);
    const q = parseListQuery(request.query);
    const { items, total } = await store.items.list(folder.id, { limit: q.top, offset: q.skip, orderBy: q.orderBy, descending: q.descending });
    return listJson(request, `${PREFIX}/mailfolders/${encodeURIComponent(request.params.fid)}/messages`, q, items, q.skip + items.length < total);
  });

  // All mail folders of the mailbox (Outlook REST semantics), newest first unless $orderby says otherwise.
  app.get<{ Querystring: ListQueryString }>(`${PREFIX}/messages`, async (request) => {
    const claims = await forMailbox(request, "rest.listMessages");
    const q = parseListQuery(request.query);
    const { items, more } = await store.items.listMailboxMessages(claims.mailboxId, { limit: q.top, offset: q.skip, orderBy: q.orderBy, descending: q.descending });
    return listJson(request, `${PREFIX}/messages`, q, items, more);
  });

  const createMessage = async (request: FastifyRequest<{ Params: Partial<Params>; Body: unknown }>, reply: FastifyReply) => {
    const { folder } = await forFolder(request, "rest.createMessage", request.params.fid ?? "drafts");
    const item = await store.items.create(folder.mailboxId, folder.id, { ...messageInput(request.body), isDraft: true, isRead: true });
    return reply.code(201).send(messageJson(item));
  };
  app.post<{ Params: Partial<Params>; Body: unknown }>(`${PREFIX}/messages`, createMessage);
  app.post<{ Params: Partial<Params>; Body: unknown }>(`${PREFIX}/mailfolders/:fid/messages`, createMessage);

  const createFolder = async (request: FastifyRequest<{ Params: Partial<Params>; Body: { DisplayName?: unknown } }>, reply: FastifyReply) => {
    const { folder: parent } = await forFolder(request, "rest.createFolder", request.params.fid ?? "msgfolderroot");
    if (typeof request.body?.DisplayName !== "string") throw new MailboxError("InvalidRequest", "DisplayName is required");
    return reply.code(201).send(folderJson(await store.mailboxes.createFolder(parent.mailboxId, parent.id, request.body.DisplayName)));
  };
  app.post<{ Params: Partial<Params>; Body: { DisplayName?: unknown } }>(`${PREFIX}/mailfolders`, createFolder);
  app.post<{ Params: Partial<Params>; Body: { DisplayName?: unknown } }>(`${PREFIX}/mailfolders/:fid/childfolders`, createFolder);

  app.patch<{ Params: Params; Body: Record<string, unknown> }>(`${PREFIX}/messages/:id`, async (request) => {
    const { itemId } = await forItem(request, "rest.updateMessage");
    const b = request.body ?? {};
    const input = messageInput(b);
    const item = await store.items.update(itemId, {
      ...(input.subject !== undefined ? { subject: input.subject } : {}),
      ...(input.bodyHtml !== undefined ? { bodyHtml: input.bodyHtml, bodyText: null } : {}),
      ...(input.bodyText !== undefined ? { bodyText: input.bodyText, bodyHtml: null } : {}),
      ...(input.to ? { to: input.to } : {}),
      ...(input.cc ? { cc: input.cc } : {}),
      ...(input.bcc ? { bcc: input.bcc } : {}),
      ...(typeof b.IsRead === "boolean" ? { isRead: b.IsRead } : {}),
      ...(input.categories ? { categories: input.categories } : {}),
      ...(input.importance ? { importance: input.importance } : {}),
    });
    return messageJson(item);
  });

  app.delete<{ Params: Params }>(`${PREFIX}/messages/:id`, async (request, reply) => {
    const { itemId } = await forItem(request, "rest.deleteMessage");
    await store.items.delete(itemId);
    return reply.code(204).send();
  });

  const destination = async (request: FastifyRequest, claims: TokenClaims, body: unknown) => {
    const id = (body as { DestinationId?: unknown })?.DestinationId;
    if (typeof id !== "string") throw new MailboxError("InvalidRequest", "DestinationId is required");
    const byId = /^[A-Za-z0-9_-]{1,100}$/.test(id) ? await store.mailboxes.getFolder(id) : undefined;
    // Another mailbox's folder answers as an unknown one.
    if (byId && byId.mailboxId !== claims.mailboxId) return hidden(request, "rest", "other-mailbox", FOLDER_NOT_FOUND_MESSAGE);
    return byId ?? folderOf(claims, id);
  };
  app.post<{ Params: Params; Body: unknown }>(`${PREFIX}/messages/:id/move`, async (request, reply) => {
    const { claims, itemId } = await forItem(request, "rest.moveMessage");
    return reply.code(201).send(messageJson(await store.items.move(itemId, (await destination(request, claims, request.body)).id)));
  });
  app.post<{ Params: Params; Body: unknown }>(`${PREFIX}/messages/:id/copy`, async (request, reply) => {
    const { claims, itemId } = await forItem(request, "rest.copyMessage");
    return reply.code(201).send(messageJson(await store.items.copy(itemId, (await destination(request, claims, request.body)).id)));
  });
  app.post<{ Params: Params }>(`${PREFIX}/messages/:id/send`, async (request, reply) => {
    const { itemId } = await forItem(request, "rest.sendMessage");
    await store.items.send(itemId);
    return reply.code(202).send();
  });

  // Uploads read their body as it arrives (their own JSON parser, in this scope only): the base64 ContentBytes is
  // decoded, hashed and stored while the rest is still on the wire, and exists in memory one piece at a time.
  await app.register(async (upload) => {
    upload.addContentTypeParser("application/json", (_request, payload, done) => done(null, payload));
    upload.post<{ Params: Params }>(`${PREFIX}/messages/:id/attachments`, { config: { streamedBody: true } }, async (request, reply) => {
      checkInput({ query: request.query, params: request.params });
      const { itemId } = await forItem(request, "rest.addAttachment");
      const body = new StreamedJsonObject(request.body as Readable, { streamed: "ContentBytes", maxBytes: MAX_UPLOAD_BODY_BYTES });
      const staged = await store.items.stageAttachment(base64Stream(body.streamedText()));
      let b: Record<string, unknown>;
      try {
        b = await body.rest();
        refuseNul(b, "body");
        if (typeof b.Name !== "string" || !body.hasStreamed) throw new MailboxError("InvalidRequest", "Name and ContentBytes are required");
      } catch (err) {
        await staged.discard().catch(() => undefined);
        throw err;
      }
      const meta = { name: b.Name, contentType: typeof b.ContentType === "string" ? b.ContentType : "application/octet-stream", isInline: b.IsInline === true, contentId: typeof b.ContentId === "string" ? b.ContentId : null };
      return reply.code(201).send(attachmentJson(await store.items.addStagedAttachment(itemId, meta, staged)));
    });
  });

  app.delete<{ Params: Params }>(`${PREFIX}/messages/:id/attachments/:aid`, async (request, reply) => {
    const { itemId } = await forItem(request, "rest.deleteAttachment");
    await store.items.removeAttachment(itemId, request.params.aid);
    return reply.code(204).send();
  });
}

function listJson(request: FastifyRequest, path: string, q: ListQuery, items: ItemSummary[], more: boolean) {
  const origin = `${request.protocol}://${request.host}`;
  return {
    "@odata.context": `${origin}${path}`,
    value: items.map((i) => project(messageSummaryJson(i), q.select)),
    ...(more ? { "@odata.nextLink": nextLink(`${origin}${path}`, q) } : {}),
  };
}

function messageInput(body: unknown): NewItem {
  const b = (body ?? {}) as Record<string, unknown>;
  const bodyObj = b.Body as { ContentType?: unknown; Content?: unknown } | undefined;
  const out: NewItem = {};
  try {
    if (b.Subject !== undefined) {
      if (typeof b.Subject !== "string") throw new Error("Subject must be a string");
      out.subject = b.Subject;
    }
    if (bodyObj !== undefined) {
      if (typeof bodyObj?.Content !== "string") throw new Error("Body.Content must be a string");
      if (String(bodyObj.ContentType ?? "Text").toLowerCase() === "html") out.bodyHtml = bodyObj.Content;
      else out.bodyText = bodyObj.Content;
    }
    out.to = parseRecipients(b.ToRecipients, "ToRecipients");
    out.cc = parseRecipients(b.CcRecipients, "CcRecipients");
    out.bcc = parseRecipients(b.BccRecipients, "BccRecipients");
    if (b.Categories !== undefined) {
      if (!Array.isArray(b.Categories) || !b.Categories.every((c) => typeof c === "string")) throw new Error("Categories must be an array of strings");
      out.categories = b.Categories as string[];
    }
    if (b.Importance !== undefined) {
      if (!["Low", "Normal", "High"].includes(String(b.Importance))) throw new Error("Importance must be Low, Normal or High");
      out.importance = String(b.Importance);
    }
  } catch (err) {
    throw new MailboxError("InvalidRequest", (err as Error).message);
  }
  for (const k of Object.keys(out) as Array<keyof NewItem>) if (out[k] === undefined) delete out[k];
  return out;
}

async function base64Of(stream: AsyncIterable<Buffer | Uint8Array>): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(Buffer.from(c));
  return Buffer.concat(parts).toString("base64");
}
