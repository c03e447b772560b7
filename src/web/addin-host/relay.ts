/**
 * The host page's side of the bridge: holds the session (its secret as a non-extractable CryptoKey), numbers and
 * signs each call and posts it to /bridge/call. Calls go out one at a time, in order: the server refuses a sequence
 * number lower than one it has seen, so two requests racing on the network must not overtake each other (Outlook
 * serializes a page's calls too).
 */
import type { CallResultLike } from "./protocol.ts";
import { importSecret, signCall } from "./sign.ts";
import { bridgeSocket } from "./socket.ts";

/** What POST /bridge/sessions answers. */
export interface BridgeSession {
  session: string;
  secret: string;
  itemId: string | null;
}

export interface RelayOptions {
  /** Where calls go; default "/bridge/call" on the host page's origin. */
  bridgeUrl?: string;
  /** Default: window.fetch with the page's cookies. Tests and the browser runtime may hand their own. */
  fetch?: typeof fetch;
  /** The bridge's WebSocket (e.g. "/bridge/ws"): calls go over it, and over HTTP when it cannot open. Default: HTTP only. */
  socketUrl?: string;
}

export class BridgeRelay {
  private key: Promise<CryptoKey>;
  private seq = 0;
  private chain: Promise<unknown> = Promise.resolve();
  private current: BridgeSession;

  constructor(
    session: BridgeSession,
    private readonly options: RelayOptions = {},
  ) {
    this.current = { ...session };
    this.key = importSecret(session.secret);
    // The secret string is not kept: only the key object, which cannot be exported.
    this.current.secret = "";
  }

  get sessionId(): string {
    return this.current.session;
  }

  get itemId(): string | null {
    return this.current.itemId;
  }

  /** Moves to another session (ItemChanged: the bridge binds a session to one item). */
  switchSession(session: BridgeSession): void {
    this.chain = this.chain.then(() => {
      this.current = { ...session, secret: "" };
      this.key = importSecret(session.secret);
      this.seq = 0;
    });
  }

  call(member: string, args: unknown[]): Promise<CallResultLike> {
    const run = this.chain.then(() => this.send(member, args));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async send(member: string, args: unknown[]): Promise<CallResultLike> {
    this.seq += 1;
    const message = await signCall(await this.key, { v: 1, session: this.current.session, seq: this.seq, item: this.current.itemId, member, args });
    if (this.options.socketUrl) {
      const answer = await bridgeSocket(this.options.socketUrl).send(message);
      if (answer) return answer;
    }
    const doFetch = this.options.fetch ?? globalThis.fetch.bind(globalThis);
    try {
      const res = await doFetch(this.options.bridgeUrl ?? "/bridge/call", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(message),
        credentials: "same-origin",
      });
      if (!res.ok) return hostError(`The bridge answered HTTP ${res.status}.`);
      return (await res.json()) as CallResultLike;
    } catch (e) {
      return hostError(`The bridge could not be reached: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}

function hostError(message: string): CallResultLike {
  return { outcome: "failed", error: { code: 5001, name: "InternalError", message }, reason: message };
}
