import { importMessages } from "../import/importer.ts";
import type { MailboxStore } from "../store/store.ts";
import type { Mailbox, User } from "../store/types.ts";
import { generateSeedMessages } from "./messages.ts";

export const DEMO_PASSWORD = "outpost-demo";

export interface SeedOptions {
  /** Messages in Alice's inbox (the shared mailbox and Bob get a tenth each, at most 200). */
  messages?: number;
  /** Password of every demo user (demo only). */
  password?: string;
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface SeedResult {
  tenantId: string;
  users: Record<"alice" | "bob" | "eve", User>;
  mailboxes: Record<"alice" | "bob" | "support" | "eve", Mailbox>;
  imported: number;
}

/**
 * A deterministic demo installation: tenant Contoso with Alice (admin) and Bob, a shared mailbox "Support"
 * (Alice full access, Bob editor; Bob is also a reviewer delegate of Alice's mailbox), a second tenant Fabrikam
 * with Eve, and seeded mail: entities, attachments, meeting requests, threads, appointments, categories.
 * Idempotent: running it again adds nothing that is already there.
 */
export async function seedDemoMailbox(store: MailboxStore, options: SeedOptions = {}): Promise<SeedResult> {
  const count = options.messages ?? 200;
  const password = options.password ?? DEMO_PASSWORD;
  const contoso = (await store.directory.getTenant("contoso")) ?? (await store.directory.createTenant({ id: "contoso", name: "Contoso" }));
  const fabrikam = (await store.directory.getTenant("fabrikam")) ?? (await store.directory.createTenant({ id: "fabrikam", name: "Fabrikam" }));
  const person = async (tenantId: string, email: string, displayName: string, isAdmin = false) => {
    const existing = await store.directory.getUserByEmail(email);
    if (existing) return { user: existing, mailbox: (await store.mailboxes.ownMailbox(existing.id))! };
    return store.provisionUser({ tenantId, email, displayName, password, isAdmin, timeZone: "America/Los_Angeles" });
  };
  const alice = await person(contoso.id, "alice@contoso.example", "Alice Example", true);
  const bob = await person(contoso.id, "bob@contoso.example", "Bob Example");
  const eve = await person(fabrikam.id, "eve@fabrikam.example", "Eve Example", true);
  const support =
    (await store.mailboxes.getByEmail("support@contoso.example")) ??
    (await store.mailboxes.createShared({ tenantId: contoso.id, email: "support@contoso.example", displayName: "Contoso Support" }));
  await store.mailboxes.grant(support.id, alice.user.id, "full_access");
  await store.mailboxes.grant(support.id, bob.user.id, "editor");
  await store.mailboxes.grant(alice.mailbox.id, bob.user.id, "reviewer");

  const side = Math.min(200, Math.ceil(count / 10));
  const total = count + 2 * side;
  let done = 0;
  const progress = (n: number) => options.onProgress?.(done + n, total);
  const runs: Array<[Mailbox, number, { name: string; address: string }, string]> = [
    [alice.mailbox, count, { name: alice.user.displayName, address: alice.user.email }, "seed-alice"],
    [support, side, { name: support.displayName, address: support.email }, "seed-support"],
    [bob.mailbox, side, { name: bob.user.displayName, address: bob.user.email }, "seed-bob"],
  ];
  let imported = 0;
  for (const [mailbox, n, to, idPrefix] of runs) {
    const source = generateSeedMessages(n, { to, cc: { name: bob.user.displayName, address: bob.user.email } }, { idPrefix, seed: idPrefix.length * 7919 });
    const r = await importMessages(store, toAsync(source), { mailboxId: mailbox.id, batchSize: options.batchSize ?? 250, onProgress: (p) => progress(p.seen) });
    imported += r.imported;
    done += n;
  }
  await seedCalendarAndCategories(store, alice.mailbox, alice.user, Math.min(30, Math.ceil(count / 20)));
  await seedCalendarAndCategories(store, support, alice.user, 5);
  return {
    tenantId: contoso.id,
    users: { alice: alice.user, bob: bob.user, eve: eve.user },
    mailboxes: { alice: alice.mailbox, bob: bob.mailbox, support, eve: eve.mailbox },
    imported,
  };
}

async function seedCalendarAndCategories(store: MailboxStore, mailbox: Mailbox, organizer: User, appointments: number) {
  const calendar = (await store.mailboxes.resolveFolder(mailbox.id, "calendar"))!;
  if ((await store.items.list(calendar.id, { limit: 1 })).total === 0) {
    const base = Date.UTC(2026, 0, 6, 16, 0, 0);
    for (let i = 0; i < appointments; i++) {
      const start = new Date(base + i * 86_400_000 + (i % 3) * 3_600_000);
      await store.items.create(mailbox.id, calendar.id, {
        itemType: "appointment",
        subject: ["Weekly sync", "1:1", "Customer call: Northwind", "Design review", "Lunch & learn"][i % 5]!,
        bodyText: `Agenda: status, risks. Dial-in (425) 555-01${String(i % 100).padStart(2, "0")}. Room at One Microsoft Way, Redmond, WA 98052.`,
        from: { name: organizer.displayName, address: organizer.email },
        requiredAttendees: [{ name: "Bob Example", address: "bob@contoso.example" }],
        optionalAttendees: i % 2 ? [{ name: "Adele Vance", address: "adele.vance@northwind.example" }] : [],
        start,
        end: new Date(start.getTime() + 3_600_000),
        location: i % 2 ? "Conference Room 4" : "Teams",
        isRead: true,
        categories: i % 4 === 0 ? ["Blue category"] : [],
        internetMessageId: `<seed-appointment-${i + 1}@outpost.demo>`,
      });
    }
  }
  if ((await store.addinData.listMasterCategories(mailbox.id)).length === 0) {
    await store.addinData.addMasterCategories(mailbox.id, [
      { name: "Red category", color: "Preset0" },
      { name: "Blue category", color: "Preset7" },
      { name: "Customer", color: "Preset4" },
    ]);
  }
}

async function* toAsync<T>(it: Iterable<T>): AsyncGenerator<T> {
  yield* it;
}
