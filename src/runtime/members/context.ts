/** What a member implementation receives: the store, the session and lazy access to the session's item. */
import type { z } from "zod";
import type { Item, MailboxStore } from "../../mailbox/index.ts";
import { officeError, type OfficeErrorValue } from "../../permissions/index.ts";
import type { Session } from "../session.ts";
import type { EwsExecutor } from "./ews.ts";

export interface CallContext {
  readonly store: MailboxStore;
  readonly session: Session;
  /** The session's item, loaded once per call; throws OfficeCallError 9030-like when it vanished. */
  item(): Promise<Item>;
  /** The server's EWS operations, when this host has them (makeEwsRequestAsync). */
  readonly ews?: EwsExecutor;
  /** Base URL the add-in sees for ewsUrl/restUrl (getSharedPropertiesAsync's targetRestUrl). */
  readonly baseUrl?: string;
}

/** A failure an implementation reports to the add-in as `asyncResult.error`. */
export class OfficeCallError extends Error {
  readonly error: OfficeErrorValue;
  /** When office.js throws synchronously for this (a size limit the page checks first), the exact message. */
  readonly thrown?: string;
  constructor(code: number, params: readonly string[] = [], thrown?: string) {
    const error = officeError(code, params);
    super(thrown ?? error.message);
    this.error = error;
    if (thrown !== undefined) this.thrown = thrown;
  }
}

export interface MemberImpl {
  /** Validates the JSON arguments (after callbacks and asyncContext were stripped on the page). */
  readonly args: z.ZodType<readonly unknown[]>;
  run(ctx: CallContext, args: readonly unknown[]): Promise<unknown> | unknown;
}

/** A property's value for the page's item snapshot (read forms), or undefined when the item has none. */
export type PropertyGetter = (item: Item, ctx: CallContext) => unknown;
