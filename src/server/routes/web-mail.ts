/**
 * Routes the web client needs beyond web-api.ts, under /api/web: sorted message pages, the reading view, the
 * sanitized body document for the mail frame, reply/forward drafts, attachments on drafts, the calendar list,
 * appointments, the add-in bar of an item and reports of what the host page stopped. Same session cookie and the
 * same delegate-rights checks as web-api.ts; state-changing routes take JSON only.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { z } from "zod";
import { LIMITS, MailboxError, rightsCanCreate, rightsCanWrite, type EmailAddress, type Item, type MailboxRights } from "../../mailbox/index.ts";
import { createGovernance, type Governance } from "../../governance/index.ts";
import { loadSessionUser, requireUser } from "../auth/session.ts";
import { Refusal, recordRefusal } from "../errors.ts";
import { addinBar } from "../web/addin-bar.ts";
import { addinsForUser } from "../web/addin-catalog.ts";
import { htmlToText } from "../../activation/index.ts";
import { escapeHtml, mailFrameCsp, mailFrameDocument, safeMailHtml } from "../web/mail-html.ts";
import { addinUrlMapper } from "../web/addin-origin.ts";
import { lifecycleOf } from "./lifecycle-http.ts";
import { oceEffect } from "../../tenant/oce.ts";
import type { AddinBar, CalendarPage, ItemPage, ItemView } from "../web/api-types.ts";
import { checkAppointmentForm, checkMessageForm, type FormAttachment, type NewAppointmentFormRecord } from "../../runtime/members/mailbox-forms.ts";
import { OfficeCallError } from "../../runtime/members/context.ts";
import { fetchAttachment } from "../../runtime/members/attachment-fetch.ts";
import type { Session } from "../../runtime/session.ts";
import { writeItemAsMime } from "../../mailbox/mime/build.ts";

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
  const sessions = app.bridgeSessions;

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
    if (!rights) {
      // "Not yours" answers exactly as "not there" (issue 12): the refusal is stored, the answer is a 404.
      await recordRefusal(request, "web", new Refusal(403, "no-mailbox-rights"));
      throw new MailboxError("NotFound", "not found");
    }
    return rights;
  };
  const itemFor = async (request: FastifyRequest, id: string, need: "read" | "write") => {
    requireUser(request);
    const where = ID.test(id) ? await store.items.locate(id) : undefined;
    if (!where) throw new MailboxError("NotFound", "not found");
    const rights = await rightsOn(request, where.mailboxId);
    if (need === "write" && !rightsCanWrite(rights)) throw new Refusal(403, "insufficient-mailbox-rights");
    const item = await store.items.get(id);
    if (!item) throw new MailboxError("NotFound", "not found");
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
    if (!item.bodyHtml) {
      const text = item.bodyText ?? "";
      const doc = highlights.length ? mailFrameDocument(`<pre class="plain">${highlightPlain(text, highlights)}</pre>`, false) : mailFrameDocument(text, true);
      return { html: false, doc, remoteImages: 0, droppedImages: 0 };
    }
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
    if (request.query.highlight === "1") {
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

  /** A reply, reply all or forward draft of `item` in the mailbox the user works in, the original quoted as text. */
  const respondTo = async (request: FastifyRequest, item: Item, kind: "reply" | "replyAll" | "forward", above = "", extra: Array<{ name: string; contentType: string; data: Uint8Array; kind?: "file" | "item" }> = []) => {
    const user = requireUser(request);
    const mailboxId = await draftMailbox(request, item.mailboxId);
    const me = (await store.mailboxes.get(mailboxId))?.email.toLowerCase() ?? user.email.toLowerCase();
    const prefix = kind === "forward" ? "FW: " : "RE: ";
    const subject = (/^(re|fw|fwd):\s/i.test(item.subject) && kind !== "forward" ? item.subject : prefix + item.subject).slice(0, 255);
    const sender: EmailAddress[] = item.from ? [item.from] : [];
    const notMe = (a: EmailAddress) => a.address.toLowerCase() !== me;
    const to = kind === "forward" ? [] : kind === "reply" ? sender : dedupe([...sender, ...item.recipients.to]).filter(notMe);
    const cc = kind === "replyAll" ? dedupe(item.recipients.cc).filter(notMe) : [];
    const quoted = quoteText(item);
    return store.items.create(mailboxId, (await draftsOf(mailboxId)).id, {
      subject,
      bodyText: `${above}\n\n${quoted}`.slice(0, 1_000_000),
      bodyHtml: null,
      to,
      cc,
      from: { name: user.displayName, address: user.email },
      isDraft: true,
      isRead: true,
      attachments: [
        ...(kind === "forward"
          ? await Promise.all(item.attachments.filter((a) => a.kind === "file" && !a.isInline).map(async (a) => ({ name: a.name, contentType: a.contentType, data: await readAll(store.items.openAttachment((await store.items.getAttachment(item.id, a.id))!)) })))
          : []),
        ...extra,
      ],
    });
  };

  app.post<{ Params: { id: string } }>("/items/:id/respond", async (request, reply) => {
    const body = Respond.safeParse(request.body);
    if (!body.success) throw badRequest(body.error, "respond");
    const { item } = await itemFor(request, request.params.id, "read");
    return reply.code(201).send(await respondTo(request, item, body.data.kind));
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

  // A display*Form call the bridge accepted (displayNewMessageForm, displayReplyForm, displayNewAppointmentForm, …):
  // the host page hands over what the add-in passed and the client opens the form. The bridge session must be the
  // user's and hold an accepted, not yet opened record of exactly this call (the server checked permission and
  // limits when it ran): a form opens once per accepted call, never for a refused one or one the add-in did not make.
  app.post("/addin-forms", async (request, reply): Promise<AddinFormResult | void> => {
    const body = AddinFormBody.safeParse(request.body);
    if (!body.success) throw badRequest(body.error, "form");
    const user = requireUser(request);
    const session = await sessions.get(body.data.session);
    if (!session || session === "expired" || session.spec.userId !== user.id) throw new MailboxError("NotFound", "form: session: no such add-in session");
    if (!(await store.mailboxes.rightsOf(user.id, session.spec.mailboxId))) throw new Refusal(403, "no-mailbox-rights");
    const kind = formKind(body.data.member);
    const data = body.data.args[0];
    let expected: Record<string, unknown>;
    try {
      expected = expectedRecord(kind, data, session.spec.itemId);
    } catch (e) {
      throw new MailboxError("InvalidRequest", `form: args[0]: ${e instanceof OfficeCallError ? (e.thrown ?? e.error.message) : "invalid"}`);
    }
    const records = session.state.host.displayedForms;
    const opened = (openedForms.get(session.id) ?? new Set<string>());
    let index = -1;
    for (let i = records.length - 1; i >= 0; i--) {
      const r = records[i]!;
      if (opened.has(`${i}:${String(r.at)}`) || r.displayed !== true) continue;
      if (sameRecord(r, expected)) {
        index = i;
        break;
      }
    }
    if (index < 0) return reply.code(409).send({ error: { code: "NoAcceptedCall", message: `form: the add-in session has no accepted ${body.data.member} call with these parameters that is not open already` } });
    opened.add(`${index}:${String(records[index]!.at)}`);
    openedForms.delete(session.id);
    openedForms.set(session.id, opened);
    if (openedForms.size > 5000) openedForms.delete(openedForms.keys().next().value!);

    if (kind === "message" || kind === "appointment") {
      const { item } = await itemFor(request, String(expected.itemId), "read");
      return { kind: "read", itemId: item.id, itemType: item.itemType === "appointment" ? "appointment" : "message" };
    }
    if (kind === "newAppointment") {
      const p = data as Record<string, unknown> | undefined;
      const e = expected as unknown as NewAppointmentFormRecord;
      const people = (v: unknown) => formAddresses(v);
      return {
        kind: "appointment",
        prefill: {
          subject: e.subject,
          location: e.location,
          ...(e.start ? { start: e.start } : {}),
          ...(e.end ? { end: e.end } : {}),
          attendees: [...people(p?.requiredAttendees), ...people(p?.optionalAttendees)],
          body: typeof p?.body === "string" ? p.body : "",
        },
      };
    }
    const skipped: string[] = [];
    const files = await formAttachments(session, (expected.attachments ?? []) as FormAttachment[], skipped);
    if (kind === "reply" || kind === "replyAll") {
      const { item } = await itemFor(request, session.spec.itemId ?? "", "read");
      const html = typeof data === "string" ? data : ((data as { htmlBody?: string }).htmlBody ?? "");
      const draft = await respondTo(request, item, kind, html ? htmlToText(html) : "", files);
      return { kind: "compose", itemId: draft.id, skipped };
    }
    const p = (data ?? {}) as Record<string, unknown>;
    const mailboxId = await draftMailbox(request, session.spec.mailboxId);
    const mailbox = await store.mailboxes.get(mailboxId);
    const from = mailbox?.kind === "shared" ? { name: mailbox.displayName, address: mailbox.email } : { name: user.displayName, address: user.email };
    const draft = await store.items.create(mailboxId, (await draftsOf(mailboxId)).id, {
      subject: String(expected.subject ?? ""),
      bodyText: typeof p.htmlBody === "string" ? htmlToText(p.htmlBody) : "",
      bodyHtml: null,
      to: formAddresses(p.toRecipients),
      cc: formAddresses(p.ccRecipients),
      bcc: formAddresses(p.bccRecipients),
      from,
      isDraft: true,
      isRead: true,
      attachments: files,
    });
    return reply.code(201).send({ kind: "compose", itemId: draft.id, skipped });
  });

  /** The form's attachments: items of the session's mailbox as .eml, files from the URL under the fetch policy. */
  const formAttachments = async (session: Session, list: FormAttachment[], skipped: string[]) => {
    const out: Array<{ name: string; contentType: string; data: Uint8Array; kind?: "file" | "item" }> = [];
    for (const a of list) {
      try {
        if (a.type === "item") {
          const it = a.itemId ? await store.items.get(a.itemId) : undefined;
          if (!it || it.mailboxId !== session.spec.mailboxId) throw new Error("not in this mailbox");
          out.push({ name: a.name.endsWith(".eml") ? a.name : `${a.name}.eml`, contentType: "message/rfc822", data: await mimeOf(it), kind: "item" });
        } else {
          // As addFileAttachmentAsync: https to the add-in's AppDomains only, public addresses only, 25 MB.
          const f = await fetchAttachment(a.url!, { appDomains: session.spec.activation?.appDomains ?? [], maxBytes: LIMITS.attachmentBytes, timeoutMs: 15_000 });
          out.push({ name: a.name, contentType: f.contentType, data: f.data });
        }
      } catch {
        skipped.push(a.name);
      }
    }
    return out;
  };
  const mimeOf = async (item: Item): Promise<Uint8Array> => {
    const raw = await store.items.rawMime(item.id);
    if (raw) return readAll(store.blobs.open(raw.hash) as AsyncIterable<Uint8Array>);
    const chunks: Buffer[] = [];
    await writeItemAsMime(
      item,
      async (attachmentId) => store.items.openAttachment((await store.items.getAttachment(item.id, attachmentId)) ?? { blobHash: null }),
      async (c) => void chunks.push(typeof c === "string" ? Buffer.from(c, "utf8") : Buffer.from(c)),
    );
    return Buffer.concat(chunks);
  };

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

/** What the client does after an accepted display*Form call. */
export type AddinFormResult =
  | { kind: "compose"; itemId: string; skipped: string[] }
  | { kind: "read"; itemId: string; itemType: "message" | "appointment" }
  | { kind: "appointment"; prefill: { subject: string; location: string; start?: string; end?: string; attendees: EmailAddress[]; body: string } };

type FormKind = "newMessage" | "newAppointment" | "message" | "appointment" | "reply" | "replyAll";
const DISPLAY_FORM = /^Office\.context\.mailbox\.(?:display(New)?(Message|Appointment)Form|item\.displayReply(All)?Form)(?:Async)?$/;
const AddinFormBody = z
  .object({
    session: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/),
    member: z.string().regex(DISPLAY_FORM, "not a display*Form member"),
    args: z.array(z.unknown()).min(1).max(3),
  })
  .strict();
/** Session id → records of its displayedForms already opened (index:at). */
const openedForms = new Map<string, Set<string>>();

function formKind(member: string): FormKind {
  const m = DISPLAY_FORM.exec(member)!;
  if (member.includes(".item.displayReply")) return m[3] ? "replyAll" : "reply";
  if (m[2] === "Message") return m[1] ? "newMessage" : "message";
  return m[1] ? "newAppointment" : "appointment";
}

/** The record the member wrote into the session when the server accepted the call (src/runtime/members). */
function expectedRecord(kind: FormKind, data: unknown, itemId: string | null): Record<string, unknown> {
  switch (kind) {
    case "newMessage":
      return { ...checkMessageForm(data) };
    case "newAppointment":
      return { ...checkAppointmentForm(data) };
    case "message":
    case "appointment":
      return { form: kind, itemId: typeof data === "string" ? data : null };
    default: {
      const d = typeof data === "string" ? { htmlBody: data } : ((data ?? {}) as { htmlBody?: unknown; attachments?: unknown });
      if (typeof d !== "object" || (d.htmlBody !== undefined && typeof d.htmlBody !== "string")) throw new OfficeCallError(9031);
      return { form: kind, itemId, bodyChars: ((d.htmlBody as string | undefined) ?? "").length, attachments: Array.isArray(d.attachments) ? d.attachments : [] };
    }
  }
}

function canonicalJson(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (x && typeof x === "object" && !Array.isArray(x) ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))) : x));
}

