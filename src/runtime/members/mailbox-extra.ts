/**
 * Mailbox- and context-level members that reach beyond the session's item: client-time conversion, the display*
 * forms, multi-select and loadItemByIdAsync, EWS token status, Intune (MAM) answers, the sensitivity-label
 * catalogue and event completion. Outpost has no UI of its own: what an add-in asks the host to show or signal is
 * recorded in the session's `host` records (HostRecords) and the call itself in the trace.
 */
import { legacyTokenMode, TOKEN_STATUS as LEGACY_TOKEN_STATUS } from "../../identity/legacy.ts";
import { z } from "zod";
import { rightsCanRead, type Item } from "../../mailbox/index.ts";
import { HOST_RECORDS_MAX } from "../session.ts";
import { fromLocalClientTime, toLocalClientTime } from "./client-time.ts";
import { OfficeCallError, type CallContext, type MemberImpl } from "./context.ts";
import { ITEM_PROPERTIES } from "./item-read.ts";
import { checkAppointmentForm, checkMessageForm } from "./mailbox-forms.ts";
import { sensitivityLabelCatalogue } from "./sensitivity-labels.ts";
import { noArgs } from "./shapes.ts";

const M = "Office.context.mailbox";
const anyFirst = z.tuple([z.unknown()]).rest(z.unknown());
const itemIdArg = z.tuple([z.string().max(400)]).rest(z.unknown());
export const SELECTED_ITEMS_MAX = 100;

/** Office.MailboxEnums.TokenStatus */
export const TOKEN_STATUS = { Disabled: 0, Enabled: 1, Removed: 2 } as const;
/** Highest value of Office.MailboxEnums.OpenLocation / SaveLocation (numeric enums starting at 0). */
export const OPEN_LOCATION_MAX = 6;
export const SAVE_LOCATION_MAX = 8;

function record(list: Array<Record<string, unknown>>, entry: Record<string, unknown>): void {
  list.push({ ...entry, at: new Date().toISOString() });
  if (list.length > HOST_RECORDS_MAX) list.splice(0, list.length - HOST_RECORDS_MAX);
}

async function timeZone(ctx: CallContext): Promise<string> {
  return (await ctx.store.directory.getUser(ctx.session.spec.userId))?.timeZone ?? "UTC";
}

/**
 * An item of the session's mailbox the user may read, or undefined. An unknown id, an id of another mailbox or
 * tenant and an id the user has no rights on look the same to the add-in (no existence oracle); a foreign id is
 * recorded as a security event.
 */
async function mailboxItem(ctx: CallContext, id: unknown, surface: string): Promise<Item | undefined> {
  if (typeof id !== "string" || !/^[A-Za-z0-9_-]{1,100}$/.test(id)) return undefined;
  const s = ctx.session.spec;
  const found = await ctx.store.items.getForUser(id, s.userId);
  if (!found) return undefined;
  if (found.item.mailboxId !== s.mailboxId || !rightsCanRead(found.rights)) {
    await ctx.store.security.record({
      surface: "bridge",
      reason: `${surface}: item of another mailbox`,
      tenantId: s.tenantId,
      userId: s.userId,
      mailboxId: s.mailboxId,
      addinId: s.addinId,
      detail: { sameTenant: found.tenantId === s.tenantId },
    });
    return undefined;
  }
  return found.item;
}

/** displayMessageForm / displayAppointmentForm: Outlook shows nothing and reports no error for an id it cannot open. */
function displayExisting(form: "message" | "appointment"): MemberImpl {
  return {
    args: itemIdArg,
    async run(ctx, [id]) {
      const item = await mailboxItem(ctx, id, `display ${form} form`);
      const displayed = item !== undefined && item.itemType === form;
      record(ctx.session.state.host.displayedForms, { form, itemId: displayed ? item.id : null, displayed });
      return null;
    },
  };
}

function displayNew(check: typeof checkMessageForm | typeof checkAppointmentForm): MemberImpl {
  return {
    args: z.tuple([]).rest(z.unknown()),
    async run(ctx, args) {
      const form = check(args[0]);
      if ("attachments" in form) {
        // An item attachment must be an item the user could attach: one of this mailbox.
        for (const a of form.attachments) if (a.type === "item" && !(await mailboxItem(ctx, a.itemId, "new message form attachment"))) throw new OfficeCallError(9031);
      }
      record(ctx.session.state.host.displayedForms, { ...form, displayed: true });
      return null;
    },
  };
}

