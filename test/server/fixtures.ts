import type { FastifyInstance } from "fastify";
import { createServer } from "../../src/server/app.ts";
import type { MailboxStore } from "../../src/mailbox/index.ts";
import { bytes, smallWorld } from "../mailbox/helpers.ts";

export const SOAP = (body: string) =>
  `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types" xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages"><soap:Body>${body}</soap:Body></soap:Envelope>`;

/** A world with items: alice's I1 (with attachment) and I2, an item in bob's mailbox and one in eve's tenant. */
export async function serverWorld(store: MailboxStore) {
  const w = await smallWorld(store);
  await store.mailboxes.grant(w.support.id, w.alice.user.id, "full_access");
  await store.mailboxes.grant(w.alice.mailbox.id, w.bob.user.id, "reviewer");
  const folder = async (mailboxId: string, name: string) => (await store.mailboxes.resolveFolder(mailboxId, name))!;
  const aliceInbox = await folder(w.alice.mailbox.id, "inbox");
  const attData = bytes(50_000, 9);
  const i1 = await store.items.create(w.alice.mailbox.id, aliceInbox.id, {
    subject: "Invoice",
    bodyText: "see attached",
    from: { name: "Lee", address: "lee@tailspin.example" },
    to: [{ name: "Alice", address: "alice@contoso.example" }],
    attachments: [{ name: "invoice.pdf", data: attData, contentType: "application/pdf" }],
  });
  const i2 = await store.items.create(w.alice.mailbox.id, aliceInbox.id, { subject: "Other", bodyText: "x" });
  const ib = await store.items.create(w.bob.mailbox.id, (await folder(w.bob.mailbox.id, "inbox")).id, { subject: "Bob's", bodyText: "x" });
  const ie = await store.items.create(w.eve.mailbox.id, (await folder(w.eve.mailbox.id, "inbox")).id, { subject: "Eve's", bodyText: "x" });
  const userFolder = await store.mailboxes.createFolder(w.alice.mailbox.id, aliceInbox.id, "Projects");
  const folders = {
    root: (await folder(w.alice.mailbox.id, "msgfolderroot")).id,
    inbox: aliceInbox.id,
    drafts: (await folder(w.alice.mailbox.id, "drafts")).id,
    archive: (await folder(w.alice.mailbox.id, "archive")).id,
  };
  return { ...w, i1, i2, ib, ie, attData, attachmentId: i1.attachments[0]!.id, userFolder, folders };
}

export async function server(store: MailboxStore, settings?: { ewsMaxBytes?: number }): Promise<FastifyInstance> {
  return createServer({ store, cookieSecret: "test-secret-test-secret-test-secret", settings });
}
