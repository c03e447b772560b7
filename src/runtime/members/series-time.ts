/**
 * `Office.SeriesTime` as a pure value object, and the validation of a recurrence pattern (recurrence.setAsync).
 * The page keeps its own copy of these rules in the shim (it must answer synchronously); the server re-runs them
 * for every `Office.SeriesTime.*` call it is told about and for every pattern it stores.
 *
 * Wire shape of a series time: `{ startDate: "YYYY-MM-DD", endDate: "YYYY-MM-DD" | "", startTime: minutes after
 * midnight, duration: minutes }`. Dates are calendar dates in the pattern's time zone; no time-zone arithmetic.
 */
import { z } from "zod";
import { OfficeCallError } from "./context.ts";

export const seriesTimeData = z
  .object({
    startDate: z.string().max(10).default(""),
    endDate: z.string().max(10).default(""),
    startTime: z.number().int().min(0).max(1439).default(0),
    duration: z.number().int().min(0).max(1_000_000).default(0),
  })
  .passthrough();
export type SeriesTimeData = { startDate: string; endDate: string; startTime: number; duration: number };

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function pad(n: number, w = 2): string {
  return String(n).padStart(w, "0");
}

/** A valid calendar date "YYYY-MM-DD", or undefined. */
export function parseDate(s: string): Date | undefined {
  const m = DATE.exec(s);
  // Exchange's calendar range; also bounds the occurrence count loop below.
  if (!m || Number(m[1]) < 1601 || Number(m[1]) > 4500) return undefined;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]) ? d : undefined;
}

function dateArg(args: readonly unknown[]): string {
  if (args.length >= 3) {
    const [y, mo, d] = args.map(Number);
    const date = new Date(Date.UTC(y!, mo!, d!));
    if ([y, mo, d].some((n) => !Number.isInteger(n)) || date.getUTCMonth() !== mo || date.getUTCDate() !== d) throw new OfficeCallError(9031);
    return `${pad(date.getUTCFullYear(), 4)}-${pad(mo! + 1)}-${pad(d!)}`;
  }
  const s = String(args[0] ?? "");
  if (!parseDate(s)) throw new OfficeCallError(9031);
  return s;
}

function timeArg(args: readonly unknown[]): number {
  let h: number;
  let m: number;
  if (args.length >= 2) [h, m] = [Number(args[0]), Number(args[1])];
  else {
    const match = /^T?(\d{1,2}):(\d{2})/.exec(String(args[0] ?? ""));
    if (!match) throw new OfficeCallError(9031);
    [h, m] = [Number(match[1]), Number(match[2])];
  }
  if (!Number.isInteger(h) || !Number.isInteger(m) || h < 0 || h > 23 || m < 0 || m > 59) throw new OfficeCallError(9031);
  return h * 60 + m;
}

/** "THH:mm:ss:mmm", the format the Office.js reference documents for getStartTime/getEndTime. */
function timeString(minutes: number): string {
  const m = ((minutes % 1440) + 1440) % 1440;
  return `T${pad(Math.floor(m / 60))}:${pad(m % 60)}:00:000`;
}

export const SERIES_TIME_GETTERS: Record<string, (s: SeriesTimeData) => unknown> = {
  getStartDate: (s) => s.startDate,
  getEndDate: (s) => s.endDate,
  getStartTime: (s) => timeString(s.startTime),
  getEndTime: (s) => timeString(s.startTime + s.duration),
  getDuration: (s) => s.duration,
};

/** Setters return the new value of the series time (the page's copy is changed in place). */
export const SERIES_TIME_SETTERS: Record<string, (s: SeriesTimeData, args: readonly unknown[]) => SeriesTimeData> = {
  setStartDate: (s, a) => ({ ...s, startDate: dateArg(a) }),
  setEndDate: (s, a) => ({ ...s, endDate: dateArg(a) }),
  setStartTime: (s, a) => ({ ...s, startTime: timeArg(a) }),
  setDuration: (s, a) => {
    const n = Number(a[0]);
    if (!Number.isInteger(n) || n < 0 || n > 1_000_000) throw new OfficeCallError(9031);
    return { ...s, duration: n };
  },
};

// ── Recurrence patterns ────────────────────────────────────────────────────────────────────────────

const DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"] as const;
const WEEKS = ["first", "second", "third", "fourth", "last"] as const;
const DAY_GROUPS = ["day", "weekday", "weekendDay"] as const;

export const recurrenceInput = z
  .object({
    recurrenceType: z.enum(["daily", "weekday", "weekly", "monthly", "yearly"]),
    recurrenceProperties: z
      .object({
        interval: z.number().int().min(1).max(999).optional(),
        dayOfMonth: z.number().int().min(1).max(31).optional(),
        dayOfWeek: z.enum([...DAYS, ...DAY_GROUPS]).optional(),
        days: z.array(z.enum(DAYS)).min(1).max(7).optional(),
        weekNumber: z.enum(WEEKS).optional(),
        month: z.enum(MONTHS).optional(),
        firstDayOfWeek: z.enum(DAYS).optional(),
      })
      .strip()
      .optional(),
    recurrenceTimeZone: z.object({ name: z.string().min(1).max(100), offset: z.number().optional() }).strip().optional(),
    seriesTime: seriesTimeData,
  })
  .strip();