function selectedItemDetails(item: Item, mode: "read" | "compose") {
  return {
    itemId: item.id,
    itemMode: mode === "read" ? "Read" : "Compose",
    itemType: "Message",
    subject: item.subject,
    hasAttachment: item.attachments.some((a) => !a.isInline),
    conversationId: item.conversationId ?? "",
    internetMessageId: item.internetMessageId ?? "",
  };
}

/** Properties of Office.LoadedMessageRead a loaded message carries (its methods other than unloadAsync are not offered). */
const LOADED_READ_PROPERTIES = [
  "attachments", "cc", "conversationId", "dateTimeCreated", "dateTimeModified", "end", "from", "internetMessageId", "itemClass",
  "itemId", "itemType", "location", "normalizedSubject", "sender", "start", "subject", "to",
] as const;

function loadedMessage(item: Item, ctx: CallContext): Record<string, unknown> {
  if (item.isDraft) return { itemType: item.itemType, conversationId: item.conversationId ?? null, inReplyTo: item.inReplyTo ?? null, seriesId: null };
  const out: Record<string, unknown> = { seriesId: null };
  for (const p of LOADED_READ_PROPERTIES) out[p] = ITEM_PROPERTIES[`${M}.item.${p}`]?.(item, ctx) ?? null;
  return out;
}

const unload: MemberImpl = { args: noArgs, run: (ctx) => ((ctx.session.state.host.loadedItemId = null), null) };

const completedOptions = z
  .object({
    allowEvent: z.boolean().optional(),
    errorMessage: z.string().max(500).optional(),
    errorMessageMarkdown: z.string().max(500).optional(),
    cancelLabel: z.string().max(20).optional(),
    commandId: z.string().max(255).optional(),
    sendModeOverride: z.enum(["promptUser", "softBlock", "block"]).optional(),
    contextData: z.unknown().optional(),
    folderName: z.string().max(255).optional(),
    moveItemTo: z.string().max(40).optional(),
    onErrorDeleteItem: z.boolean().optional(),
    postProcessingAction: z.string().max(40).optional(),
    showPostProcessingDialog: z.unknown().optional(),
    emailBody: z.object({ coercionType: z.string().max(10).optional(), content: z.string() }).passthrough().optional(),
    attachments: z.array(z.unknown()).max(500).optional(),
  })
  .passthrough();

/** Completion of an event handler or function command: what Outlook would act on (allow/block send, dialog texts). */
function completed(event: "MailboxEvent" | "AddinCommands.Event"): MemberImpl {
  return {
    args: z.tuple([completedOptions.optional()]).rest(z.unknown()),
    run(ctx, [raw]) {
      const o = (raw ?? {}) as z.infer<typeof completedOptions>;
      const contextData = o.contextData === undefined ? undefined : JSON.stringify(o.contextData);
      const options: Record<string, unknown> = {};
      for (const k of ["allowEvent", "errorMessage", "errorMessageMarkdown", "cancelLabel", "commandId", "sendModeOverride", "folderName", "moveItemTo", "onErrorDeleteItem", "postProcessingAction"] as const)
        if (o[k] !== undefined) options[k] = o[k];
      if (contextData !== undefined) options[contextData.length <= 4_096 ? "contextData" : "contextDataChars"] = contextData.length <= 4_096 ? o.contextData : contextData.length;
      if (o.emailBody) options.emailBodyChars = o.emailBody.content.length;
      if (o.attachments) options.attachmentCount = o.attachments.length;
      const list = ctx.session.state.host.completions;
      // Outlook acts on the first completion of an event; later calls are recorded as ignored.
      record(list, { event, options, ...(list.some((c) => c.event === event) ? { ignored: true } : {}) });
      return null;
    },
  };
}

function locationCheck(name: string, max: number): MemberImpl {
  return {
    args: anyFirst,
    run(_ctx, [loc]) {
      if (typeof loc !== "number" || !Number.isInteger(loc) || loc < 0 || loc > max) throw new OfficeCallError(9031, [], name);
      // No Intune MAM policy governs an Outpost mailbox: every location is allowed.
      return true;
    },
  };
}

