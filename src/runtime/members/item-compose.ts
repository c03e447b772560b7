/** Item members of compose forms: reading and writing fields, body, headers, attachments, session data, save. */
import { z } from "zod";
import { AttachmentTooLargeError, LIMITS, base64Pieces, type ItemPatch } from "../../mailbox/index.ts";
import { ERROR_CODES } from "../../permissions/index.ts";
import { OfficeCallError, type CallContext, type MemberImpl } from "./context.ts";
import { limitError, tableLimit } from "./limits.ts";
import { bodyText } from "./item-read.ts";
import { coercion, fromRecipientInput, noArgs, options, recipientList, toDetails, toDetailsList } from "./shapes.ts";

const I = "Office.context.mailbox.item";
const ok = () => null;

async function patch(ctx: CallContext, p: ItemPatch): Promise<null> {
  await ctx.store.items.update((await ctx.item()).id, p);
  return null;
}

type RecipientField = "to" | "cc" | "bcc" | "requiredAttendees" | "optionalAttendees";
const KIND = { to: "to", cc: "cc", bcc: "bcc", requiredAttendees: "required", optionalAttendees: "optional" } as const;

function recipientMembers(field: RecipientField): Record<string, MemberImpl> {
  const list = z.tuple([recipientList]).rest(z.unknown());
  return {
    [`${I}.${field}.getAsync`]: { args: noArgs, run: async (ctx) => toDetailsList((await ctx.item()).recipients[KIND[field]]) },
    [`${I}.${field}.setAsync`]: { args: list, run: (ctx, [r]) => patch(ctx, { [field]: fromRecipientInput(r as never) }) },
    [`${I}.${field}.addAsync`]: {
      args: list,
      async run(ctx, [r]) {
        const current = (await ctx.item()).recipients[KIND[field]];
        const next = [...current, ...fromRecipientInput(r as never)];
        const perField = tableLimit(`${I}.${field}.addAsync`, "recipients per field");
        if (next.length > perField.max) throw limitError(perField);
        return patch(ctx, { [field]: next });
      },
    },
  };
}

const text = z.tuple([z.string()]).rest(z.unknown());
const date = z.tuple([z.union([z.string().max(40), z.number()])]).rest(z.unknown());

/** HTML into a plain-text body: Outlook answers InvalidFormatError (body.setAsync, setSignatureAsync, *OnSendAsync). */
function refuseHtmlIntoText(type: "text" | "html" | undefined, bodyHtml: string | null): void {
  if (type === "html" && bodyHtml === null) throw new OfficeCallError(ERROR_CODES.invalidFormat);
}

async function writeBody(ctx: CallContext, data: string, type: "text" | "html" | undefined, where: "set" | "prepend"): Promise<null> {
  const item = await ctx.item();
  if (where === "set") refuseHtmlIntoText(type, item.bodyHtml);
  const html = type === "html" || (type === undefined && item.bodyHtml !== null);
  if (where === "set") return patch(ctx, html ? { bodyHtml: data, bodyText: null } : { bodyText: data, bodyHtml: null });
  return patch(ctx, html ? { bodyHtml: data + (item.bodyHtml ?? "") } : { bodyText: data + bodyText(item) });
}

const bodyWrite = z.tuple([z.string(), options]).rest(z.unknown());

/** The signature block Outpost writes, so a second setSignatureAsync replaces the first instead of stacking. */
const HTML_SIGNATURE = /<div id="x_outpost_signature">[\s\S]*?<\/div>\s*$/;
const TEXT_SIGNATURE = /\n-- \n[\s\S]*$/;

async function writeSignature(ctx: CallContext, data: string, type: "text" | "html" | undefined): Promise<null> {
  const item = await ctx.item();
  refuseHtmlIntoText(type, item.bodyHtml);
  const html = type === "html" || (type === undefined && item.bodyHtml !== null);
  const next = html
    ? { bodyHtml: (item.bodyHtml ?? "").replace(HTML_SIGNATURE, "") + `<div id="x_outpost_signature">${data}</div>` }
    : { bodyText: bodyText(item).replace(TEXT_SIGNATURE, "") + `\n-- \n${data}` };
  if ((next.bodyHtml ?? next.bodyText ?? "").length > LIMITS.body) throw limitError(tableLimit(`${I}.body.setAsync`, "data"));
  return patch(ctx, next);
}

/** Session key set by saveAsync (the NUL prefix keeps it out of getAllAsync). */
export const SAVED_KEY = "\u0000saved";

/**
 * Whether the item counts as saved, as Outlook's 9029/9046 need: anything not a draft; a draft saved with saveAsync
 * in this session; a draft stored again after it was created (Outpost writes every change to the store, as Outlook's
 * autosave would). A draft untouched since it was created has never been saved.
 */
