/** Shared fixtures: one in-memory runtime host with a user, a message and an appointment. */
import { RuntimeHost } from "../../src/runtime/host.ts";
import type { Item, Mailbox, User } from "../../src/mailbox/index.ts";

export const MESSAGE_EML =
  "From: Alice Example <alice@contoso.example>\r\nTo: Bob <bob@fabrikam.example>\r\nCc: carol@fabrikam.example\r\nSubject: Quarterly numbers\r\nMessage-ID: <q1@contoso.example>\r\nDate: Mon, 2 Mar 2026 10:00:00 +0000\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHi Bob, call me at +1 425 555 0100 or visit https://contoso.example/q1 before Friday.\r\n";

export interface Fixture {
  host: RuntimeHost;
  user: User;
  mailbox: Mailbox;
  message: Item;
  appointment: Item;
}

export async function makeFixture(host?: RuntimeHost): Promise<Fixture> {
  const h = host ?? (await RuntimeHost.create());
  const { user, mailbox } = await h.provisionUser({ displayName: "Bob Tester" });
  const message = await h.importEml(mailbox, MESSAGE_EML);
  const appointment = await h.createItem(
    mailbox,
    { itemType: "appointment", itemClass: "IPM.Appointment", subject: "Planning", start: new Date("2026-03-03T09:00:00Z"), end: new Date("2026-03-03T10:00:00Z"), location: "Room 1", bodyText: "Agenda" },
    "calendar",
  );
  return { host: h, user, mailbox, message, appointment };
}
