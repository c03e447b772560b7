/**
 * Office.LocalClientTime conversions in the user's time zone (the store's user profile, an IANA name; Outlook on
 * the web uses the mailbox's time zone the same way). The page's copy of this arithmetic lives inside the shim's
 * installOffice (it must be self-contained); the runtime tests check both give the same answers.
 */

export interface LocalClientTime {
  month: number;
  date: number;
  year: number;
  hours: number;
  minutes: number;
  seconds: number;
  milliseconds: number;
  /** Minutes the local time is ahead of UTC (negative west of Greenwich). */
  timezoneOffset: number;
}

/** Minutes `timeZone` is ahead of UTC at the instant `utcMs`; 0 for a zone the platform does not know. */
export function zoneOffsetMinutes(timeZone: string, utcMs: number): number {
  try {
    const format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    const p: Record<string, number> = {};
    for (const part of format.formatToParts(new Date(utcMs))) if (part.type !== "literal") p[part.type] = Number(part.value);
    const wholeSecond = utcMs - (((utcMs % 1000) + 1000) % 1000);
    const asUtc = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour! % 24, p.minute!, p.second!);
    return Math.round((asUtc - wholeSecond) / 60_000);
  } catch {
    return 0;
  }
}

export function toLocalClientTime(utcMs: number, timeZone: string): LocalClientTime {
  const offset = zoneOffsetMinutes(timeZone, utcMs);
  const d = new Date(utcMs + offset * 60_000);
  return {
    month: d.getUTCMonth(),
    date: d.getUTCDate(),
    year: d.getUTCFullYear(),
    hours: d.getUTCHours(),
    minutes: d.getUTCMinutes(),
    seconds: d.getUTCSeconds(),
    milliseconds: d.getUTCMilliseconds(),
    timezoneOffset: offset,
  };
}

/**
 * The UTC instant of local time parts. A `timezoneOffset` in the input is honoured (it is what
 * convertToLocalClientTime handed out); without one, the zone's offset at that local time is used.
 */
export function fromLocalClientTime(t: Partial<LocalClientTime> & Pick<LocalClientTime, "year" | "month" | "date">, timeZone: string): number {
  const asUtc = Date.UTC(t.year, t.month, t.date, t.hours ?? 0, t.minutes ?? 0, t.seconds ?? 0, t.milliseconds ?? 0);
  if (typeof t.timezoneOffset === "number" && Number.isFinite(t.timezoneOffset)) return asUtc - t.timezoneOffset * 60_000;
  // Two passes settle the offset around a daylight-saving change.
  let offset = zoneOffsetMinutes(timeZone, asUtc);
  offset = zoneOffsetMinutes(timeZone, asUtc - offset * 60_000);
  return asUtc - offset * 60_000;
}