export const MAILBOX_EXTRA_MEMBERS: Record<string, MemberImpl> = {
  [`${M}.convertToLocalClientTime`]: {
    args: z.tuple([z.union([z.string().max(40), z.number()])]).rest(z.unknown()),
    async run(ctx, [value]) {
      const ms = new Date(value as string | number).getTime();
      if (Number.isNaN(ms)) throw new OfficeCallError(9031);
      return toLocalClientTime(ms, await timeZone(ctx));
    },
  },
  [`${M}.convertToUtcClientTime`]: {
    args: z.tuple([
      z.object({
        year: z.number().int().min(1).max(9999),
        month: z.number().int().min(0).max(11),
        date: z.number().int().min(1).max(31),
        hours: z.number().int().min(0).max(23).optional(),
        minutes: z.number().int().min(0).max(59).optional(),
        seconds: z.number().int().min(0).max(59).optional(),
        milliseconds: z.number().int().min(0).max(999).optional(),
        timezoneOffset: z.number().min(-1440).max(1440).optional(),
      }).passthrough(),
    ]).rest(z.unknown()),
    async run(ctx, [t]) {
      return new Date(fromLocalClientTime(t as Parameters<typeof fromLocalClientTime>[0], await timeZone(ctx))).toISOString();
    },
  },
  [`${M}.displayMessageForm`]: displayExisting("message"),
  [`${M}.displayMessageFormAsync`]: displayExisting("message"),
  [`${M}.displayAppointmentForm`]: displayExisting("appointment"),
  [`${M}.displayAppointmentFormAsync`]: displayExisting("appointment"),
  [`${M}.displayNewMessageForm`]: displayNew(checkMessageForm),
  [`${M}.displayNewMessageFormAsync`]: displayNew(checkMessageForm),
  [`${M}.displayNewAppointmentForm`]: displayNew(checkAppointmentForm),
  [`${M}.displayNewAppointmentFormAsync`]: displayNew(checkAppointmentForm),
  // No reading pane selection reaches the host: the open message is the selection (messages only, as in Outlook).
  [`${M}.getSelectedItemsAsync`]: {
    args: noArgs,
    async run(ctx) {
      if (ctx.session.spec.itemId === null) return [];
      const item = await ctx.item();
      return item.itemType === "message" ? [selectedItemDetails(item, ctx.session.spec.form)].slice(0, SELECTED_ITEMS_MAX) : [];
    },
  },
  [`${M}.loadItemByIdAsync`]: {
    args: itemIdArg,
    async run(ctx, [id]) {
      const host = ctx.session.state.host;
      // One loaded item at a time: the add-in must unload it first.
      if (host.loadedItemId !== null && host.loadedItemId !== id) throw new OfficeCallError(5004);
      const item = await mailboxItem(ctx, id, "loadItemByIdAsync");
      if (!item || item.itemType !== "message") throw new OfficeCallError(9031);
      host.loadedItemId = item.id;
      return loadedMessage(item, ctx);
    },
  },
  "Office.LoadedMessageRead.unloadAsync": unload,
  "Office.LoadedMessageCompose.unloadAsync": unload,
  [`${M}.diagnostics.ews.getTokenStatusAsync`]: {
    args: noArgs,
    // Removed 2 when the tenant's mode says so (src/identity/legacy.ts); Enabled 1 only when both the session's policy
    // and the tenant allow them; else Disabled 0.
    run: async (ctx) => {
      const mode = await legacyTokenMode(ctx.store.db, ctx.session.spec.tenantId);
      return LEGACY_TOKEN_STATUS[mode === "removed" ? "removed" : mode !== "disabled" && ctx.session.spec.tenant.legacyTokensEnabled ? "enabled" : "disabled"];
    },
  },
  // Preview members answered for a mailbox no Intune policy manages.
  [`${M}.getIsIdentityManaged`]: { args: noArgs, run: () => false },
  [`${M}.getIsOpenFromLocationAllowed`]: locationCheck("InvalidOpenLocationInput", OPEN_LOCATION_MAX),
  [`${M}.getIsSaveToLocationAllowed`]: locationCheck("InvalidSaveLocationInput", SAVE_LOCATION_MAX),
  "Office.context.sensitivityLabelsCatalog.getAsync": { args: noArgs, run: () => sensitivityLabelCatalogue() },
  "Office.context.sensitivityLabelsCatalog.getIsEnabledAsync": { args: noArgs, run: () => true },
  "Office.MailboxEvent.completed": completed("MailboxEvent"),
  "Office.AddinCommands.Event.completed": completed("AddinCommands.Event"),
};
