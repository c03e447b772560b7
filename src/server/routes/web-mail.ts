/**
 * Routes the web client needs beyond web-api.ts, under /api/web: sorted message pages, the reading view, the
 * sanitized body document for the mail frame, reply/forward drafts, attachments on drafts, the calendar list,
 * appointments, the add-in bar of an item and reports of what the host page stopped. Same session cookie and the
 * same delegate-rights checks as web-api.ts; state-changing routes take JSON only.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { z } from "zod";
import { MailboxError, rightsCanCreate, rightsCanWrite, type EmailAddress, type Item, type MailboxRights } from "../../mailbox/index.ts";
import { createGovernance, type Governance } from "../../governance/index.ts";
import { loadSessionUser, requireUser } from "../auth/session.ts";
import { Refusal, recordRefusal } from "../errors.ts";
import { addinBar } from "../web/addin-bar.ts";
import { addinsForUser } from "../web/addin-catalog.ts";
import { htmlToText } from "../../activation/index.ts";
import { mailFrameCsp, mailFrameDocument, safeMailHtml } from "../web/mail-html.ts";
import { addinUrlMapper } from "../web/addin-origin.ts";
import { lifecycleOf } from "./lifecycle-http.ts";
import { oceEffect } from "../../tenant/oce.ts";
import { SqlSessionStore } from "../../runtime/sessions/sql-store.ts";
import type { AddinBar, CalendarPage, ItemPage, ItemView } from "../web/api-types.ts";

const ID = /^[A-Za-z0-9_-]{1,100}$/;
const Address = z.object({ name: z.string().max(320).default(""), address: z.string().min(3).max(320) });
const Addresses = z.array(Address).max(500);

const PageQuery = z.object({
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  sort: z.enum(["receivedAt", "subject", "importance", "sentAt"]).default("receivedAt"),
  dir: z.enum(["asc", "desc"]).default("desc"),
});
const Patch = z
  .object({
    subject: z.string().max(255),
    bodyHtml: z.string().max(1_000_000).nullable(),
    bodyText: z.string().max(1_000_000).nullable(),
    to: Addresses,
    cc: Addresses,
    bcc: Addresses,
    requiredAttendees: Addresses,
    optionalAttendees: Addresses,
    location: z.string().max(255).nullable(),
    start: z.iso.datetime({ offset: true }),
    end: z.iso.datetime({ offset: true }),
    isAllDay: z.boolean(),
    importance: z.enum(["low", "normal", "high"]),
    isRead: z.boolean(),
  })
  .partial()
  .strict();
const Respond = z.object({ kind: z.enum(["reply", "replyAll", "forward"]) }).strict();
const NewDraft = z.object({ mailboxId: z.string().regex(ID).optional() }).strict();
const NewAttachment = z.object({ name: z.string().min(1).max(255), contentType: z.string().max(200).default("application/octet-stream"), base64: z.string().max(14_000_000) }).strict();
const NewAppointment = z
  .object({
    subject: z.string().max(255).default(""),
    start: z.iso.datetime({ offset: true }),
    end: z.iso.datetime({ offset: true }),
    location: z.string().max(255).default(""),
    bodyText: z.string().max(100_000).default(""),
    requiredAttendees: Addresses.default([]),
    isAllDay: z.boolean().default(false),
  })
  .strict();
const SecurityReport = z
  .object({
    kind: z.enum(["forged-message", "top-navigation", "parent-access", "unexpected-origin", "csp-violation", "dialog-escape", "other"]),
    addinId: z.string().max(200).optional(),
    origin: z.string().max(300).optional(),
    detail: z.string().max(2000).optional(),
  })
  .strict();

const GovernanceReportBody = z
  .object({
    addinId: z.string().min(1).max(200),
    kind: z.enum(["unresponsive", "initialization-failure"]),
    measured: z.number().min(0).max(86_400).optional(),
    session: z.string().max(100).optional(),
  })
  .strict();

function badRequest(error: z.ZodError, where: string): MailboxError {
  const issue = error.issues[0];
  return new MailboxError("InvalidRequest", `${where}: ${issue?.path.join(".") || "body"}: ${issue?.message ?? "invalid"}`);
}

export default async function webMailRoutes(app: FastifyInstance): Promise<void> {
  const store = app.mailbox;
  let governance: Promise<Governance> | undefined;
  const gov = () => (governance ??= createGovernance(store.db));
  const mapUrl = addinUrlMapper(app);
  const sessions = new SqlSessionStore(store.db);

  app.addHook("onRequest", async (request) => loadSessionUser(request));
  app.setErrorHandler(async (err: Error & { statusCode?: number }, request, reply) => {
    if (err instanceof Refusal) {
      await recordRefusal(request, "web", err);
      return reply.code(err.status).send({ error: { code: err.status === 401 ? "Unauthenticated" : "Forbidden", message: err.status === 401 ? "Sign in first." : "You don't have access to this." } });
    }
    if (err instanceof MailboxError) return reply.code(err.status).send({ error: { code: err.code, message: err.message } });
    if (err.statusCode && err.statusCode < 500) return reply.code(err.statusCode).send({ error: { code: "BadRequest", message: err.message } });
    request.log.error({ err }, "web client request failed");
    return reply.code(500).send({ error: { code: "InternalError", message: "Something went wrong." } });
  });

  const rightsOn = async (request: FastifyRequest, mailboxId: string): Promise<MailboxRights> => {
    const user = requireUser(request);
    const rights = ID.test(mailboxId) ? await store.mailboxes.rightsOf(user.id, mailboxId) : undefined;
    if (!rights) throw new Refusal(403, "no-mailbox-rights");
    return rights;
  };
  const itemFor = async (request: FastifyRequest, id: string, need: "read" | "write") => {
    requireUser(request);
    const where = ID.test(id) ? await store.items.locate(id) : undefined;
    if (!where) throw new MailboxError("NotFound", "item not found");
    const rights = await rightsOn(request, where.mailboxId);
    if (need === "write" && !rightsCanWrite(rights)) throw new Refusal(403, "insufficient-mailbox-rights");
    const item = await store.items.get(id);
    if (!item) throw new MailboxError("NotFound", "item not found");
    return { item, rights };
  };
  const inSent = async (item: Item) => (await store.mailboxes.getFolder(item.folderId))?.wellKnown === "sentitems";
  const draftsOf = async (mailboxId: string) => (await store.mailboxes.resolveFolder(mailboxId, "drafts"))!;
  /** Drafts go to the mailbox the user works in when they may create there, else to their own. */
  const draftMailbox = async (request: FastifyRequest, preferred: string | undefined): Promise<string> => {
    const user = requireUser(request);
    if (preferred && rightsCanCreate(await rightsOn(request, preferred))) return preferred;
    const own = await store.mailboxes.ownMailbox(user.id);
    if (!own) throw new MailboxError("NotFound", "you have no mailbox");
    return own.id;
  };

  const bodyInfo = async (item: Item, allowRemoteImages: boolean, highlights: string[] = []) => {
    if (!item.bodyHtml) return { html: false, doc: mailFrameDocument(item.bodyText ?? "", true), remoteImages: 0, droppedImages: 0 };
    const parts = item.attachments
      .filter((a) => a.contentId)
      .map((a) => ({ contentId: a.contentId!, contentType: a.contentType, size: a.size, load: async () => readAll(store.items.openAttachment((await store.items.getAttachment(item.id, a.id))!)) }));
    const safe = await safeMailHtml(item.bodyHtml, { parts, allowRemoteImages, highlights });
    return { html: true, doc: mailFrameDocument(safe.html, false), remoteImages: safe.remoteImages, droppedImages: safe.droppedImages };
  };

  app.get<{ Params: { fid: string } }>("/folders/:fid/items", async (request): Promise<ItemPage> => {
    const q = PageQuery.safeParse(request.query);
    if (!q.success) throw badRequest(q.error, "query");
    const folder = ID.test(request.params.fid) ? await store.mailboxes.getFolder(request.params.fid) : undefined;
    if (!folder) throw new MailboxError("NotFound", "folder not found");
    await rightsOn(request, folder.mailboxId);
    const page = await store.items.list(folder.id, { offset: q.data.offset, limit: q.data.limit, orderBy: q.data.sort, descending: q.data.dir === "desc" });
    return { items: page.items as never, total: page.total, offset: q.data.offset, limit: q.data.limit };
  });

  app.get<{ Params: { id: string } }>("/items/:id/view", async (request): Promise<ItemView> => {
    const { item, rights } = await itemFor(request, request.params.id, "read");
    const info = await bodyInfo(item, false);
    return { item: item as never, rights, canWrite: rightsCanWrite(rights), inSentItems: await inSent(item), html: info.html, remoteImages: info.remoteImages, droppedImages: info.droppedImages };
  });

  // The mail frame's document: its own CSP (sandbox, no script, images only as allowed), never cached.
  app.get<{ Params: { id: string }; Querystring: { images?: string; highlight?: string } }>("/items/:id/body", async (request, reply) => {
    const { item } = await itemFor(request, request.params.id, "read");
    const allow = request.query.images === "1";
    let highlights: string[] = [];
    if (request.query.highlight === "1" && item.bodyHtml) {
      const bar = await barFor(request, item, "read");
      highlights = bar.entries.flatMap((e) => e.highlights.map((h) => h.text));
    }
    const info = await bodyInfo(item, allow, highlights);
    reply
      .header("Content-Security-Policy", mailFrameCsp(allow))
      // Framed by the client page only (the global default is DENY).
      .header("X-Frame-Options", "SAMEORIGIN")
      .header("X-Content-Type-Options", "nosniff")
      .header("Referrer-Policy", "no-referrer")
      .header("Cache-Control", "private, no-store")
      .type("text/html; charset=utf-8");
    return info.doc;
  });

  const tenantSwitches = async (tenantId: string) => {
    const policy = await lifecycleOf(app).policies.get(tenantId);
    return { irmActivation: policy.irmActivation, legacyTokensEnabled: policy.legacyTokensEnabled };
  };
  const barFor = async (request: FastifyRequest, item: Item, form: "read" | "compose"): Promise<AddinBar> => {
    const user = requireUser(request);
    const mailbox = await store.mailboxes.get(item.mailboxId);
    const isOrganizer = item.itemType === "appointment" && (!item.from || item.from.address.toLowerCase() === mailbox?.email.toLowerCase());
    return addinBar({
      item,
      form,
      inSentItems: await inSent(item),
      isOrganizer,
      addins: await addinsForUser(app, user),
      userId: user.id,
      governance: await gov(),
      ...(await tenantSwitches(user.tenantId)),
      mapUrl,
    });
  };

  app.get<{ Params: { id: string }; Querystring: { form?: string } }>("/items/:id/addins", async (request) => {
    const form = request.query.form === "compose" ? "compose" : "read";
    const { item } = await itemFor(request, request.params.id, "read");
    return barFor(request, item, form);
  });

  app.patch<{ Params: { id: string } }>("/items/:id", async (request) => {
    const body = Patch.safeParse(request.body);
    if (!body.success) throw badRequest(body.error, "item");
    const { item } = await itemFor(request, request.params.id, "write");
    const b = body.data;
    if (item.itemType === "message" && !item.isDraft && Object.keys(b).some((k) => k !== "isRead")) throw new MailboxError("InvalidRequest", "only drafts can be edited");
    return store.items.update(item.id, {
      ...b,
      ...(b.start ? { start: new Date(b.start) } : {}),
      ...(b.end ? { end: new Date(b.end) } : {}),
    } as never);
  });

  app.post("/drafts", async (request, reply) => {
    const body = NewDraft.safeParse(request.body ?? {});
    if (!body.success) throw badRequest(body.error, "draft");
    const user = requireUser(request);
    const mailboxId = await draftMailbox(request, body.data.mailboxId);
    const mailbox = await store.mailboxes.get(mailboxId);
    const from = mailbox?.kind === "shared" ? { name: mailbox.displayName, address: mailbox.email } : { name: user.displayName, address: user.email };
    const draft = await store.items.create(mailboxId, (await draftsOf(mailboxId)).id, { subject: "", bodyHtml: "", from, isDraft: true, isRead: true });
    return reply.code(201).send(draft);
  });

  app.post<{ Params: { id: string } }>("/items/:id/respond", async (request, reply) => {
    const body = Respond.safeParse(request.body);
    if (!body.success) throw badRequest(body.error, "respond");
    const user = requireUser(request);
    const { item } = await itemFor(request, request.params.id, "read");
    const mailboxId = await draftMailbox(request, item.mailboxId);
    const me = (await store.mailboxes.get(mailboxId))?.email.toLowerCase() ?? user.email.toLowerCase();
    const kind = body.data.kind;
    const prefix = kind === "forward" ? "FW: " : "RE: ";
    const subject = (/^(re|fw|fwd):\s/i.test(item.subject) && kind !== "forward" ? item.subject : prefix + item.subject).slice(0, 255);
    const sender: EmailAddress[] = item.from ? [item.from] : [];
    const notMe = (a: EmailAddress) => a.address.toLowerCase() !== me;
    const to = kind === "forward" ? [] : kind === "reply" ? sender : dedupe([...sender, ...item.recipients.to]).filter(notMe);
    const cc = kind === "replyAll" ? dedupe(item.recipients.cc).filter(notMe) : [];
    const quoted = quoteText(item);
    const draft = await store.items.create(mailboxId, (await draftsOf(mailboxId)).id, {
      subject,
      bodyText: `\n\n${quoted}`,
      bodyHtml: null,
      to,
      cc,
      from: { name: user.displayName, address: user.email },
      isDraft: true,
      isRead: true,
      attachments:
        kind === "forward"
          ? await Promise.all(item.attachments.filter((a) => a.kind === "file" && !a.isInline).map(async (a) => ({ name: a.name, contentType: a.contentType, data: await readAll(store.items.openAttachment((await store.items.getAttachment(item.id, a.id))!)) })))
          : [],
    });
    return reply.code(201).send(draft);
  });

  app.post<{ Params: { id: string } }>("/items/:id/attachments", async (request, reply) => {
    const body = NewAttachment.safeParse(request.body);
    if (!body.success) throw badRequest(body.error, "attachment");
    const { item } = await itemFor(request, request.params.id, "write");
    if (!item.isDraft && item.itemType === "message") throw new MailboxError("InvalidRequest", "attachments are added to drafts only");
    const data = Buffer.from(body.data.base64, "base64");
    return reply.code(201).send(await store.items.addAttachment(item.id, { name: body.data.name, contentType: body.data.contentType, data }));
  });

  app.delete<{ Params: { id: string; aid: string } }>("/items/:id/attachments/:aid", async (request, reply) => {
    const { item } = await itemFor(request, request.params.id, "write");
    if (!ID.test(request.params.aid)) throw new MailboxError("NotFound", "attachment not found");
    await store.items.removeAttachment(item.id, request.params.aid);
    return reply.code(204).send();
  });

  app.get<{ Params: { mid: string } }>("/mailboxes/:mid/calendar", async (request): Promise<CalendarPage> => {
    await rightsOn(request, request.params.mid);
    const calendar = await store.mailboxes.resolveFolder(request.params.mid, "calendar");
    if (!calendar) throw new MailboxError("NotFound", "this mailbox has no calendar");
    const page = await store.items.list(calendar.id, { limit: 500 });
    const items = page.items.filter((i) => i.itemType === "appointment").sort((a, b) => (a.start?.getTime() ?? 0) - (b.start?.getTime() ?? 0));
    return { items: items as never, calendarFolderId: calendar.id };
  });

  app.post<{ Params: { mid: string } }>("/mailboxes/:mid/appointments", async (request, reply) => {
    const body = NewAppointment.safeParse(request.body);
    if (!body.success) throw badRequest(body.error, "appointment");
    const user = requireUser(request);
    if (!rightsCanCreate(await rightsOn(request, request.params.mid))) throw new Refusal(403, "insufficient-mailbox-rights");
    const start = new Date(body.data.start);
    const end = new Date(body.data.end);
    if (end < start) throw new MailboxError("InvalidRequest", "appointment: end: must not be before start");
    const calendar = await store.mailboxes.resolveFolder(request.params.mid, "calendar");
    if (!calendar) throw new MailboxError("NotFound", "this mailbox has no calendar");
    const mailbox = await store.mailboxes.get(request.params.mid);
    const appt = await store.items.create(request.params.mid, calendar.id, {
      itemType: "appointment",
      itemClass: "IPM.Appointment",
      subject: body.data.subject,
      bodyText: body.data.bodyText,
      start,
      end,
      location: body.data.location || null,
      isAllDay: body.data.isAllDay,
      requiredAttendees: body.data.requiredAttendees,
      from: mailbox ? { name: mailbox.displayName, address: mailbox.email } : { name: user.displayName, address: user.email },
      isRead: true,
    });
    return reply.code(201).send(appt);
  });

  // What the host page stopped (forged messages, escape attempts, CSP violations): stored as security events.
  app.post("/security-report", async (request, reply) => {
    const body = SecurityReport.safeParse(request.body);
    if (!body.success) throw badRequest(body.error, "report");
    const user = requireUser(request);
    request.log.warn({ surface: "web-client", ...body.data, userId: user.id }, "add-in frame attempt stopped");
    await store.security.record({
      surface: "web-client",
      reason: `addin-${body.data.kind}`,
      tenantId: user.tenantId,
      userId: user.id,
      addinId: body.data.addinId ?? null,
      detail: { origin: body.data.origin, detail: body.data.detail },
    });
    return reply.code(204).send();
  });

  // The host page's watchdog: a task pane that stopped answering its heartbeat (or never started). Governance
  // decides with the tenant's thresholds and may disable the add-in for this user; the answer carries the business
  // bar's sentence. A client can only ever report against its own user's add-ins.
  app.post("/governance/report", async (request) => {
    const body = GovernanceReportBody.safeParse(request.body);
    if (!body.success) throw badRequest(body.error, "report");
    const user = requireUser(request);
    const addin = (await addinsForUser(app, user)).find((a) => a.id === body.data.addinId.toLowerCase());
    if (!addin) throw new MailboxError("NotFound", "no such add-in for you");
    const g = await gov();
    const r = await g.recordEvent({ tenant: user.tenantId, user: user.id, addinId: addin.id, addinName: addin.name, kind: body.data.kind, measured: body.data.measured, client: "web", ...(body.data.session ? { session: body.data.session } : {}) });
    request.log.warn({ addinId: addin.id, kind: body.data.kind, measured: body.data.measured, disabled: r.disabled }, "add-in governance report from the web client");
    return { disabled: r.disabled, text: r.event?.text ?? null };
  });

  // The client page's CSP reports (report-uri): a blocked script or frame on a client page is worth a record.
  app.addContentTypeParser(["application/csp-report", "application/reports+json"], { parseAs: "string", bodyLimit: 16 * 1024 }, (_req, body, done) => {
    try {
      done(null, JSON.parse(String(body)));
    } catch {
      done(null, {});
    }
  });
  app.post("/csp-report", async (request, reply) => {
    const report = ((request.body as { "csp-report"?: Record<string, unknown> } | undefined)?.["csp-report"] ?? {}) as Record<string, unknown>;
    const detail = { directive: String(report["violated-directive"] ?? report["effective-directive"] ?? "").slice(0, 200), blocked: String(report["blocked-uri"] ?? "").slice(0, 300), page: String(report["document-uri"] ?? "").slice(0, 300) };
    request.log.warn({ surface: "web-client", ...detail }, "client page CSP violation");
    if (request.sessionUser) {
      await store.security.record({ surface: "web-client", reason: "addin-csp-violation", tenantId: request.sessionUser.tenantId, userId: request.sessionUser.id, detail });
    }
    return reply.code(204).send();
  });

  // What an add-in asked of the host's UI in a bridge session: notification messages for the info bar and the
  // forms it asked to open (displayNewMessageForm, displayReplyForm…). Only the session's own user may read it.
  app.get<{ Params: { id: string } }>("/bridge-sessions/:id/host-state", async (request) => {
    const user = requireUser(request);
    const session = /^[A-Za-z0-9_-]{16,64}$/.test(request.params.id) ? await sessions.get(request.params.id) : undefined;
    if (!session || session === "expired" || session.spec.userId !== user.id) throw new MailboxError("NotFound", "no such add-in session");
    return {
      addinId: session.spec.addinId,
      itemId: session.spec.itemId,
      notifications: [...session.state.notifications].map(([key, m]) => ({ key, ...m })),
      displayedForms: session.state.host.displayedForms,
    };
  });

  // What the client shows: "Get add-ins" only when this user may install and the platform's store is on.
  app.get("/client-config", async (request) => {
    const user = requireUser(request);
    try {
      const policy = await lifecycleOf(app).policies.get(user.tenantId);
      const oce = oceEffect(policy.optionalConnectedExperiences, "web");
      const thresholds = await (await gov()).thresholdsFor(user.tenantId);
      return { storeEnabled: oce.store && oce.userInstalls && !policy.blockUserInstalls, userInstalls: oce.userInstalls && !policy.blockUserInstalls, unresponsiveSeconds: thresholds.UnresponsiveSeconds };
    } catch (err) {
      request.log.warn({ err }, "tenant policy unavailable; the store stays visible");
      return { storeEnabled: true, userInstalls: true, unresponsiveSeconds: 5 };
    }
  });

  app.get("/security-events", async (request) => {
    const user = requireUser(request);
    const events = await store.security.list({ tenantId: user.tenantId, limit: 200 });
    return { value: events.filter((e) => e.userId === user.id && e.surface === "web-client") };
  });
}

function dedupe(list: EmailAddress[]): EmailAddress[] {
  const seen = new Set<string>();
  return list.filter((a) => !seen.has(a.address.toLowerCase()) && seen.add(a.address.toLowerCase()));
}

/** The original under a reply or forward, as text: the compose form edits plain text, never the sender's HTML. */
function quoteText(item: Item): string {
  const who = item.from ? `${item.from.name || item.from.address} <${item.from.address}>` : "";
  const when = (item.sentAt ?? item.receivedAt)?.toUTCString() ?? "";
  const body = item.bodyText ?? (item.bodyHtml ? htmlToText(item.bodyHtml) : "");
  return `-----Original message-----\nFrom: ${who}\nSent: ${when}\nSubject: ${item.subject}\n\n${body.split("\n").map((l) => `> ${l}`).join("\n")}`.slice(0, 900_000);
}

async function readAll(stream: NodeJS.ReadableStream | AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const c of stream as AsyncIterable<Uint8Array>) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks);
}
