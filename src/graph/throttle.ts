/**
 * Graph's Outlook-service throttling, per app and mailbox: a fixed window of requests (Graph documents 10,000 per
 * 10 minutes per app per mailbox). Over the limit a request gets 429 with Retry-After, the seconds until the window
 * ends. Counted per process (each app server counts its own share); OUTPOST_GRAPH_THROTTLE="<n>/<seconds>" overrides.
 */
export interface ThrottleLimit {
  requests: number;
  windowSeconds: number;
}

export function throttleLimitFromEnv(value = process.env.OUTPOST_GRAPH_THROTTLE): ThrottleLimit {
  const m = value ? /^(\d{1,9})\/(\d{1,6})$/.exec(value) : null;
  return m ? { requests: Number(m[1]), windowSeconds: Math.max(1, Number(m[2])) } : { requests: 10_000, windowSeconds: 600 };
}

export class Throttle {
  private windows = new Map<string, { start: number; count: number }>();
  constructor(readonly limit: ThrottleLimit = throttleLimitFromEnv()) {}

  /** Counts one request; returns the Retry-After seconds when over the limit, else undefined. */
  hit(clientId: string, mailboxId: string, now = Date.now()): number | undefined {
    const key = `${clientId}\u0000${mailboxId}`;
    const windowMs = this.limit.windowSeconds * 1000;
    let w = this.windows.get(key);
    if (!w || now - w.start >= windowMs) {
      if (this.windows.size > 50_000) this.windows.clear();
      this.windows.set(key, (w = { start: now, count: 0 }));
    }
    w.count++;
    if (w.count <= this.limit.requests) return undefined;
    return Math.max(1, Math.ceil((w.start + windowMs - now) / 1000));
  }
}