export type RecurrenceData = z.infer<typeof recurrenceInput>;

export const MAX_OCCURRENCES = 999;

type Props = NonNullable<RecurrenceData["recurrenceProperties"]>;

function dayMatches(d: Date, dayOfWeek: NonNullable<Props["dayOfWeek"]>): boolean {
  const w = d.getUTCDay();
  if (dayOfWeek === "day") return true;
  if (dayOfWeek === "weekday") return w >= 1 && w <= 5;
  if (dayOfWeek === "weekendDay") return w === 0 || w === 6;
  return DAYS[w] === dayOfWeek;
}

/** The n-th (or last) day of a month that matches `dayOfWeek`. */
function nthDayMatches(d: Date, p: Props): boolean {
  if (!p.dayOfWeek || !p.weekNumber || !dayMatches(d, p.dayOfWeek)) return false;
  const y = d.getUTCFullYear();
  const mo = d.getUTCMonth();
  const matching: number[] = [];
  for (let day = 1; day <= 31; day++) {
    const c = new Date(Date.UTC(y, mo, day));
    if (c.getUTCMonth() !== mo) break;
    if (dayMatches(c, p.dayOfWeek)) matching.push(day);
  }
  const i = p.weekNumber === "last" ? matching.length - 1 : WEEKS.indexOf(p.weekNumber);
  return matching[i] === d.getUTCDate();
}

function isOccurrence(r: RecurrenceData, start: Date, d: Date): boolean {
  const p: Props = r.recurrenceProperties ?? {};
  const interval = p.interval ?? 1;
  const days = Math.round((d.getTime() - start.getTime()) / 86_400_000);
  const months = (d.getUTCFullYear() - start.getUTCFullYear()) * 12 + d.getUTCMonth() - start.getUTCMonth();
  switch (r.recurrenceType) {
    case "daily":
      return days % interval === 0;
    case "weekday":
      return dayMatches(d, "weekday");
    case "weekly": {
      const first = DAYS.indexOf(p.firstDayOfWeek ?? "sun");
      const weekStart = (x: Date) => Math.floor((x.getTime() / 86_400_000 - ((x.getUTCDay() - first + 7) % 7) + 0.5));
      const weeks = Math.round((weekStart(d) - weekStart(start)) / 7);
      return weeks % interval === 0 && (p.days ?? []).includes(DAYS[d.getUTCDay()]!);
    }
    case "monthly":
      return months % interval === 0 && (p.dayOfMonth !== undefined ? d.getUTCDate() === p.dayOfMonth : nthDayMatches(d, p));
    case "yearly":
      return (
        (d.getUTCFullYear() - start.getUTCFullYear()) % interval === 0 &&
        d.getUTCMonth() === MONTHS.indexOf(p.month!) &&
        (p.dayOfMonth !== undefined ? d.getUTCDate() === p.dayOfMonth : nthDayMatches(d, p))
      );
  }
}

/** Checks a pattern as Outlook does: 9034 invalid, 9035 no occurrence, 9036 more than 999, 9037 bad time zone. */
export function validateRecurrence(r: RecurrenceData): void {
  const p: Props = r.recurrenceProperties ?? {};
  if (r.recurrenceTimeZone && !/^[\p{L}\p{N} ()+\-.,/_:]+$/u.test(r.recurrenceTimeZone.name)) throw new OfficeCallError(9037);
  const needs: Record<RecurrenceData["recurrenceType"], boolean> = {
    daily: true,
    weekday: true,
    weekly: (p.days?.length ?? 0) > 0,
    monthly: p.dayOfMonth !== undefined || (p.dayOfWeek !== undefined && p.weekNumber !== undefined),
    yearly: p.month !== undefined && (p.dayOfMonth !== undefined || (p.dayOfWeek !== undefined && p.weekNumber !== undefined)),
  };
  if (!needs[r.recurrenceType]) throw new OfficeCallError(9034);
  const start = parseDate(r.seriesTime.startDate);
  if (!start) throw new OfficeCallError(9034);
  if (r.seriesTime.endDate === "") return; // no end date: the series does not end, nothing to count
  const end = parseDate(r.seriesTime.endDate);
  if (!end) throw new OfficeCallError(9034);
  if (end < start) throw new OfficeCallError(9035);
  let count = 0;
  for (let t = start.getTime(); t <= end.getTime(); t += 86_400_000) {
    if (isOccurrence(r, start, new Date(t)) && ++count > MAX_OCCURRENCES) throw new OfficeCallError(9036);
  }
  if (count === 0) throw new OfficeCallError(9035);
}
