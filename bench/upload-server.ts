/**
 * An Outpost server in a process of its own, fresh, for watching its memory while it receives uploads
 * (`node bench/upload-server.ts <data dir | postgres URL> [schema] [blob dir]`). Prints one JSON line {url, auth} once it
 * listens, then samples its RSS every 5 ms; each line "peak" on stdin is answered with the peak since the previous
 * one, as {peakMb, baseMb}. Ends when stdin closes.
 */
import { createInterface } from "node:readline";
import { openMailboxStore } from "../src/mailbox/index.ts";
import { createServer } from "../src/server/app.ts";

const [where, schema, blobDir] = process.argv.slice(2);
const store = where!.startsWith("postgres")
  ? await openMailboxStore({ databaseUrl: where!, schema: schema!, ...(blobDir ? { blobDir } : {}) })
  : await openMailboxStore({ dataDir: where! });
const tenant = await store.directory.createTenant({ id: "upload", name: "Upload" });
const { user, mailbox } = await store.provisionUser({ tenantId: tenant.id, email: "upload@bench.example", displayName: "Upload" });
const draft = await store.items.create(mailbox.id, (await store.mailboxes.resolveFolder(mailbox.id, "drafts"))!.id, { subject: "upload", bodyText: "x", isDraft: true });
const { token } = await store.tokens.issueCallbackToken({ userId: user.id, mailboxId: mailbox.id, addinId: "bench", tier: "ReadWriteMailbox", mode: "compose", kind: "rest", itemId: draft.id });
const app = await createServer({ store });
const base = await app.listen({ port: 0, host: "127.0.0.1" });
let baseline = process.memoryUsage().rss;
let peak = baseline;
const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
console.log(JSON.stringify({ url: `${base}/api/v2.0/me/messages/${draft.id}/attachments`, auth: `Bearer ${token}` }));
for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() !== "peak") continue;
  peak = Math.max(peak, process.memoryUsage().rss);
  console.log(JSON.stringify({ peakMb: (peak - baseline) / 1048576, baseMb: baseline / 1048576 }));
  baseline = process.memoryUsage().rss;
  peak = baseline;
}
clearInterval(timer);
await app.close();
await store.close();