function sameRecord(record: Record<string, unknown>, expected: Record<string, unknown>): boolean {
  return Object.keys(expected).every((k) => canonicalJson(record[k]) === canonicalJson(expected[k]));
}

/** Form recipients as Outlook takes them: "a@b" or {emailAddress, displayName}. */
function formAddresses(v: unknown): EmailAddress[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((r) => {
    if (typeof r === "string") return [{ name: "", address: r }];
    if (r && typeof r === "object" && typeof (r as { emailAddress?: unknown }).emailAddress === "string") {
      const o = r as { emailAddress: string; displayName?: unknown };
      return [{ name: typeof o.displayName === "string" ? o.displayName : "", address: o.emailAddress }];
    }
    return [];
  });
}

/** A plain-text body, escaped, with each add-in match (regex or entity text) marked as in HTML bodies. */
function highlightPlain(text: string, matches: string[]): string {
  const wanted = [...new Set(matches.filter((m) => m.length >= 2))].sort((a, b) => b.length - a.length).slice(0, 200);
  if (!wanted.length) return escapeHtml(text);
  const re = new RegExp(wanted.map((m) => m.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "g");
  let out = "";
  let last = 0;
  for (const m of text.matchAll(re)) {
    out += `${escapeHtml(text.slice(last, m.index))}<mark class="outpost-hl">${escapeHtml(m[0])}</mark>`;
    last = m.index + m[0].length;
  }
  return out + escapeHtml(text.slice(last));
}
