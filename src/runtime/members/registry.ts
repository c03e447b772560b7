/** The one registry of member implementations, keyed by the permission table's path. */
import { z } from "zod";
import { OfficeCallError, type MemberImpl, type PropertyGetter } from "./context.ts";
import { enforceLimits } from "./limits.ts";
import { ITEM_COMPOSE_MEMBERS } from "./item-compose.ts";
import { ITEM_PROPERTIES, ITEM_READ_MEMBERS } from "./item-read.ts";
import { ITEM_SHARED_MEMBERS } from "./item-shared.ts";
import { MAILBOX_MEMBERS } from "./mailbox.ts";
import { EWS_MEMBERS } from "./ews.ts";
import { MAILBOX_EXTRA_MEMBERS } from "./mailbox-extra.ts";
import { ITEM_EXTRA_MEMBERS } from "./item-extra.ts";
import { ITEM_APPOINTMENT_MEMBERS, ITEM_APPOINTMENT_PROPERTIES } from "./item-appointment.ts";
import { ITEM_ATTACHMENT_EXTRA_MEMBERS } from "./item-attachments-extra.ts";

const anyArgs = z.array(z.unknown()).readonly();

/**
 * The table's limits are measured first, so that an argument over its documented limit gets the documented error
 * (DataExceedsMaximumSize …), not the argument schema's generic 9031; then the member's own schema applies.
 */
function withTableLimits(path: string, impl: MemberImpl): MemberImpl {
  return {
    args: anyArgs,
    run(ctx, raw) {
      enforceLimits(path, raw);
      const parsed = impl.args.safeParse(raw);
      if (!parsed.success) throw new OfficeCallError(9031);
      return impl.run(ctx, parsed.data);
    },
  };
}

export const MEMBERS: ReadonlyMap<string, MemberImpl> = new Map(
  Object.entries({ ...ITEM_READ_MEMBERS, ...ITEM_SHARED_MEMBERS, ...ITEM_COMPOSE_MEMBERS, ...MAILBOX_MEMBERS, ...EWS_MEMBERS, ...MAILBOX_EXTRA_MEMBERS,
    ...ITEM_EXTRA_MEMBERS, ...ITEM_APPOINTMENT_MEMBERS, ...ITEM_ATTACHMENT_EXTRA_MEMBERS }).map(([path, impl]) => [path, withTableLimits(path, impl)]),
);

export const PROPERTIES: ReadonlyMap<string, PropertyGetter> = new Map(Object.entries({ ...ITEM_PROPERTIES, ...ITEM_APPOINTMENT_PROPERTIES }));

export { MAILBOX_PROPERTIES, type MailboxFacts } from "./mailbox.ts";
export { DATE_PROPERTIES } from "./item-read.ts";
