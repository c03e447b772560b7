/** What a member implementation receives: the store, the session and lazy access to the session's item. */
import type { z } from "zod";
import type { Item, MailboxStore } from "../../mailbox/index.ts";
import { officeError, type OfficeErrorValue } from "../../permissions/index.ts";
import type { Session } from "../session.ts";

export interface CallContext {
  readonly store: MailboxStore;
  readonly session: Session;
  /** The session's item, loaded once per call; throws OfficeCallError 9030-like when it vanished. */
  item(): Promise<Item>;
}

/** A failure an implementation reports to the add-in as `asyncResult.error`. */
export class OfficeCallError extends Error {
  readonly error: OfficeErrorValue;
  constructor(code: number, params: readonly string[] = []) {
    const error = officeError(code, params);
    super(error.message);
    this.error = error;
  }
}

export interface MemberImpl {
  /** Validates the JSON arguments (after callbacks and asyncContext were stripped on the page). */
  readonly args: z.ZodType<readonly unknown[]>;
  run(ctx: CallContext, args: readonly unknown[]): Promise<unknown> | unknown;
}

/** A property's value for the page's item snapshot (read forms), or undefined when the item has none. */
export type PropertyGetter = (item: Item, ctx: CallContext) => unknown;
