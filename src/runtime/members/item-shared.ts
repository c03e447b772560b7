/** Item members of both forms: categories, custom properties, notification messages, handlers, attachments list. */
import { z } from "zod";
import { MailboxError } from "../../mailbox/index.ts";
import { tableLimit } from "./limits.ts";
import { outOfRangeMessage } from "./mailbox-forms.ts";
import { OfficeCallError, type MemberImpl } from "./context.ts";
import { noArgs } from "./shapes.ts";

const I = "Office.context.mailbox.item";
const MAX_NOTIFICATIONS = 5;
const names = z.tuple([z.array(z.string().min(1).max(255)).max(100)]).rest(z.unknown());
const ok = () => null;

function mapCategoryError(e: unknown): never {
  if (e instanceof MailboxError && e.code === "InvalidCategory") throw new OfficeCallError(9044);
  if (e instanceof MailboxError && e.code === "DuplicateCategory") throw new OfficeCallError(9045);
  throw e;
}

const notification = z
  .object({ type: z.string().max(40), message: z.string().max(150).optional(), icon: z.string().max(100).optional(), persistent: z.boolean().optional() })
  .passthrough();

export const ITEM_SHARED_MEMBERS: Record<string, MemberImpl> = {
  [`${I}.categories.getAsync`]: {
    args: noArgs,
    run: async (ctx) => {
      const item = await ctx.item();
      const master = await ctx.store.addinData.listMasterCategories(ctx.session.spec.mailboxId);
      return item.categories.map((n) => ({ displayName: n, color: master.find((m) => m.name === n)?.color ?? "None" }));
    },
  },
  [`${I}.categories.addAsync`]: {
    args: names,
    run: async (ctx, [list]) => ctx.store.items.addCategories((await ctx.item()).id, list as string[]).then(ok, mapCategoryError),
  },
  [`${I}.categories.removeAsync`]: {
    args: names,
    run: async (ctx, [list]) => ctx.store.items.removeCategories((await ctx.item()).id, list as string[]).then(ok, mapCategoryError),
  },
  [`${I}.loadCustomPropertiesAsync`]: {
    args: noArgs,
    run: async (ctx) => ctx.store.addinData.getCustomProperties((await ctx.item()).id, ctx.session.spec.addinId),
  },
  // get/set/remove/getAll work on the page's copy; they reach the server only when called through the bridge directly.
  "Office.CustomProperties.get": { args: z.tuple([z.string().max(255)]), run: ok },
  "Office.CustomProperties.getAll": { args: noArgs, run: ok },
  "Office.CustomProperties.set": { args: z.tuple([z.string().max(255), z.unknown()]), run: ok },
  "Office.CustomProperties.remove": { args: z.tuple([z.string().max(255)]), run: ok },
  "Office.CustomProperties.saveAsync": {
    args: z.tuple([z.record(z.string(), z.unknown())]).rest(z.unknown()),
    async run(ctx, [data]) {
      // Over the table's limit office.js throws ArgumentOutOfRange (the page throws it; the callback never runs).
      if (JSON.stringify(data).length > tableLimit("Office.CustomProperties.saveAsync", "custom properties as JSON, per item and add-in").max)
        throw new OfficeCallError(9031, [], outOfRangeMessage("customProperties"));
      await ctx.store.addinData.setCustomProperties((await ctx.item()).id, ctx.session.spec.addinId, data as Record<string, never>);
      return null;
    },
  },
  [`${I}.notificationMessages.addAsync`]: {
    args: z.tuple([z.string().min(1).max(32), notification]).rest(z.unknown()),
    run(ctx, [key, message]) {
      const map = ctx.session.state.notifications;
      if (map.has(key as string)) throw new OfficeCallError(9023);
      if (map.size >= MAX_NOTIFICATIONS) throw new OfficeCallError(9025);
      map.set(key as string, message as Record<string, unknown>);
      return null;
    },
  },
  [`${I}.notificationMessages.replaceAsync`]: {
    args: z.tuple([z.string().min(1).max(32), notification]).rest(z.unknown()),
    run(ctx, [key, message]) {
      const map = ctx.session.state.notifications;
      if (!map.has(key as string) && map.size >= MAX_NOTIFICATIONS) throw new OfficeCallError(9025);
      map.set(key as string, message as Record<string, unknown>);
      return null;
    },
  },
  [`${I}.notificationMessages.removeAsync`]: {
    args: z.tuple([z.string().min(1).max(32)]).rest(z.unknown()),
    run(ctx, [key]) {
      if (!ctx.session.state.notifications.delete(key as string)) throw new OfficeCallError(9024);
      return null;
    },
  },
  [`${I}.notificationMessages.getAllAsync`]: {
    args: noArgs,
    run: (ctx) => [...ctx.session.state.notifications].map(([key, m]) => ({ key, ...m })),
  },
  [`${I}.addHandlerAsync`]: { args: z.tuple([z.string().max(60)]).rest(z.unknown()), run: ok },
  [`${I}.removeHandlerAsync`]: { args: z.tuple([z.string().max(60)]).rest(z.unknown()), run: ok },
  [`${I}.getAttachmentsAsync`]: {
    args: noArgs,
    run: async (ctx) => (await ctx.item()).attachments.map((a) => ({ id: a.id, name: a.name, contentType: a.contentType, size: a.size, attachmentType: a.kind, isInline: a.isInline })),
  },
};
