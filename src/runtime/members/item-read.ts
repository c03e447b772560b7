/** Item members of read forms and the snapshot properties the page receives (each gated by decide() at bootstrap). */
import { z } from "zod";
import { entityTypeName, entitiesOfType, htmlToText } from "../../activation/index.ts";
import type { Item } from "../../mailbox/index.ts";
import type { MemberImpl, PropertyGetter, CallContext } from "./context.ts";
import { noArgs, toDetails, toDetailsList } from "./shapes.ts";
import { activationFor, regexMatchesFor } from "./activation.ts";

const I = "Office.context.mailbox.item";

export function bodyText(item: Item): string {
  return item.bodyText ?? (item.bodyHtml ? htmlToText(item.bodyHtml) : "");
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : undefined);

export const ITEM_PROPERTIES: Record<string, PropertyGetter> = {
  [`${I}.itemType`]: (item) => item.itemType,
  [`${I}.itemId`]: (item) => item.id,
  [`${I}.itemClass`]: (item) => item.itemClass,
  [`${I}.conversationId`]: (item) => item.conversationId ?? undefined,
  [`${I}.dateTimeCreated`]: (item) => iso(item.createdAt),
  [`${I}.dateTimeModified`]: (item) => iso(item.modifiedAt),
  [`${I}.internetMessageId`]: (item) => item.internetMessageId ?? undefined,
  // Outpost stores no recurring series: no item is an occurrence, so seriesId is null (as for a single item in Outlook).
  [`${I}.seriesId`]: () => null,
  // The Message-ID the draft answers (compose), null for a new message.
  [`${I}.inReplyTo`]: (item) => item.inReplyTo ?? null,
  [`${I}.subject`]: (item) => item.subject,
  [`${I}.normalizedSubject`]: (item) => item.subject.replace(/^((re|fw|fwd|aw|wg|sv|vs)\s*:\s*)+/i, ""),
  [`${I}.to`]: (item) => toDetailsList(item.recipients.to),
  [`${I}.cc`]: (item) => toDetailsList(item.recipients.cc),
  [`${I}.from`]: (item) => toDetails(item.from),
  [`${I}.sender`]: (item) => toDetails(item.sender ?? item.from),
  [`${I}.organizer`]: (item) => toDetails(item.from),
  [`${I}.requiredAttendees`]: (item) => toDetailsList(item.recipients.required),
  [`${I}.optionalAttendees`]: (item) => toDetailsList(item.recipients.optional),
  [`${I}.location`]: (item) => item.location ?? "",
  [`${I}.start`]: (item) => iso(item.start ?? item.sentAt ?? item.createdAt),
  [`${I}.end`]: (item) => iso(item.end ?? item.start ?? item.createdAt),
  [`${I}.sensitivity`]: (item) => item.sensitivity,
  [`${I}.attachments`]: (item) =>
    item.attachments.map((a) => ({ id: a.id, name: a.name, contentType: a.contentType, size: a.size, attachmentType: a.kind, isInline: a.isInline })),
};

/** Date-valued snapshot properties (sent as ISO strings; the page turns them back into Date objects). */
export const DATE_PROPERTIES = [`${I}.dateTimeCreated`, `${I}.dateTimeModified`, `${I}.start`, `${I}.end`];

/** Known entities as getEntities answers them: the activation module's view (form, Sent Items, tier, body span). */
async function entities(ctx: CallContext) {
  return (await activationFor(ctx)).entities;
}

export const ITEM_READ_MEMBERS: Record<string, MemberImpl> = {
  [`${I}.body.getAsync`]: {
    args: z.tuple([z.enum(["text", "html", "Text", "Html"])]).rest(z.unknown()),
    async run(ctx, [coercion]) {
      const item = await ctx.item();
      return String(coercion).toLowerCase() === "html" ? (item.bodyHtml ?? escapeHtml(item.bodyText ?? "")) : bodyText(item);
    },
  },
  [`${I}.getAllInternetHeadersAsync`]: { args: noArgs, run: async (ctx) => (await ctx.store.items.internetHeaders((await ctx.item()).id)) ?? "" },
  [`${I}.getRegExMatches`]: { args: noArgs, run: (ctx) => regexMatchesFor(ctx) },
  [`${I}.getRegExMatchesByName`]: {
    args: z.tuple([z.string().max(100)]),
    run: async (ctx, [name]) => (await regexMatchesFor(ctx))[name as string] ?? null,
  },
  [`${I}.getEntities`]: { args: noArgs, run: (ctx) => entities(ctx) },
  [`${I}.getEntitiesByType`]: {
    args: z.tuple([z.string().max(40)]),
    async run(ctx, [type]) {
      const name = entityTypeName(type as string);
      return name ? entitiesOfType(await entities(ctx), name) : null;
    },
  },
  [`${I}.getAttachmentContentAsync`]: {
    args: z.tuple([z.string().max(200)]).rest(z.unknown()),
    async run(ctx, [id]) {
      const item = await ctx.item();
      // Only attachments of the session's own item: an id from another item is "invalid", never readable.
      const att = await ctx.store.items.getAttachment(item.id, id as string);
      if (!att?.blobHash) throw new (await import("./context.ts")).OfficeCallError(9003);
      const chunks: Buffer[] = [];
      for await (const c of ctx.store.blobs.open(att.blobHash)) chunks.push(Buffer.from(c as Uint8Array));
      return { format: "base64", content: Buffer.concat(chunks).toString("base64") };
    },
  },
};

function escapeHtml(s: string): string {
  return `<div>${s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\n/g, "<br>")}</div>`;
}
