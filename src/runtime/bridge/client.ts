/**
 * The host side of the bridge: holds the session secret (never handed to add-in code), numbers and signs each call,
 * and sends it through a transport — dispatch in-process for the headless runner, HTTP for the browser host page.
 */
import { PROTOCOL_VERSION, type CallMessage, type CallResult } from "./protocol.ts";
import { sign } from "./sign.ts";

export type Send = (message: CallMessage) => Promise<CallResult>;

export interface SessionHandle {
  id: string;
  /** hex; the host page keeps it out of the add-in's frame. */
  secret: string;
  itemId: string | null;
}

export class BridgeClient {
  private seq = 0;
  private readonly secret: Buffer;
  constructor(
    readonly handle: SessionHandle,
    private readonly send: Send,
  ) {
    this.secret = Buffer.from(handle.secret, "hex");
  }

  /** The signed message for a call (tests forge variations of it). */
  message(member: string, args: readonly unknown[] = []): CallMessage {
    this.seq += 1;
    return sign(this.secret, { v: PROTOCOL_VERSION, session: this.handle.id, seq: this.seq, item: this.handle.itemId, member, args: [...args] });
  }

  call(member: string, args: readonly unknown[] = []): Promise<CallResult> {
    return this.send(this.message(member, args));
  }
}
