/** Attachments from a URL or another item, and the item as an .eml file. */
import { z } from "zod";
import { LIMITS, type Item } from "../../mailbox/index.ts";
import { writeItemAsMime } from "../../mailbox/mime/build.ts";
import { fetchAttachment, type FetchPolicy } from "./attachment-fetch.ts";
import { OfficeCallError, type CallContext, type MemberImpl } from "./context.ts";
import { noArgs } from "./shapes.ts";

const I = "Office.context.mailbox.item";
/** getAsFileAsync answers in one message; past this the call fails instead of building a huge string. */
export const AS_FILE_MAX_BYTES = 50 * 1024 * 1024;
export const FETCH_TIMEOUT_MS = 15_000;

/** The server-side fetch policy of a session: the add-in's declared domains, the attachment limit, one time budget. */
export function fetchPolicyFor(ctx: CallContext): FetchPolicy {
  return { appDomains: ctx.session.spec.activation?.appDomains ?? [], maxBytes: LIMITS.attachmentBytes, timeoutMs: FETCH_TIMEOUT_MS };
}

/** The item's RFC 822 bytes: the imported MIME when it still describes the item, otherwise written afresh. */
export async function itemMime(ctx: CallContext, item: Item, maxBytes: number): Promise<Buffer> {
  const raw = await ctx.store.items.rawMime(item.id);
  if (raw && raw.size > maxBytes) throw new OfficeCallError(9000);
  const chunks: Buffer[] = [];
  let size = 0;
  const push = (c: string | Uint8Array) => {
    const b = typeof c === "string" ? Buffer.from(c, "utf8") : Buffer.from(c);
    size += b.length;
    if (size > maxBytes) throw new OfficeCallError(9000);
    chunks.push(b);
  };
  if (raw) for await (const c of ctx.store.blobs.open(raw.hash)) push(c as Uint8Array);
  else
    await writeItemAsMime(
      item,
      async (attachmentId) => ctx.store.items.openAttachment((await ctx.store.items.getAttachment(item.id, attachmentId)) ?? { blobHash: null }),
      async (c) => push(c),
    );
  return Buffer.concat(chunks);
}

async function roomFor(ctx: CallContext): Promise<Item> {
  const item = await ctx.item();
  if (item.attachments.length >= LIMITS.attachmentsPerItem) throw new OfficeCallError(9001);
  return item;
}

const inlineOption = z.object({ isInline: z.boolean().optional() }).passthrough().optional();

export const ITEM_ATTACHMENT_EXTRA_MEMBERS: Record<string, MemberImpl> = {
  [`${I}.addFileAttachmentAsync`]: {
    args: z.tuple([z.string().min(1), z.string().min(1), inlineOption]).rest(z.unknown()),
    async run(ctx, [uri, name, options]) {
      const item = await roomFor(ctx);
      const file = await fetchAttachment(uri as string, fetchPolicyFor(ctx));
      const isInline = (options as { isInline?: boolean } | undefined)?.isInline === true;
      const att = await ctx.store.items.addAttachment(item.id, { name: name as string, data: file.data, contentType: file.contentType, isInline });
      return att.id;
    },
  },
  [`${I}.addItemAttachmentAsync`]: {
    args: z.tuple([z.string().min(1), z.string().min(1)]).rest(z.unknown()),
    async run(ctx, [itemId, name]) {
      const item = await roomFor(ctx);
      const attached = await ctx.store.items.get(itemId as string);
      // Only another item of the session's own mailbox: an id from elsewhere is as good as unknown.
      if (!attached || attached.mailboxId !== ctx.session.spec.mailboxId || attached.id === item.id) throw new OfficeCallError(9031);
      const data = await itemMime(ctx, attached, LIMITS.attachmentBytes);
      const att = await ctx.store.items.addAttachment(item.id, { name: name as string, data, contentType: "message/rfc822", kind: "item" });
      return att.id;
    },
  },
  [`${I}.getAsFileAsync`]: {
    args: noArgs,
    async run(ctx) {
      try {
        return (await itemMime(ctx, await ctx.item(), AS_FILE_MAX_BYTES)).toString("base64");
      } catch (e) {
        if (e instanceof OfficeCallError && e.error.code === 9000) throw new OfficeCallError(9057);
        throw e;
      }
    },
  },
};
