/** The one registry of member implementations, keyed by the permission table's path. */
import type { MemberImpl, PropertyGetter } from "./context.ts";
import { ITEM_COMPOSE_MEMBERS } from "./item-compose.ts";
import { ITEM_PROPERTIES, ITEM_READ_MEMBERS } from "./item-read.ts";
import { ITEM_SHARED_MEMBERS } from "./item-shared.ts";
import { MAILBOX_MEMBERS } from "./mailbox.ts";
import { EWS_MEMBERS } from "./ews.ts";
import { MAILBOX_EXTRA_MEMBERS } from "./mailbox-extra.ts";
import { ITEM_EXTRA_MEMBERS } from "./item-extra.ts";
import { ITEM_APPOINTMENT_MEMBERS, ITEM_APPOINTMENT_PROPERTIES } from "./item-appointment.ts";
import { ITEM_ATTACHMENT_EXTRA_MEMBERS } from "./item-attachments-extra.ts";

export const MEMBERS: ReadonlyMap<string, MemberImpl> = new Map(
  Object.entries({ ...ITEM_READ_MEMBERS, ...ITEM_SHARED_MEMBERS, ...ITEM_COMPOSE_MEMBERS, ...MAILBOX_MEMBERS, ...EWS_MEMBERS, ...MAILBOX_EXTRA_MEMBERS,
    ...ITEM_EXTRA_MEMBERS, ...ITEM_APPOINTMENT_MEMBERS, ...ITEM_ATTACHMENT_EXTRA_MEMBERS }),
);

export const PROPERTIES: ReadonlyMap<string, PropertyGetter> = new Map(Object.entries({ ...ITEM_PROPERTIES, ...ITEM_APPOINTMENT_PROPERTIES }));

export { MAILBOX_PROPERTIES, type MailboxFacts } from "./mailbox.ts";
export { DATE_PROPERTIES } from "./item-read.ts";
