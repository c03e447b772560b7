/**
 * Item members beyond the basic read/compose set: shared-folder facts, initialization context, highlighted
 * matches, reply forms, display overrides, sensitivity label, delayed delivery, selection, conversation index,
 * close, send and move. Outpost has no UI: what a member would have shown is recorded on the session instead.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import { emptyEntities, type ExtractedEntities } from "../../activation/entities/types.ts";
import { LIMITS, MailboxError, rightsCanWrite, type MailboxRights } from "../../mailbox/index.ts";
import type { Rule } from "../../manifest/model.ts";
import { HOST_RECORDS_MAX } from "../session.ts";
import { activationFor, regexMatchesFor } from "./activation.ts";
import { OfficeCallError, type CallContext, type MemberImpl } from "./context.ts";
import { limitError, tableLimit } from "./limits.ts";
import { readExtras, writeExtras } from "./item-extras-store.ts";
import { bodyText } from "./item-read.ts";
import { FORM_BODY_MAX, outOfRangeMessage, unknownParameterMessage } from "./mailbox-forms.ts";
import { findSensitivityLabel } from "./sensitivity-labels.ts";
import { coercion, noArgs, options } from "./shapes.ts";

const I = "Office.context.mailbox.item";

/** Hidden session-state keys (read-mode sessions have no sessionData API, so they cost the add-in nothing). */
export const STATE_KEYS = {
  initializationContext: "\u0000initializationContext",
  displaySubject: "\u0000display.subject",
  displayBody: "\u0000display.body",
  closed: "\u0000closed",
} as const;

/** Office.MailboxEnums.DelegatePermissions bits for each of the store's rights. */
const DELEGATE_BITS: Record<MailboxRights, number> = { owner: 63, full_access: 63, editor: 63, author: 1 | 2 | 4 | 16, reviewer: 1 };

async function rightsOf(ctx: CallContext): Promise<MailboxRights | undefined> {
  return (await ctx.store.items.locateForUser((await ctx.item()).id, ctx.session.spec.userId))?.rights;
}

async function requireWrite(ctx: CallContext): Promise<void> {
  // The manifest tier allows the call; the user's own rights on the mailbox (a delegate reviewer…) still decide.
  if (!rightsCanWrite(await rightsOf(ctx))) throw new OfficeCallError(9038);
}

/** Entity types of the known-entity rules that highlight in the add-in's DetectedEntity extension points. */
function highlightedEntityTypes(ctx: CallContext): Set<string> {
  const out = new Set<string>();
  const walk = (r: Rule | undefined) => {
    if (!r) return;
    if (r.type === "RuleCollection") r.rules.forEach(walk);
    else if (r.type === "ItemHasKnownEntity" && r.highlight !== "none") out.add(r.entityType);
  };
  for (const ep of ctx.session.spec.activation?.extensionPoints ?? []) walk(ep.rule);
  return out;
}

const ENTITY_KEYS: Record<string, keyof ExtractedEntities> = {
  Address: "addresses",
  Contact: "contacts",
  EmailAddress: "emailAddresses",
  MeetingSuggestion: "meetingSuggestions",
  PhoneNumber: "phoneNumbers",
  TaskSuggestion: "taskSuggestions",
  Url: "urls",
};

