/**
 * One WebSocket per host page to the bridge (`/bridge/ws`), shared by every relay: a signed call is one message each
 * way instead of an HTTP request. The server hands each message to the same dispatch as POST /bridge/call, so the
 * socket changes the transport only. When the socket cannot open, calls go over HTTP instead (the relay's fallback);
 * a call in flight when an open socket drops fails as a lost request does (it may have run: never re-sent).
 */
import type { CallResultLike } from "./protocol.ts";

export class BridgeSocket {
  private ws: WebSocket | null = null;
  private opening: Promise<WebSocket | null> | null = null;
  private unavailable = false;
  private next = 0;
  private readonly pending = new Map<number, (r: CallResultLike) => void>();

  constructor(private readonly url: string) {}

  private open(): Promise<WebSocket | null> {
    if (this.unavailable) return Promise.resolve(null);
    if (this.ws?.readyState === WebSocket.OPEN) return Promise.resolve(this.ws);
    return (this.opening ??= new Promise<WebSocket | null>((resolve) => {
      let ws: WebSocket;
      try {
        ws = new WebSocket(new URL(this.url, globalThis.location?.href).href.replace(/^http/, "ws"));
      } catch {
        this.unavailable = true;
        this.opening = null;
        return resolve(null);
      }
      let opened = false;
      ws.onopen = () => {
        opened = true;
        this.ws = ws;
        this.opening = null;
        resolve(ws);
      };
      ws.onmessage = (e: MessageEvent) => {
        let d: { id?: unknown; result?: CallResultLike };
        try {
          d = JSON.parse(String(e.data)) as typeof d;
        } catch {
          return;
        }
        const done = typeof d.id === "number" ? this.pending.get(d.id) : undefined;
        if (!done || !d.result) return;
        this.pending.delete(d.id as number);
        done(d.result);
      };
      ws.onclose = () => {
        if (!opened) {
          // Never opened (no WebSocket route, a proxy that does not upgrade, CSP): HTTP from now on.
          this.unavailable = true;
          this.opening = null;
          resolve(null);
        }
        if (this.ws === ws) this.ws = null;
        for (const done of this.pending.values()) done(lost("The bridge connection closed before the answer came."));
        this.pending.clear();
      };
    }));
  }

  /** Sends one signed call; null when no socket is available (the caller sends it over HTTP). */
  async send(call: unknown): Promise<CallResultLike | null> {
    const ws = await this.open();
    if (!ws) return null;
    const id = ++this.next;
    return new Promise<CallResultLike>((resolve) => {
      this.pending.set(id, resolve);
      try {
        ws.send(JSON.stringify({ id, call }));
      } catch (e) {
        this.pending.delete(id);
        resolve(lost(`The bridge could not be reached: ${e instanceof Error ? e.message : String(e)}`));
      }
    });
  }
}

function lost(message: string): CallResultLike {
  return { outcome: "failed", error: { code: 5001, name: "InternalError", message }, reason: message };
}

const shared = new Map<string, BridgeSocket>();

/** The page's socket to a bridge URL (one per URL). */
export function bridgeSocket(url: string): BridgeSocket {
  let s = shared.get(url);
  if (!s) shared.set(url, (s = new BridgeSocket(url)));
  return s;
}
