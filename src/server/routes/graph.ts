/**
 * Outpost's Microsoft Graph mail surface (/v1.0/me/… and /v1.0/users/{id|upn}/…) over the mailbox store,
 * authenticated by the identity provider's access tokens and authorized per route from src/graph/operations.ts:
 * the token's scopes (audience Graph, consent still in force), the target mailbox (own, or shared with .Shared
 * scopes and the user's delegate rights), Graph's error shapes, and Outlook-service throttling (429 + Retry-After).
 * CORS is open as on graph.microsoft.com: add-in pages call it from their own origin with a bearer token.
 */
import { randomBytes } from "node:crypto";
import { PassThrough } from "node:stream";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { AccessTokenError, Identity, type AccessClaims } from "../../identity/index.ts";
import { GRAPH_OPERATIONS, decideGraph, type GraphOperationId } from "../../graph/operations.ts";
import { attachmentJson, folderJson, messageJson, messageSummaryJson, parseRecipients, userJson, withoutBody } from "../../graph/json.ts";
import { QueryError, nextLink, parseGraphListQuery, project, type GraphListQuery, type GraphListQueryString } from "../../graph/query.ts";
import { Throttle } from "../../graph/throttle.ts";
import { MailboxError, blobBody, isId, type Folder, type ItemSummary, type Mailbox, type MailboxRights, type NewItem, type User } from "../../mailbox/index.ts";
import { writeItemAsMime } from "../../mailbox/mime/build.ts";

const V = "/v1.0";
/** Inline attachment bytes (POST …/attachments): Graph takes up to 3 MB this way; larger ones need an upload session. */
const INLINE_ATTACHMENT_MAX = 3 * 1024 * 1024;
const UPLOAD_MAX = 150 * 1024 * 1024;
const FILTER_SCAN_MAX = 10_000;

export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly securityReason?: string,
  ) {
    super(message);
    this.name = "GraphError";
  }
}

const TOKEN_MESSAGES: Record<string, string> = {
  missing: "Access token is empty.",
  malformed: "IDX14100: JWT is not well formed.",
  expired: "Lifetime validation failed, the token is expired.",
  "not-yet-valid": "Lifetime validation failed, the token is not yet valid.",
  "wrong-audience": "Access token validation failure. Invalid audience.",
  "wrong-issuer": "Access token validation failure. Invalid issuer.",
  "bad-signature": "Access token validation failure. Invalid signature.",
  "unknown-key": "Access token validation failure. Signing key not found.",
  "algorithm-not-allowed": "Access token validation failure. Algorithm not allowed.",
  "other-tenant": "Access token validation failure. The token's tenant does not match the user.",
  revoked: "Access token has been revoked.",
  "consent-withdrawn": "Access token validation failure. Consent for a scope of this token was withdrawn.",
  "bad-claims": "Access token validation failure. Invalid claims.",
};

interface Target {
  claims: AccessClaims;
  user: User;
  mailbox: Mailbox;
  own: boolean;
  rights: MailboxRights | undefined;
  basicOnly: boolean;
}

type P = { user?: string; id?: string; aid?: string; fid?: string; sid?: string };

