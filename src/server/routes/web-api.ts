import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { MailboxError, blobBody, rightsCanCreate, rightsCanWrite, type MailboxRights } from "../../mailbox/index.ts";
import { SESSION_COOKIE, loadSessionUser, requireAdmin, requireUser, setSessionCookie } from "../auth/session.ts";
import { Refusal, recordRefusal, setDownloadHeaders } from "../errors.ts";
import { queryInteger } from "../rest/query.ts";
import { SignInLimiter, accountKey, type SignInAttempt } from "../security/sign-in-limits.ts";

type P = { mid: string; fid: string; id: string; aid: string };

/**
 * JSON API for Outpost's own web client: session-cookie authentication (signed, HttpOnly, SameSite=Strict),
 * mailbox browsing with delegate rights enforced, admin views. State-changing routes take JSON only, which with
 * SameSite=Strict closes the cross-site form route.
 */
export default async function webApiRoutes(app: FastifyInstance): Promise<void> {
  const store = app.mailbox;
  app.addHook("onRequest", async (request) => loadSessionUser(request));

  app.setErrorHandler(async (err: Error & { statusCode?: number }, request, reply) => {
    if (err instanceof Refusal) {
      await recordRefusal(request, "web", err);
      return reply.code(err.status).send({ error: { code: err.status === 401 ? "Unauthenticated" : "Forbidden", message: err.status === 401 ? "Sign in first." : "You don't have access to this." } });
    }
    if (err instanceof MailboxError) return reply.code(err.status).send({ error: { code: err.code, message: err.message } });
    if (err.statusCode && err.statusCode < 500) return reply.code(err.statusCode).send({ error: { code: "BadRequest", message: err.message } });
    request.log.error({ err }, "web API request failed");
    return reply.code(500).send({ error: { code: "InternalError", message: "Something went wrong." } });
  });

  const rightsOn = async (request: FastifyRequest, mailboxId: string, need: "read" | "write" | "create"): Promise<MailboxRights> => {
    const user = requireUser(request);
    const rights = /^[A-Za-z0-9_-]{1,100}$/.test(mailboxId) ? await store.mailboxes.rightsOf(user.id, mailboxId) : undefined;
    if (!rights) {
      // "Not yours" answers exactly as "not there": another tenant's ids and addresses cannot be told from unknown ones.
      await recordRefusal(request, "web", new Refusal(403, "no-mailbox-rights"));
      throw new MailboxError("NotFound", "not found");
    }
    if (need === "write" && !rightsCanWrite(rights)) throw new Refusal(403, "insufficient-mailbox-rights");
    if (need === "create" && !rightsCanCreate(rights)) throw new Refusal(403, "insufficient-mailbox-rights");
    return rights;
  };
  const itemFor = async (request: FastifyRequest, id: string, need: "read" | "write") => {
    requireUser(request);
    const where = /^[A-Za-z0-9_-]{1,100}$/.test(id) ? await store.items.locate(id) : undefined;
    if (!where) throw new MailboxError("NotFound", "not found");
    await rightsOn(request, where.mailboxId, need);
    return where;
  };
  const folderFor = async (request: FastifyRequest, id: string, need: "read" | "write" | "create") => {
    requireUser(request);
    const folder = /^[A-Za-z0-9_-]{1,100}$/.test(id) ? await store.mailboxes.getFolder(id) : undefined;
    if (!folder) throw new MailboxError("NotFound", "not found");
    await rightsOn(request, folder.mailboxId, need);
    return folder;
  };

  // Counters in the database: every app server on it shares them (src/server/security/sign-in-limits.ts).
  const limiter = new SignInLimiter(store.db, app.outpost.signInLimits);
  type Known = Awaited<ReturnType<typeof store.directory.getUserByEmail>>;
  /** Stores a sign-in event under the account's tenant (when the address is known), so that tenant's admins see it. */
  const recordSignIn = async (request: FastifyRequest, known: Known, reason: string, email: string, extra: Record<string, unknown> = {}) => {
    request.log.warn({ surface: "sign-in", reason, ip: request.ip, userId: known?.id }, "sign-in refused");
    await store.security
      .record({ surface: "sign-in", reason, tenantId: known?.tenantId ?? null, userId: known?.id ?? null, detail: { email: email.slice(0, 320), ip: request.ip, ...extra } })
      .catch((err) => request.log.error({ err }, "could not store security event"));
  };
  /** Checks a password under the sign-in limits; answers 429 (throttled) or 401 itself and returns undefined then. */
  const checkPassword = async (request: FastifyRequest, reply: FastifyReply, email: string, password: string) => {
    const known = await store.directory.getUserByEmail(email).catch(() => undefined);
    const attempt: SignInAttempt = { account: accountKey(email), tenantId: known?.tenantId, address: request.ip };
    const admitted = await limiter.admit(attempt);
    if (!admitted.ok) {
      await recordSignIn(request, known, "sign-in-throttled", email, { limit: admitted.limit, retryAfterSec: admitted.retryAfterSec });
      reply.code(429).header("Retry-After", String(admitted.retryAfterSec)).send({ error: { code: "TooManyAttempts", message: `Too many failed sign-ins; try again in ${admitted.retryAfterSec} seconds.` } });
      return undefined;
    }
    const user = await store.directory.authenticate(email, password);
    if (!user) {
      await limiter.failed(attempt);
      await recordSignIn(request, known, "bad-credentials", email);
      reply.code(401).send({ error: { code: "BadCredentials", message: "Wrong address or password." } });
      return undefined;
    }
    await limiter.succeeded(attempt);
    return user;
  };

  app.post<{ Body: { email?: unknown; password?: unknown } }>("/session", async (request, reply) => {
    const { email, password } = request.body ?? {};
    if (typeof email !== "string" || typeof password !== "string" || email.length > 320 || password.length > 1024) throw new MailboxError("InvalidRequest", "email and password are required");
    const user = await checkPassword(request, reply, email, password);
    if (!user) return reply;
    const session = await store.directory.createSession(user.id);
    setSessionCookie(request, reply, session.id, session.expiresAt);
    return { user };
  });

  // A new password ends every other sign-in session of the user (and with them the bridge sessions they opened).
  app.post<{ Body: { currentPassword?: unknown; newPassword?: unknown } }>("/session/password", async (request, reply) => {
    const me = requireUser(request);
    const { currentPassword, newPassword } = request.body ?? {};
    if (typeof currentPassword !== "string" || currentPassword.length > 1024) throw new MailboxError("InvalidRequest", "currentPassword is required");
    if (typeof newPassword !== "string" || newPassword.length < 8 || newPassword.length > 1024) throw new MailboxError("InvalidRequest", "newPassword must be 8 to 1024 characters");
    const user = await checkPassword(request, reply, me.email, currentPassword);
    if (!user) return reply;
    await store.directory.setPassword(user.id, newPassword);
    await store.security.record({ surface: "sign-in", reason: "password-changed", tenantId: user.tenantId, userId: user.id, detail: { ip: request.ip } });
    const session = await store.directory.createSession(user.id);
    setSessionCookie(request, reply, session.id, session.expiresAt);
    return reply.code(204).send();
  });

  app.get("/session", async (request) => {
    const user = requireUser(request);
    return { user, mailboxes: await store.mailboxes.listForUser(user.id) };
  });

  app.delete("/session", async (request, reply) => {
    const raw = request.cookies[SESSION_COOKIE];
    const unsigned = raw ? request.unsignCookie(raw) : undefined;
    if (unsigned?.valid && unsigned.value) await store.directory.deleteSession(unsigned.value);
    reply.clearCookie(SESSION_COOKIE, { path: "/" });
    return reply.code(204).send();
  });

  app.get("/mailboxes", async (request) => ({ value: await store.mailboxes.listForUser(requireUser(request).id) }));

  app.get<{ Params: P }>("/mailboxes/:mid/folders", async (request) => {
    await rightsOn(request, request.params.mid, "read");
    return { value: await store.mailboxes.listFolders(request.params.mid) };
  });

  app.post<{ Params: P; Body: { parentId?: unknown; displayName?: unknown } }>("/mailboxes/:mid/folders", async (request, reply) => {
    await rightsOn(request, request.params.mid, "write");
    const { parentId, displayName } = request.body ?? {};
    if (typeof displayName !== "string") throw new MailboxError("InvalidRequest", "displayName is required");
    const parent = typeof parentId === "string" ? parentId : (await store.mailboxes.resolveFolder(request.params.mid, "msgfolderroot"))!.id;
    return reply.code(201).send(await store.mailboxes.createFolder(request.params.mid, parent, displayName));
  });

  app.get<{ Params: P; Querystring: { offset?: string; limit?: string } }>("/folders/:fid/items", async (request) => {
    const folder = await folderFor(request, request.params.fid, "read");
    return store.items.list(folder.id, { offset: queryInteger(request.query.offset, "offset", 0, 0, 1_000_000), limit: queryInteger(request.query.limit, "limit", 50, 1, 1000) });
  });

  app.post<{ Params: P; Body: Record<string, unknown> }>("/folders/:fid/items", async (request, reply) => {
    const folder = await folderFor(request, request.params.fid, "create");
    const b = request.body ?? {};
    const user = requireUser(request);
    const item = await store.items.create(folder.mailboxId, folder.id, {
      subject: typeof b.subject === "string" ? b.subject : "",
      bodyText: typeof b.bodyText === "string" ? b.bodyText : null,
      bodyHtml: typeof b.bodyHtml === "string" ? b.bodyHtml : null,
      to: addresses(b.to, "to"),
      cc: addresses(b.cc, "cc"),
      from: { name: user.displayName, address: user.email },
      isDraft: true,
    });
    return reply.code(201).send(item);
  });

  app.get<{ Params: P }>("/items/:id", async (request) => {
    await itemFor(request, request.params.id, "read");
    return store.items.get(request.params.id);
  });

  app.patch<{ Params: P; Body: Record<string, unknown> }>("/items/:id", async (request) => {
    await itemFor(request, request.params.id, "write");
    const b = request.body ?? {};
    return store.items.update(request.params.id, {
      ...(typeof b.isRead === "boolean" ? { isRead: b.isRead } : {}),
      ...(typeof b.subject === "string" ? { subject: b.subject } : {}),
      ...(typeof b.bodyText === "string" ? { bodyText: b.bodyText } : {}),
      ...(typeof b.bodyHtml === "string" ? { bodyHtml: b.bodyHtml } : {}),
      ...(Array.isArray(b.categories) ? { categories: b.categories.filter((c): c is string => typeof c === "string") } : {}),
      ...(b.to !== undefined ? { to: addresses(b.to, "to") } : {}),
      ...(b.cc !== undefined ? { cc: addresses(b.cc, "cc") } : {}),
    });
  });

  app.post<{ Params: P; Body: { folderId?: unknown } }>("/items/:id/move", async (request) => {
    const where = await itemFor(request, request.params.id, "write");
    if (typeof request.body?.folderId !== "string") throw new MailboxError("InvalidRequest", "folderId is required");
    const dest = await folderFor(request, request.body.folderId, "write");
    if (dest.mailboxId !== where.mailboxId) throw new MailboxError("InvalidRequest", "items move within their mailbox");
    return store.items.move(request.params.id, dest.id);
  });

  app.post<{ Params: P }>("/items/:id/send", async (request) => {
    await itemFor(request, request.params.id, "write");
    return store.items.send(request.params.id);
  });

  app.delete<{ Params: P }>("/items/:id", async (request, reply) => {
    await itemFor(request, request.params.id, "write");
    await store.items.delete(request.params.id);
    return reply.code(204).send();
  });

  app.get<{ Params: P }>("/items/:id/attachments/:aid/content", async (request, reply) => {
    await itemFor(request, request.params.id, "read");
    const a = await store.items.getAttachment(request.params.id, request.params.aid);
    if (!a?.blobHash) throw new MailboxError("NotFound", "attachment not found");
    setDownloadHeaders(reply, a.name, a.contentType, a.size);
    return reply.send(store.items.attachmentBody(a));
  });

  app.get<{ Params: P }>("/items/:id/mime", async (request, reply) => {
    await itemFor(request, request.params.id, "read");
    const raw = await store.items.rawMime(request.params.id);
    if (!raw) throw new MailboxError("NotFound", "this item has no stored MIME (export writes one)");
    setDownloadHeaders(reply, `${request.params.id}.eml`, "message/rfc822", raw.size);
    return reply.send(blobBody(store.blobs, raw.hash));
  });

  // ---- admin (own tenant only) ----

  app.get<{ Querystring: { limit?: string } }>("/admin/security-events", async (request) => {
    const admin = requireAdmin(request);
    return { value: await store.security.list({ tenantId: admin.tenantId, limit: queryInteger(request.query.limit, "limit", 100, 1, 1000) }) };
  });

  // The sign-in throttle's live counters for the admin's tenant: who is failing, from where, who is blocked until when.
  app.get<{ Querystring: { limit?: string } }>("/admin/sign-in-limits", async (request) => {
    const admin = requireAdmin(request);
    return { value: await limiter.list(admin.tenantId, queryInteger(request.query.limit, "limit", 200, 1, 1000)) };
  });

  app.get("/admin/users", async (request) => {
    const admin = requireAdmin(request);
    return { value: await store.directory.listUsers(admin.tenantId) };
  });

  app.get("/admin/tenant", async (request) => {
    const admin = requireAdmin(request);
    return store.directory.getTenant(admin.tenantId);
  });

  app.patch<{ Body: { legacyTokensEnabled?: unknown } }>("/admin/tenant", async (request) => {
    const admin = requireAdmin(request);
    if (typeof request.body?.legacyTokensEnabled !== "boolean") throw new MailboxError("InvalidRequest", "legacyTokensEnabled must be true or false");
    const before = await store.directory.getTenant(admin.tenantId);
    await store.directory.setLegacyTokensEnabled(admin.tenantId, request.body.legacyTokensEnabled);
    // Policy changes are events: who changed what, from which value to which, kept with the tenant's other events.
    await store.security.record({
      surface: "admin",
      reason: "policy-changed",
      tenantId: admin.tenantId,
      userId: admin.id,
      detail: { policy: "legacyTokensEnabled", from: before?.legacyTokensEnabled ?? null, to: request.body.legacyTokensEnabled, ip: request.ip },
    });
    request.log.info({ tenantId: admin.tenantId, legacyTokensEnabled: request.body.legacyTokensEnabled, by: admin.id }, "tenant token switch changed");
    return store.directory.getTenant(admin.tenantId);
  });
}

function addresses(v: unknown, field: string) {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new MailboxError("InvalidRequest", `${field} must be an array`);
  return v.map((a, i) => {
    if (typeof a === "string") return { name: "", address: a };
    const o = a as { name?: unknown; address?: unknown };
    if (typeof o?.address !== "string") throw new MailboxError("InvalidRequest", `${field}[${i}].address must be a string`);
    return { name: typeof o.name === "string" ? o.name : "", address: o.address };
  });
}