const replyAttachment = z
  .object({
    type: z.enum(["file", "item"]),
    name: z.string().min(1).max(LIMITS.attachmentName),
    url: z.string().max(tableLimit("Office.context.mailbox.displayNewMessageForm", "URL of a form attachment").max).regex(/^https?:\/\//i).optional(),
    itemId: z.string().min(1).max(200).optional(),
    inLine: z.boolean().optional(),
    isInline: z.boolean().optional(),
  })
  .strict();

/** Reply form data: a string (the HTML body) or { htmlBody, attachments }; checked as Outlook checks it. */
function replyForm(kind: "reply" | "replyAll") {
  return {
    args: z.tuple([z.unknown()]).rest(z.unknown()),
    async run(ctx: CallContext, [raw]: readonly unknown[]) {
      const data = typeof raw === "string" ? { htmlBody: raw } : raw;
      if (!data || typeof data !== "object" || Array.isArray(data)) throw new OfficeCallError(9031, [], outOfRangeMessage("formData"));
      for (const k of Object.keys(data)) if (!["htmlBody", "attachments", "options"].includes(k)) throw new OfficeCallError(9031, [], unknownParameterMessage(k));
      const { htmlBody, attachments } = data as { htmlBody?: unknown; attachments?: unknown };
      if (htmlBody !== undefined && (typeof htmlBody !== "string" || htmlBody.length > FORM_BODY_MAX)) throw new OfficeCallError(9031, [], outOfRangeMessage("htmlBody"));
      const list = z.array(replyAttachment).max(100).safeParse(attachments ?? []);
      if (!list.success || list.data.some((a) => (a.type === "file" ? !a.url : !a.itemId))) throw new OfficeCallError(9031, [], outOfRangeMessage("attachments"));
      const forms = ctx.session.state.host.displayedForms;
      forms.push({ form: kind, itemId: (await ctx.item()).id, bodyChars: ((htmlBody as string | undefined) ?? "").length, attachments: list.data, displayed: true, at: new Date().toISOString() });
      if (forms.length > HOST_RECORDS_MAX) forms.splice(0, forms.length - HOST_RECORDS_MAX);
      return null;
    },
  } satisfies MemberImpl;
}

/** Conversation index (MS-OXOMSG): 0x01, 5 bytes of the FILETIME of the conversation's start, a 16-byte GUID. */
function conversationIndex(conversationKey: string, created: Date): string {
  const filetime = (BigInt(created.getTime()) + 11_644_473_600_000n) * 10_000n;
  const header = Buffer.alloc(22);
  header[0] = 1;
  for (let i = 0; i < 5; i++) header[1 + i] = Number((filetime >> BigInt(56 - 8 * i)) & 0xffn);
  createHash("sha256").update(conversationKey).digest().copy(header, 6, 0, 16);
  return header.toString("base64");
}

export const ITEM_EXTRA_MEMBERS: Record<string, MemberImpl> = {
  [`${I}.getSharedPropertiesAsync`]: {
    args: noArgs,
    async run(ctx) {
      const rights = await rightsOf(ctx);
      const mailbox = await ctx.store.mailboxes.get(ctx.session.spec.mailboxId);
      if (!mailbox || !rights) throw new OfficeCallError(9038);
      const owner = mailbox.ownerUserId ? ((await ctx.store.directory.getUser(mailbox.ownerUserId))?.email ?? mailbox.email) : mailbox.email;
      return { owner, targetMailbox: mailbox.email, targetRestUrl: `${ctx.baseUrl ?? "https://localhost:3000"}/api`, delegatePermissions: DELEGATE_BITS[rights] };
    },
  },
  [`${I}.getInitializationContextAsync`]: { args: noArgs, run: (ctx) => ctx.session.state.sessionData.get(STATE_KEYS.initializationContext) ?? "" },
  [`${I}.getSelectedRegExMatches`]: {
    args: noArgs,
    async run(ctx) {
      await regexMatchesFor(ctx); // a regex out of its time budget fails this call as it fails getRegExMatches
      return (await activationFor(ctx)).highlightedRegexMatches;
    },
  },
  [`${I}.getFilteredEntitiesByName`]: {
    args: z.tuple([z.string().max(100)]),
    run: async (ctx, [name]) => (await activationFor(ctx)).filteredEntities[name as string] ?? null,
  },
  // No UI selection: the "selected" entities are those the add-in's highlighting rules mark in the body.
  [`${I}.getSelectedEntities`]: {
    args: noArgs,
    async run(ctx) {
      const all = (await activationFor(ctx)).entities;
      const out = emptyEntities() as unknown as Record<string, unknown>;
      for (const type of highlightedEntityTypes(ctx)) {
        const key = ENTITY_KEYS[type];
        if (key) out[key] = all[key];
      }
      delete out.taskSuggestionDetails;
      return out;
    },
  },
  [`${I}.displayReplyForm`]: replyForm("reply"),
  [`${I}.displayReplyFormAsync`]: replyForm("reply"),
  [`${I}.displayReplyAllForm`]: replyForm("replyAll"),
  [`${I}.displayReplyAllFormAsync`]: replyForm("replyAll"),
  [`${I}.display.subject.setAsync`]: {
    args: z.tuple([z.string()]).rest(z.unknown()),
    run: (ctx, [s]) => (ctx.session.state.sessionData.set(STATE_KEYS.displaySubject, s as string), null),
  },
  [`${I}.display.body.setAsync`]: {
    args: z.tuple([z.string(), options]).rest(z.unknown()),
    run(ctx, [data, o]) {
      const type = (o as { coercionType?: string } | undefined)?.coercionType ?? "text";
      ctx.session.state.sessionData.set(STATE_KEYS.displayBody, JSON.stringify({ data, coercionType: type }));
      return null;
    },
  },
  [`${I}.sensitivityLabel.getAsync`]: { args: noArgs, run: async (ctx) => (await readExtras(ctx.store, (await ctx.item()).id)).sensitivityLabel ?? "" },
  [`${I}.sensitivityLabel.setAsync`]: {
    args: z.tuple([z.union([z.string(), z.object({ id: z.string() }).passthrough()])]).rest(z.unknown()),
    async run(ctx, [label]) {
      const id = typeof label === "string" ? label : (label as { id: string }).id;
      // Only a label of the catalogue (sensitivityLabelsCatalog.getAsync), and not a parent whose sublabels are the choice.
      const found = findSensitivityLabel(id.replace(/[{}]/g, ""));
      if (!found || (found.children?.length ?? 0) > 0) throw new OfficeCallError(9031);
      await writeExtras(ctx.store, (await ctx.item()).id, { sensitivityLabel: found.id });
      return null;
    },
  },
  [`${I}.delayDeliveryTime.getAsync`]: { args: noArgs, run: async (ctx) => (await readExtras(ctx.store, (await ctx.item()).id)).delayDeliveryTime ?? 0 },
  [`${I}.delayDeliveryTime.setAsync`]: {
    args: z.tuple([z.union([z.string().max(40), z.number()])]).rest(z.unknown()),
    async run(ctx, [value]) {
      const d = new Date(value as string | number);
      if (Number.isNaN(d.getTime()) || d.getUTCFullYear() < 1970 || d.getUTCFullYear() > 4500) throw new OfficeCallError(9031);
      await writeExtras(ctx.store, (await ctx.item()).id, { delayDeliveryTime: d.toISOString() });
      return null;
    },
  },
  // No UI selection: the cursor is taken to be at the start of the body, with nothing selected.
  [`${I}.getSelectedDataAsync`]: { args: z.tuple([coercion]).rest(z.unknown()), run: () => ({ data: "", sourceProperty: "body" }) },
  [`${I}.setSelectedDataAsync`]: {
    args: z.tuple([z.string(), options]).rest(z.unknown()),
    async run(ctx, [data, o]) {
      const item = await ctx.item();
      const type = (o as { coercionType?: "text" | "html" } | undefined)?.coercionType;
      const html = type === "html" || (type === undefined && item.bodyHtml !== null);
      const next = html ? { bodyHtml: (data as string) + (item.bodyHtml ?? ""), bodyText: null } : { bodyText: (data as string) + bodyText(item), bodyHtml: null };
      if ((next.bodyHtml ?? next.bodyText ?? "").length > LIMITS.body) throw limitError(tableLimit(`${I}.setSelectedDataAsync`, "data"));
      await ctx.store.items.update(item.id, next);
      return null;
    },
  },
  [`${I}.getConversationIndexAsync`]: {
    args: noArgs,
    async run(ctx) {
      const item = await ctx.item();
      return conversationIndex(item.conversationId ?? item.id, item.createdAt);
    },
  },
  [`${I}.closeAsync`]: {
    args: z.tuple([z.object({ discardItem: z.boolean().optional() }).passthrough().optional()]).rest(z.unknown()),
    // Drafts are saved as they are edited, so there is no save dialog to show: the form is recorded as closed.
    run: (ctx, [o]) => (ctx.session.state.sessionData.set(STATE_KEYS.closed, (o as { discardItem?: boolean } | undefined)?.discardItem ? "discard" : "save"), null),
  },
  [`${I}.sendAsync`]: {
    args: noArgs,
    async run(ctx) {
      await requireWrite(ctx);
      const item = await ctx.item();
      if (!item.isDraft) throw new OfficeCallError(9031);
      // A meeting goes to its attendees (required, optional, resources); a message to To, Cc and Bcc.
      const r = item.recipients;
      const all = item.itemType === "appointment" ? [...r.required, ...r.optional, ...r.resource] : [...r.to, ...r.cc, ...r.bcc];
      if (all.length === 0) throw new OfficeCallError(9013);
      // On-send content the add-in queued (appendOnSendAsync / prependOnSendAsync) goes in now, once.
      const data = ctx.session.state.sessionData;
      const append = data.get("\u0000appendOnSend") ?? "";
      const prepend = data.get("\u0000prependOnSend") ?? "";
      if (append || prepend) {
        const patch = item.bodyHtml !== null ? { bodyHtml: prepend + item.bodyHtml + append } : { bodyText: prepend + bodyText(item) + append };
        await ctx.store.items.update(item.id, patch);
        data.delete("\u0000appendOnSend");
        data.delete("\u0000prependOnSend");
      }
      try {
        await ctx.store.items.send(item.id);
      } catch (e) {
        if (e instanceof MailboxError) throw new OfficeCallError(9031);
        throw e;
      }
      return null;
    },
  },
  [`${I}.move`]: {
    args: z.tuple([z.string().min(1).max(200)]).rest(z.unknown()),
    async run(ctx, [target]) {
      await requireWrite(ctx);
      const folder = await ctx.store.mailboxes.resolveFolder(ctx.session.spec.mailboxId, target as string);
      if (!folder) throw new OfficeCallError(9031);
      await ctx.store.items.move((await ctx.item()).id, folder.id);
      return null;
    },
  },
};