export default async function graphRoutes(app: FastifyInstance): Promise<void> {
  const store = app.mailbox;
  const identity = Identity.of(store);
  const throttle = new Throttle();

  app.addContentTypeParser("application/octet-stream", { parseAs: "buffer", bodyLimit: 60 * 1024 * 1024 }, (_req, body, done) => done(null, body));

  app.addHook("onRequest", async (request, reply) => {
    reply.header("access-control-allow-origin", "*");
    reply.header("access-control-expose-headers", "Retry-After, request-id, client-request-id, Location, WWW-Authenticate");
    reply.header("request-id", request.id);
    reply.header("cache-control", "private, no-store");
  });
  app.options(`${V}/*`, async (_request, reply) =>
    reply
      .code(204)
      .header("access-control-allow-methods", "GET, POST, PATCH, PUT, DELETE, OPTIONS")
      .header("access-control-allow-headers", "Authorization, Content-Type, Content-Range, client-request-id, Prefer, ConsistencyLevel")
      .header("access-control-max-age", "3600")
      .send(),
  );

  app.setErrorHandler(async (err: Error & { statusCode?: number }, request, reply) => {
    const inner = { date: new Date().toISOString().replace(/\.\d{3}Z$/, ""), "request-id": request.id, "client-request-id": String(request.headers["client-request-id"] ?? request.id).slice(0, 100) };
    if (err instanceof GraphError) {
      if (err.status === 401 || err.status === 403) {
        const claims = (request as { graphClaims?: AccessClaims }).graphClaims;
        request.log.warn({ surface: "graph", reason: err.securityReason ?? err.code, url: request.url.slice(0, 300) }, "request refused");
        await store.security
          .record({ surface: "graph", reason: err.securityReason ?? err.code, tenantId: claims?.tenantId ?? null, userId: claims?.userId ?? null, mailboxId: null, addinId: claims?.clientId ?? null, detail: { status: err.status, method: request.method, url: request.url.slice(0, 300), ip: request.ip, tokenId: claims?.tokenId } })
          .catch((e) => request.log.error({ err: e }, "could not store security event"));
      }
      const retry = (err as { retryAfter?: number }).retryAfter;
      if (retry !== undefined) reply.header("retry-after", String(retry));
      if (err.status === 401) reply.header("www-authenticate", `Bearer realm="", authorization_uri="${"/identity/common/oauth2/v2.0/authorize"}", error="invalid_token"`);
      return reply.code(err.status).send({ error: { code: err.code, message: err.message, innerError: inner } });
    }
    if (err instanceof QueryError) return reply.code(400).send({ error: { code: err.code, message: err.message, innerError: inner } });
    if (err instanceof MailboxError) {
      const code = { NotFound: "ErrorItemNotFound", AccessDenied: "ErrorAccessDenied", InvalidRequest: "ErrorInvalidRequest", Conflict: "ErrorFolderExists", LimitExceeded: "ErrorQuotaExceeded", InvalidCategory: "ErrorInvalidRequest", DuplicateCategory: "ErrorInvalidRequest" }[err.code];
      return reply.code(err.status).send({ error: { code, message: err.message, innerError: inner } });
    }
    if (err.statusCode && err.statusCode < 500) return reply.code(err.statusCode).send({ error: { code: err.statusCode === 413 ? "RequestEntityTooLarge" : "BadRequest", message: err.message, innerError: inner } });
    request.log.error({ err }, "Graph request failed");
    return reply.code(500).send({ error: { code: "InternalServerError", message: "An internal server error occurred.", innerError: inner } });
  });

  const notFound = () => new GraphError(404, "ErrorItemNotFound", "The specified object was not found in the store.");
  const badRequest = (m: string) => new GraphError(400, "ErrorInvalidRequest", m);

  /** Token, target mailbox, scope decision, throttling: every route starts here. */
  const authorize = async (request: FastifyRequest<{ Params: P }>, op: GraphOperationId): Promise<Target> => {
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? "");
    let claims: AccessClaims;
    try {
      claims = await identity.tokens.verify(match?.[1]);
    } catch (e) {
      if (e instanceof AccessTokenError) throw new GraphError(401, "InvalidAuthenticationToken", TOKEN_MESSAGES[e.reason] ?? "Access token validation failure.", `token-${e.reason}`);
      throw e;
    }
    (request as { graphClaims?: AccessClaims }).graphClaims = claims;
    const user = await store.directory.getUser(claims.userId);
    if (!user || user.tenantId !== claims.tenantId) throw new GraphError(401, "InvalidAuthenticationToken", TOKEN_MESSAGES["other-tenant"]!, "token-other-tenant");
    const who = request.params.user;
    let mailbox: Mailbox | undefined;
    if (who === undefined || who === user.id || who.toLowerCase() === user.email.toLowerCase()) mailbox = await store.mailboxes.ownMailbox(user.id);
    else if (who.length <= 320) {
      const other = who.includes("@") ? await store.directory.getUserByEmail(who) : await store.directory.getUser(who);
      mailbox = other ? await store.mailboxes.ownMailbox(other.id) : who.includes("@") ? await store.mailboxes.getByEmail(who) : await store.mailboxes.get(who);
    }
    // Another tenant's user is as unknown as one who does not exist.
    if (!mailbox || mailbox.tenantId !== user.tenantId) throw new GraphError(404, "ErrorInvalidUser", `The requested user '${String(who).slice(0, 100)}' is invalid.`);
    const own = mailbox.ownerUserId === user.id;
    const rights = own ? "owner" : await store.mailboxes.rightsOf(user.id, mailbox.id);
    const decision = decideGraph(op, claims.scopes, { own, rights });
    if (!decision.allowed) throw new GraphError(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.", `${op}:${decision.reason}`);
    const retry = throttle.hit(claims.clientId, mailbox.id);
    if (retry !== undefined) {
      throw Object.assign(new GraphError(429, "ApplicationThrottled", "Application is over its MailboxConcurrency limit."), { retryAfter: retry });
    }
    return { claims, user, mailbox, own, rights, basicOnly: decision.basicOnly };
  };

  const itemIn = async (t: Target, id: string | undefined) => {
    if (!id || !isId(id)) throw notFound();
    const where = await store.items.locate(id);
    if (!where || where.mailboxId !== t.mailbox.id) throw notFound();
    return id;
  };
  const folderIn = async (t: Target, idOrName: string | undefined): Promise<Folder> => {
    if (!idOrName) throw notFound();
    const name = idOrName.toLowerCase() === "deleteditems" || idOrName.toLowerCase() === "sentitems" ? idOrName.toLowerCase() : idOrName;
    const byId = isId(name) ? await store.mailboxes.getFolder(name) : undefined;
    const folder = byId && byId.mailboxId === t.mailbox.id ? byId : await store.mailboxes.resolveFolder(t.mailbox.id, name.toLowerCase());
    if (!folder || folder.mailboxId !== t.mailbox.id) throw new GraphError(404, "ErrorItemNotFound", "The specified folder could not be found in the store.");
    return folder;
  };
  const origin = (request: FastifyRequest) => `${request.protocol}://${request.host}`;
  const shape = (t: Target, m: Record<string, unknown>) => (t.basicOnly ? withoutBody(m) : m);

  /** Registers a route under /v1.0/me and /v1.0/users/:user. */
  const route = (op: GraphOperationId, handler: (request: FastifyRequest<{ Params: P; Querystring: GraphListQueryString; Body: unknown }>, reply: FastifyReply, t: Target) => Promise<unknown>, opts: { bodyLimit?: number } = {}) => {
    const spec = GRAPH_OPERATIONS[op];
    const path = spec.path.replace(/\{(\w+)\}/g, ":$1");
    for (const prefix of [`${V}/me`, `${V}/users/:user`]) {
      app.route<{ Params: P; Querystring: GraphListQueryString; Body: unknown }>({
        method: spec.method,
        url: `${prefix}${path}`,
        ...(opts.bodyLimit ? { bodyLimit: opts.bodyLimit } : {}),
        handler: async (request, reply) => handler(request, reply, await authorize(request, op)),
      });
    }
  };

  // ── Users ──────────────────────────────────────────────────────────────────────────────────────
  route("user.get", async (request, _reply, t) => {
    const basic = !t.claims.scopes.includes("User.Read.All") && !(t.own && t.claims.scopes.includes("User.Read"));
    const owner = t.mailbox.ownerUserId ? await store.directory.getUser(t.mailbox.ownerUserId) : undefined;
    return { "@odata.context": `${origin(request)}${V}/$metadata#users/$entity`, ...userJson(owner ?? t.mailbox, basic) };
  });

  // ── Messages ───────────────────────────────────────────────────────────────────────────────────
  const list = async (request: FastifyRequest<{ Querystring: GraphListQueryString }>, t: Target, path: string, page: (limit: number, offset: number) => Promise<{ items: ItemSummary[]; more: boolean }>) => {
    const q: GraphListQuery = parseGraphListQuery(request.query);
    let rows: Record<string, unknown>[];
    let more: boolean;
    if (!q.filter) {
      const r = await page(q.top, q.skip);
      rows = r.items.map(messageSummaryJson);
      more = r.more;
    } else {
      // $filter: scanned in store order, matched on the Graph JSON; bounded so a filter cannot walk a huge mailbox.
      const matched: Record<string, unknown>[] = [];
      let offset = 0;
      let exhausted = false;
      while (matched.length < q.skip + q.top + 1) {
        if (offset >= FILTER_SCAN_MAX) throw new QueryError("ErrorInvalidRequest", `$filter scanned ${FILTER_SCAN_MAX} messages; narrow it with a folder or $top.`);
        const r = await page(200, offset);
        for (const i of r.items) {
          const json = messageSummaryJson(i);
          if (q.filter(json)) matched.push(json);
        }
        offset += r.items.length;
        if (!r.more || r.items.length === 0) {
          exhausted = true;
          break;
        }
      }
      rows = matched.slice(q.skip, q.skip + q.top);
      more = matched.length > q.skip + q.top || (!exhausted && matched.length >= q.skip + q.top);
    }
    const base = `${origin(request)}${request.url.split("?")[0]}`;
    return {
      "@odata.context": `${origin(request)}${V}/$metadata#users('${t.mailbox.email}')/${path}`,
      value: rows.map((m) => project(shape(t, m), q.select)),
      ...(more ? { "@odata.nextLink": nextLink(base, request.query, q) } : {}),
    };
  };

  route("messages.list", async (request, _reply, t) =>
    list(request, t, "messages", (limit, offset) => {
      const q = parseGraphListQuery({ ...request.query, $filter: undefined });
      return store.items.listMailboxMessages(t.mailbox.id, { limit, offset, orderBy: q.orderBy, descending: q.descending });
    }),
  );
  route("folders.messages", async (request, _reply, t) => {
    const folder = await folderIn(t, request.params.fid);
    const q = parseGraphListQuery({ ...request.query, $filter: undefined });
    return list(request, t, `mailFolders('${folder.id}')/messages`, async (limit, offset) => {
      const r = await store.items.list(folder.id, { limit, offset, orderBy: q.orderBy, descending: q.descending });
      return { items: r.items, more: offset + r.items.length < r.total };
    });
  });

  route("messages.get", async (request, _reply, t) => {
    const id = await itemIn(t, request.params.id);
    const item = await store.items.get(id);
    if (!item) throw notFound();
    const q = parseGraphListQuery({ $select: request.query.$select });
    return project(shape(t, { "@odata.context": `${origin(request)}${V}/$metadata#users('${t.mailbox.email}')/messages/$entity`, ...messageJson(item) }), q.select);
  });

  route("messages.mime", async (request, reply, t) => {
    const id = await itemIn(t, request.params.id);
    const item = (await store.items.get(id))!;
    reply.header("content-type", "text/plain");
    const raw = await store.items.rawMime(id);
    if (raw) return reply.send(blobBody(store.blobs, raw.hash));
    const out = new PassThrough();
    void writeItemAsMime(item, async (aid) => store.items.openAttachment((await store.items.getAttachment(id, aid)) ?? { blobHash: null }), async (chunk) => {
      if (!out.write(chunk)) await new Promise((r) => out.once("drain", r));
    }).then(
      () => out.end(),
      (e) => out.destroy(e),
    );
    return reply.send(out);
  });

  const messageInput = (body: unknown, field = ""): NewItem => {
    const b = (body ?? {}) as Record<string, unknown>;
    const out: NewItem = {};
    try {
      if (b.subject !== undefined) {
        if (typeof b.subject !== "string" || b.subject.length > 255) throw new Error(`${field}subject must be a string of at most 255 characters`);
        out.subject = b.subject;
      }
      if (b.body !== undefined) {
        const bo = b.body as { contentType?: unknown; content?: unknown };
        if (typeof bo?.content !== "string") throw new Error(`${field}body.content must be a string`);
        if (String(bo.contentType ?? "text").toLowerCase() === "html") out.bodyHtml = bo.content;
        else out.bodyText = bo.content;
      }
      const to = parseRecipients(b.toRecipients, `${field}toRecipients`);
      const cc = parseRecipients(b.ccRecipients, `${field}ccRecipients`);
      const bcc = parseRecipients(b.bccRecipients, `${field}bccRecipients`);
      if (to) out.to = to;
      if (cc) out.cc = cc;
      if (bcc) out.bcc = bcc;
      if (b.importance !== undefined) {
        const imp = String(b.importance).toLowerCase();
        if (!["low", "normal", "high"].includes(imp)) throw new Error(`${field}importance must be low, normal or high`);
        out.importance = (imp[0]!.toUpperCase() + imp.slice(1)) as NewItem["importance"];
      }
      if (b.categories !== undefined) {
        if (!Array.isArray(b.categories) || b.categories.some((c) => typeof c !== "string")) throw new Error(`${field}categories must be an array of strings`);
        out.categories = b.categories as string[];
      }
    } catch (e) {
      throw badRequest((e as Error).message);
    }
    return out;
  };

  const createIn = async (t: Target, folder: Folder, body: unknown) => store.items.create(t.mailbox.id, folder.id, { ...messageInput(body), isDraft: true, isRead: true });
  route("messages.create", async (request, reply, t) => reply.code(201).send(messageJson(await createIn(t, await folderIn(t, "drafts"), request.body))));
  route("folders.createMessage", async (request, reply, t) => reply.code(201).send(messageJson(await createIn(t, await folderIn(t, request.params.fid), request.body))));

  route("messages.update", async (request, _reply, t) => {
    const id = await itemIn(t, request.params.id);
    const b = (request.body ?? {}) as Record<string, unknown>;
    const input = messageInput(b);
    const item = await store.items.update(id, {
      ...(input.subject !== undefined ? { subject: input.subject } : {}),
      ...(input.bodyHtml !== undefined ? { bodyHtml: input.bodyHtml, bodyText: null } : {}),
      ...(input.bodyText !== undefined ? { bodyText: input.bodyText, bodyHtml: null } : {}),
      ...(input.to ? { to: input.to } : {}),
      ...(input.cc ? { cc: input.cc } : {}),
      ...(input.bcc ? { bcc: input.bcc } : {}),
      ...(typeof b.isRead === "boolean" ? { isRead: b.isRead } : {}),
      ...(input.categories ? { categories: input.categories } : {}),
      ...(input.importance ? { importance: input.importance } : {}),
    });
    return messageJson(item);
  });

  route("messages.delete", async (request, reply, t) => {
    await store.items.delete(await itemIn(t, request.params.id));
    return reply.code(204).send();
  });

  const destination = async (t: Target, body: unknown) => {
    const d = (body as { destinationId?: unknown })?.destinationId;
    if (typeof d !== "string") throw badRequest("destinationId is required");
    return folderIn(t, d);
  };
  route("messages.move", async (request, reply, t) => {
    const id = await itemIn(t, request.params.id);
    return reply.code(201).send(messageJson(await store.items.move(id, (await destination(t, request.body)).id)));
  });
  route("messages.copy", async (request, reply, t) => {
    const id = await itemIn(t, request.params.id);
    return reply.code(201).send(messageJson(await store.items.copy(id, (await destination(t, request.body)).id)));
  });
  route("messages.send", async (request, reply, t) => {
    const id = await itemIn(t, request.params.id);
    const item = await store.items.get(id);
    if (!item?.isDraft) throw badRequest("Only a draft can be sent.");
    await store.items.send(id);
    return reply.code(202).send();
  });
  route("sendMail", async (request, reply, t) => {
    const b = (request.body ?? {}) as { message?: unknown; saveToSentItems?: unknown };
    if (!b.message || typeof b.message !== "object") throw badRequest("message is required");
    const input = messageInput(b.message, "message.");
    if (!input.to?.length && !input.cc?.length && !input.bcc?.length) throw badRequest("message: at least one recipient is required");
    const draft = await createIn(t, await folderIn(t, "drafts"), b.message);
    await store.items.send(draft.id, { saveCopy: b.saveToSentItems !== false });
    return reply.code(202).send();
  });

  // ── Attachments ────────────────────────────────────────────────────────────────────────────────
  const base64Of = async (stream: AsyncIterable<Buffer | Uint8Array>) => {
    const parts: Buffer[] = [];
    for await (const c of stream) parts.push(Buffer.from(c));
    return Buffer.concat(parts).toString("base64");
  };
  route("attachments.list", async (request, _reply, t) => {
    const id = await itemIn(t, request.params.id);
    const value = [];
    for (const a of await store.items.listAttachments(id)) {
      const full = a.kind === "file" && a.size <= INLINE_ATTACHMENT_MAX ? await store.items.getAttachment(id, a.id) : undefined;
      value.push(attachmentJson(a, full ? await base64Of(store.items.openAttachment(full)) : undefined));
    }
    return { "@odata.context": `${origin(request)}${V}/$metadata#users('${t.mailbox.email}')/messages('${id}')/attachments`, value };
  });
  route("attachments.get", async (request, _reply, t) => {
    const id = await itemIn(t, request.params.id);
    const a = request.params.aid && isId(request.params.aid) ? await store.items.getAttachment(id, request.params.aid) : undefined;
    if (!a) throw notFound();
    return attachmentJson(a, a.kind === "file" ? await base64Of(store.items.openAttachment(a)) : undefined);
  });
  route("attachments.value", async (request, reply, t) => {
    const id = await itemIn(t, request.params.id);
    const a = request.params.aid && isId(request.params.aid) ? await store.items.getAttachment(id, request.params.aid) : undefined;
    if (!a || !a.blobHash) throw notFound();
    reply.header("content-type", a.contentType && /^[\w.+-]+\/[\w.+-]+$/.test(a.contentType) ? a.contentType : "application/octet-stream");
    reply.header("content-length", String(a.size));
    reply.header("content-disposition", `attachment; filename*=UTF-8''${encodeURIComponent(a.name)}`);
    reply.header("x-content-type-options", "nosniff");
    reply.header("content-security-policy", "sandbox; default-src 'none'");
    return reply.send(store.items.attachmentBody(a));
  });
  route(
    "attachments.create",
    async (request, reply, t) => {
      const id = await itemIn(t, request.params.id);
      const b = (request.body ?? {}) as Record<string, unknown>;
      if (b["@odata.type"] !== undefined && b["@odata.type"] !== "#microsoft.graph.fileAttachment") throw badRequest("Only #microsoft.graph.fileAttachment can be created here.");
      if (typeof b.name !== "string" || typeof b.contentBytes !== "string") throw badRequest("name and contentBytes are required");
      const data = Buffer.from(b.contentBytes, "base64");
      if (data.length > INLINE_ATTACHMENT_MAX) throw new GraphError(413, "ErrorAttachmentSizeLimitExceeded", "Attachments over 3 MB must be uploaded with an upload session (createUploadSession).");
      const a = await store.items.addAttachment(id, {
        name: b.name,
        contentType: typeof b.contentType === "string" ? b.contentType : "application/octet-stream",
        data,
        isInline: b.isInline === true,
        contentId: typeof b.contentId === "string" ? b.contentId : null,
      });
      return reply.code(201).send(attachmentJson(a));
    },
    { bodyLimit: 5 * 1024 * 1024 },
  );
  route("attachments.delete", async (request, reply, t) => {
    const id = await itemIn(t, request.params.id);
    if (!request.params.aid || !isId(request.params.aid)) throw notFound();
    await store.items.removeAttachment(id, request.params.aid);
    return reply.code(204).send();
  });

  // Upload sessions: the URL itself is the credential (as in Graph, no Authorization header is sent to it).
  route("attachments.uploadSession", async (request, reply, t) => {
    const id = await itemIn(t, request.params.id);
    const ai = ((request.body ?? {}) as { AttachmentItem?: Record<string, unknown> }).AttachmentItem;
    if (!ai || ai.attachmentType !== "file" || typeof ai.name !== "string" || typeof ai.size !== "number" || !Number.isInteger(ai.size) || ai.size < 1)
      throw badRequest("AttachmentItem with attachmentType 'file', name and size is required");
    if (ai.size > UPLOAD_MAX) throw new GraphError(413, "ErrorAttachmentSizeLimitExceeded", "Attachments are limited to 150 MB.");
    const sid = randomBytes(32).toString("base64url");
    const expires = new Date(Date.now() + 15 * 60 * 1000);
    await store.db.query(
      "INSERT INTO graph_upload_sessions (id, item_id, mailbox_id, name, content_type, size, is_inline, content_id, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
      [sid, id, t.mailbox.id, ai.name.slice(0, 255), typeof ai.contentType === "string" ? ai.contentType : "application/octet-stream", ai.size, ai.isInline === true, typeof ai.contentId === "string" ? ai.contentId : null, expires],
    );
    return reply.code(201).send({
      "@odata.context": `${origin(request)}${V}/$metadata#microsoft.graph.uploadSession`,
      uploadUrl: `${origin(request)}${V}/uploadSessions/${sid}`,
      expirationDateTime: expires.toISOString(),
      nextExpectedRanges: ["0-"],
    });
  });
  app.put<{ Params: { sid: string }; Body: Buffer }>(`${V}/uploadSessions/:sid`, { bodyLimit: 60 * 1024 * 1024 }, async (request, reply) => {
    const { rows } = await store.db.query<{ item_id: string; name: string; content_type: string; size: number; is_inline: boolean; content_id: string | null; received: number; expired: boolean }>(
      "SELECT item_id, name, content_type, size, is_inline, content_id, octet_length(data) AS received, expires_at < now() AS expired FROM graph_upload_sessions WHERE id = $1",
      [request.params.sid],
    );
    const s = rows[0];
    if (!s || s.expired) throw new GraphError(404, "ItemNotFound", "The upload session was not found or has expired.", "upload-session-unknown");
    const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(String(request.headers["content-range"] ?? ""));
    const chunk = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    if (!range) throw badRequest("Content-Range: bytes <start>-<end>/<total> is required");
    const [start, end, total] = [Number(range[1]), Number(range[2]), Number(range[3])];
    if (total !== Number(s.size) || start !== Number(s.received) || end - start + 1 !== chunk.length || end >= total)
      throw new GraphError(416, "InvalidRange", `Expected the range starting at ${s.received} of ${s.size} bytes, with as many bytes as the range names.`);
    const upd = await store.db.query<{ received: number }>("UPDATE graph_upload_sessions SET data = data || $2 WHERE id = $1 AND octet_length(data) = $3 RETURNING octet_length(data) AS received", [request.params.sid, chunk, start]);
    if (!upd.rows.length) throw new GraphError(409, "Conflict", "Another chunk was uploaded at the same time.");
    const received = Number(upd.rows[0]!.received);
    if (received < Number(s.size)) return reply.code(202).send({ expirationDateTime: new Date(Date.now() + 15 * 60 * 1000).toISOString(), nextExpectedRanges: [`${received}-`] });
    const done = await store.db.query<{ data: Buffer }>("DELETE FROM graph_upload_sessions WHERE id = $1 RETURNING data", [request.params.sid]);
    const a = await store.items.addAttachment(s.item_id, { name: s.name, contentType: s.content_type, data: Buffer.from(done.rows[0]!.data), isInline: s.is_inline, contentId: s.content_id });
    return reply.code(201).header("location", `${origin(request)}${V}/me/messages/${s.item_id}/attachments/${a.id}`).send(attachmentJson(a));
  });

  // ── Mail folders ───────────────────────────────────────────────────────────────────────────────
  route("folders.list", async (request, _reply, t) => {
    const root = await folderIn(t, "msgfolderroot");
    const folders = (await store.mailboxes.listFolders(t.mailbox.id, { parentId: root.id })).filter((f) => f.folderClass === "IPF.Note");
    return { "@odata.context": `${origin(request)}${V}/$metadata#users('${t.mailbox.email}')/mailFolders`, value: folders.map(folderJson) };
  });
  route("folders.get", async (_request, _reply, t) => folderJson(await folderIn(t, _request.params.fid)));
  route("folders.children", async (request, _reply, t) => {
    const parent = await folderIn(t, request.params.fid);
    return { value: (await store.mailboxes.listFolders(t.mailbox.id, { parentId: parent.id })).map(folderJson) };
  });
  route("folders.create", async (request, reply, t) => {
    const name = (request.body as { displayName?: unknown })?.displayName;
    if (typeof name !== "string" || !name.trim() || name.length > 255) throw badRequest("displayName is required (at most 255 characters)");
    const root = await folderIn(t, "msgfolderroot");
    return reply.code(201).send(folderJson(await store.mailboxes.createFolder(t.mailbox.id, root.id, name)));
  });

  app.route({ method: ["GET", "POST", "PATCH", "PUT", "DELETE"], url: `${V}/*`, handler: async (request) => {
    throw new GraphError(400, "BadRequest", `Resource not found for the segment '${request.url.split("?")[0]!.split("/").slice(2, 4).join("/").slice(0, 100)}'.`);
  } });
}