export function isSaved(ctx: CallContext, item: { isDraft: boolean; createdAt: Date; modifiedAt: Date }): boolean {
  return !item.isDraft || ctx.session.state.sessionData.has(SAVED_KEY) || item.modifiedAt.getTime() > item.createdAt.getTime();
}

function onSend(key: string): MemberImpl {
  return {
    args: bodyWrite,
    async run(ctx, [d, o]) {
      refuseHtmlIntoText((o as { coercionType?: "text" | "html" })?.coercionType, (await ctx.item()).bodyHtml);
      ctx.session.state.sessionData.set(key, d as string);
      return null;
    },
  };
}

export const ITEM_COMPOSE_MEMBERS: Record<string, MemberImpl> = {
  ...recipientMembers("to"),
  ...recipientMembers("cc"),
  ...recipientMembers("bcc"),
  ...recipientMembers("requiredAttendees"),
  ...recipientMembers("optionalAttendees"),
  [`${I}.from.getAsync`]: { args: noArgs, run: async (ctx) => toDetails((await ctx.item()).from) },
  [`${I}.organizer.getAsync`]: { args: noArgs, run: async (ctx) => toDetails((await ctx.item()).from) },
  [`${I}.subject.getAsync`]: { args: noArgs, run: async (ctx) => (await ctx.item()).subject },
  [`${I}.subject.setAsync`]: { args: text, run: (ctx, [s]) => patch(ctx, { subject: s as string }) },
  [`${I}.location.getAsync`]: { args: noArgs, run: async (ctx) => (await ctx.item()).location ?? "" },
  [`${I}.location.setAsync`]: { args: text, run: (ctx, [s]) => patch(ctx, { location: s as string }) },
  [`${I}.start.getAsync`]: { args: noArgs, run: async (ctx) => (await ctx.item()).start?.toISOString() ?? null },
  [`${I}.end.getAsync`]: { args: noArgs, run: async (ctx) => (await ctx.item()).end?.toISOString() ?? null },
  [`${I}.start.setAsync`]: { args: date, run: (ctx, [d]) => setTime(ctx, "start", d as string | number) },
  [`${I}.end.setAsync`]: { args: date, run: (ctx, [d]) => setTime(ctx, "end", d as string | number) },
  [`${I}.body.getTypeAsync`]: { args: noArgs, run: async (ctx) => ((await ctx.item()).bodyHtml !== null ? "html" : "text") },
  [`${I}.body.setAsync`]: { args: bodyWrite, run: (ctx, [d, o]) => writeBody(ctx, d as string, (o as { coercionType?: "text" | "html" })?.coercionType, "set") },
  [`${I}.body.prependAsync`]: { args: bodyWrite, run: (ctx, [d, o]) => writeBody(ctx, d as string, (o as { coercionType?: "text" | "html" })?.coercionType, "prepend") },
  [`${I}.body.setSignatureAsync`]: { args: bodyWrite, run: (ctx, [d, o]) => writeSignature(ctx, d as string, (o as { coercionType?: "text" | "html" })?.coercionType) },
  // No UI selection: the cursor is at the start of the body (as item.setSelectedDataAsync).
  [`${I}.body.setSelectedDataAsync`]: {
    args: bodyWrite,
    async run(ctx, [d, o]) {
      const type = (o as { coercionType?: "text" | "html" })?.coercionType;
      refuseHtmlIntoText(type, (await ctx.item()).bodyHtml);
      return writeBody(ctx, d as string, type, "prepend");
    },
  },
  // On-send appends are held by the session and applied when the item is sent.
  [`${I}.body.appendOnSendAsync`]: onSend("\u0000appendOnSend"),
  [`${I}.body.prependOnSendAsync`]: onSend("\u0000prependOnSend"),
  [`${I}.internetHeaders.getAsync`]: {
    args: z.tuple([z.array(z.string().max(200)).max(100)]).rest(z.unknown()),
    async run(ctx, [names]) {
      const block = (await ctx.store.items.internetHeaders((await ctx.item()).id)) ?? "";
      const wanted = new Set((names as string[]).map((n) => n.toLowerCase()));
      const out: Record<string, string> = {};
      for (const line of block.split(/\r?\n/)) {
        const i = line.indexOf(":");
        if (i > 0 && wanted.has(line.slice(0, i).trim().toLowerCase())) out[line.slice(0, i).trim()] = line.slice(i + 1).trim();
      }
      return out;
    },
  },
  [`${I}.internetHeaders.setAsync`]: {
    args: z.tuple([z.record(z.string().max(200), z.string().max(998))]).rest(z.unknown()),
    run: async (ctx, [h]) => (await ctx.store.items.setInternetHeaders((await ctx.item()).id, h as Record<string, string>), null),
  },
  [`${I}.internetHeaders.removeAsync`]: {
    args: z.tuple([z.array(z.string().max(200)).max(100)]).rest(z.unknown()),
    run: async (ctx, [n]) => (await ctx.store.items.removeInternetHeaders((await ctx.item()).id, n as string[]), null),
  },
  [`${I}.sessionData.getAsync`]: {
    args: z.tuple([z.string().max(255)]).rest(z.unknown()),
    run: (ctx, [k]) => ctx.session.state.sessionData.get(k as string) ?? "",
  },
  [`${I}.sessionData.setAsync`]: {
    args: z.tuple([z.string().max(255), z.string()]).rest(z.unknown()),
    run(ctx, [k, v]) {
      const total = [...ctx.session.state.sessionData].reduce((n, [a, b]) => n + a.length + b.length, 0);
      const limit = tableLimit(`${I}.sessionData.setAsync`, "session data");
      if (total + (k as string).length + (v as string).length > limit.max) throw limitError(limit);
      ctx.session.state.sessionData.set(k as string, v as string);
      return null;
    },
  },
  [`${I}.sessionData.getAllAsync`]: {
    args: noArgs,
    run: (ctx) => Object.fromEntries([...ctx.session.state.sessionData].filter(([k]) => !k.startsWith("\u0000"))),
  },
  [`${I}.sessionData.removeAsync`]: { args: z.tuple([z.string().max(255)]).rest(z.unknown()), run: (ctx, [k]) => (ctx.session.state.sessionData.delete(k as string), null) },
  [`${I}.sessionData.clearAsync`]: { args: noArgs, run: (ctx) => (ctx.session.state.sessionData.clear(), null) },
  [`${I}.addFileAttachmentFromBase64Async`]: {
    args: z.tuple([z.string(), z.string().min(1)]).rest(z.unknown()),
    async run(ctx, [b64, name]) {
      const item = await ctx.item();
      if (item.attachments.length >= LIMITS.attachmentsPerItem) throw new OfficeCallError(9001);
      // Decoded and stored piece by piece: the 25 MB of bytes never exist whole beside the base64 text.
      try {
        return (await ctx.store.items.addAttachmentStream(item.id, { name: name as string }, base64Pieces(b64 as string))).id;
      } catch (err) {
        if (err instanceof AttachmentTooLargeError) throw new OfficeCallError(9000);
        throw err;
      }
    },
  },
  [`${I}.removeAttachmentAsync`]: {
    args: z.tuple([z.string().max(200)]).rest(z.unknown()),
    async run(ctx, [id]) {
      const item = await ctx.item();
      if (!item.attachments.some((a) => a.id === id)) throw new OfficeCallError(9008);
      await ctx.store.items.removeAttachment(item.id, id as string);
      return null;
    },
  },
  [`${I}.saveAsync`]: {
    args: noArgs,
    async run(ctx) {
      const item = await ctx.item();
      ctx.session.state.sessionData.set(SAVED_KEY, "1");
      return item.id;
    },
  },
  [`${I}.getItemIdAsync`]: {
    args: noArgs,
    async run(ctx) {
      const item = await ctx.item();
      if (!isSaved(ctx, item)) throw new OfficeCallError(ERROR_CODES.itemNotSaved);
      return item.id;
    },
  },
  // How the draft was created: a reply or forward carries In-Reply-To; the subject's prefix tells which.
  [`${I}.getComposeTypeAsync`]: {
    args: noArgs,
    async run(ctx) {
      const item = await ctx.item();
      const composeType = item.inReplyTo ? (/^\s*(fw|fwd)\s*:/i.test(item.subject) ? "forward" : "reply") : "newMail";
      return { composeType, coercionType: item.bodyHtml !== null ? "html" : "text" };
    },
  },
  [`${I}.getItemClassAsync`]: { args: noArgs, run: async (ctx) => (await ctx.item()).itemClass },
  // The sending account's client signatures (the mailbox's settings): enabled when a default signature is set for
  // new messages or for replies and forwards; disabling sets both to "(none)", as Outlook does.
  [`${I}.isClientSignatureEnabledAsync`]: {
    args: noArgs,
    async run(ctx) {
      const s = await ctx.store.mailboxes.getSignatures(ctx.session.spec.mailboxId);
      return s.newMail !== null || s.reply !== null;
    },
  },
  [`${I}.disableClientSignatureAsync`]: {
    args: noArgs,
    async run(ctx) {
      await ctx.store.mailboxes.setSignatures(ctx.session.spec.mailboxId, { newMail: null, reply: null });
      return null;
    },
  },
  [`${I}.close`]: { args: noArgs, run: ok },
};

async function setTime(ctx: CallContext, which: "start" | "end", value: string | number): Promise<null> {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw new OfficeCallError(9031);
  const item = await ctx.item();
  const start = which === "start" ? d : item.start;
  const end = which === "end" ? d : item.end;
  if (start && end && end < start) throw new OfficeCallError(9010);
  return patch(ctx, { [which]: d });
}

export { coercion };
