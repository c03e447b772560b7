/** Appointment members: enhanced locations, recurrence and SeriesTime, all-day flag, sensitivity. */
import { z } from "zod";
import { LIMITS } from "../../mailbox/index.ts";
import { OfficeCallError, type CallContext, type MemberImpl, type PropertyGetter } from "./context.ts";
import { readExtras, writeExtras, writeSensitivity, type LocationDetailsValue } from "./item-extras-store.ts";
import { recurrenceInput, SERIES_TIME_GETTERS, SERIES_TIME_SETTERS, seriesTimeData, validateRecurrence, type SeriesTimeData } from "./series-time.ts";
import { noArgs } from "./shapes.ts";

const I = "Office.context.mailbox.item";
/** Locations an appointment may carry through enhancedLocation (Outpost's bound; Outlook documents none). */
export const MAX_LOCATIONS = 100;

const locationIds = z.tuple([z.array(z.object({ id: z.string().min(1).max(LIMITS.location), type: z.enum(["custom", "room"]) }).strip()).min(1).max(MAX_LOCATIONS)]).rest(z.unknown());

function detailsOf(id: string, type: "custom" | "room"): LocationDetailsValue {
  return { locationIdentifier: { id, type }, displayName: id, emailAddress: type === "room" ? id : "" };
}

/** The stored locations; an item never given any shows its plain location, one entry per "; "-separated part. */
async function locations(ctx: CallContext): Promise<LocationDetailsValue[]> {
  const item = await ctx.item();
  const stored = (await readExtras(ctx.store, item.id)).locations;
  if (stored) return stored;
  return (item.location ?? "")
    .split(";")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => detailsOf(s, "custom"));
}

async function saveLocations(ctx: CallContext, list: LocationDetailsValue[]): Promise<null> {
  const item = await ctx.item();
  if (list.length > MAX_LOCATIONS) throw new OfficeCallError(9031);
  await writeExtras(ctx.store, item.id, { locations: list });
  // The plain location follows, as in Outlook: the display names joined, within the location limit.
  await ctx.store.items.update(item.id, { location: list.map((l) => l.displayName).join("; ").slice(0, LIMITS.location) });
  return null;
}

const key = (l: { id: string; type: string }) => `${l.type}\u0000${l.id.toLowerCase()}`;

const SENSITIVITY = ["normal", "personal", "private", "confidential"] as const;

function seriesTimeMembers(): Record<string, MemberImpl> {
  const out: Record<string, MemberImpl> = {};
  for (const [name, get] of Object.entries(SERIES_TIME_GETTERS)) {
    out[`Office.SeriesTime.${name}`] = { args: z.tuple([seriesTimeData]).rest(z.unknown()), run: (_c, [s]) => get(s as SeriesTimeData) };
  }
  for (const [name, set] of Object.entries(SERIES_TIME_SETTERS)) {
    out[`Office.SeriesTime.${name}`] = {
      args: z.tuple([seriesTimeData]).rest(z.union([z.number(), z.string().max(40)])),
      run: (_c, [s, ...rest]) => set(s as SeriesTimeData, rest),
    };
  }
  return out;
}

/** Read-form snapshot: `item.recurrence` (null for a single item; the page gives its seriesTime the SeriesTime methods). */
export const ITEM_APPOINTMENT_PROPERTIES: Record<string, PropertyGetter> = {
  [`${I}.recurrence`]: async (item, ctx) => (await readExtras(ctx.store, item.id)).recurrence ?? null,
};

export const ITEM_APPOINTMENT_MEMBERS: Record<string, MemberImpl> = {
  [`${I}.enhancedLocation.getAsync`]: { args: noArgs, run: (ctx) => locations(ctx) },
  [`${I}.enhancedLocation.addAsync`]: {
    args: locationIds,
    async run(ctx, [ids]) {
      const list = await locations(ctx);
      const seen = new Set(list.map((l) => key(l.locationIdentifier)));
      for (const l of ids as Array<{ id: string; type: "custom" | "room" }>) {
        if (seen.has(key(l))) continue;
        seen.add(key(l));
        list.push(detailsOf(l.id, l.type));
      }
      return saveLocations(ctx, list);
    },
  },
  [`${I}.enhancedLocation.removeAsync`]: {
    args: locationIds,
    async run(ctx, [ids]) {
      const drop = new Set((ids as Array<{ id: string; type: string }>).map(key));
      return saveLocations(ctx, (await locations(ctx)).filter((l) => !drop.has(key(l.locationIdentifier))));
    },
  },
  [`${I}.recurrence.getAsync`]: { args: noArgs, run: async (ctx) => (await readExtras(ctx.store, (await ctx.item()).id)).recurrence ?? null },
  [`${I}.recurrence.setAsync`]: {
    // Parsed inside, so that a malformed pattern is 9034 InvalidRecurrenceError as in Outlook, not a generic 9031.
    args: z.tuple([z.unknown()]).rest(z.unknown()),
    async run(ctx, [input]) {
      const item = await ctx.item();
      if (input === null) return (await writeExtras(ctx.store, item.id, { recurrence: null }), null);
      const parsed = recurrenceInput.safeParse(input);
      if (!parsed.success) throw new OfficeCallError(9034);
      validateRecurrence(parsed.data);
      await writeExtras(ctx.store, item.id, { recurrence: parsed.data });
      return null;
    },
  },
  ...seriesTimeMembers(),
  [`${I}.isAllDayEvent.getAsync`]: { args: noArgs, run: async (ctx) => (await ctx.item()).isAllDay },
  [`${I}.isAllDayEvent.setAsync`]: {
    args: z.tuple([z.boolean()]).rest(z.unknown()),
    run: async (ctx, [v]) => (await ctx.store.items.update((await ctx.item()).id, { isAllDay: v as boolean }), null),
  },
  [`${I}.sensitivity.getAsync`]: {
    args: noArgs,
    run: async (ctx) => {
      const s = (await ctx.item()).sensitivity.toLowerCase();
      return (SENSITIVITY as readonly string[]).includes(s) ? s : "normal";
    },
  },
  [`${I}.sensitivity.setAsync`]: {
    args: z.tuple([z.string().max(20)]).rest(z.unknown()),
    async run(ctx, [v]) {
      const s = (v as string).toLowerCase();
      if (!(SENSITIVITY as readonly string[]).includes(s)) throw new OfficeCallError(9031);
      await writeSensitivity(ctx.store, (await ctx.item()).id, s[0]!.toUpperCase() + s.slice(1));
      return null;
    },
  },
};
