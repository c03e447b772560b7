import assert from "node:assert/strict";
import { describe, it, before, after } from "node:test";
import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { exportMailbox, importMessages, parseMessage, readMessages, type MailboxStore } from "../../src/mailbox/index.ts";
import { type Backend, bytes, pgliteBackend, smallWorld } from "./helpers.ts";

const CORPUS = fileURLToPath(new URL("../../../shared/corpus/eml/", import.meta.url));

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(p)));
    else if (e.name.endsWith(".eml")) out.push(p);
  }
  return out;
}

/** What a reader sees of a message: headers, both bodies, attachment bytes. */
async function view(raw: Uint8Array) {
  const p = await parseMessage(raw);
  return {
    headers: p.headerBlock,
    subject: p.subject,
    from: p.from,
    to: p.to,
    text: p.text,
    html: p.html,
    attachments: p.attachments.map((a) => ({ name: a.name, type: a.contentType, hash: a.hash, size: a.data.byteLength })),
  };
}

describe("import → export round trip", () => {
  let backend: Backend;
  let store: MailboxStore;
  let dir: string;
  before(async () => {
    backend = await pgliteBackend();
    dir = await mkdtemp(join(tmpdir(), "outpost-roundtrip-"));
  });
  after(async () => {
    await backend.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("gives back every corpus .eml byte for byte, with the same headers, bodies and attachments", async () => {
    store = await backend.fresh();
    const w = await smallWorld(store);
    const originals = await walk(CORPUS);
    assert.ok(originals.length >= 20);
    const result = await importMessages(store, readMessages(CORPUS), { mailboxId: w.alice.mailbox.id, batchSize: 5 });
    assert.equal(result.failed, 0, JSON.stringify(result.failures));
    assert.equal(result.imported, originals.length);
    const out = await exportMailbox(store, w.alice.mailbox.id, join(dir, "corpus"));
    assert.equal(out.exported, originals.length);
    assert.equal(out.verbatim, originals.length);
    const exported = new Map<string, Buffer>();
    for (const f of out.files) {
      const b = await readFile(f);
      exported.set(createHash("sha256").update(b).digest("hex"), b);
    }
    for (const file of originals) {
      const original = await readFile(file);
      const hash = createHash("sha256").update(original).digest("hex");
      const back = exported.get(hash);
      assert.ok(back, `${file} came back byte for byte`);
      assert.deepEqual(await view(back), await view(original), file);
    }
  });

  it("writes items created here as MIME that parses back to the same fields and attachment bytes", async () => {
    store = await backend.fresh();
    const w = await smallWorld(store);
    const drafts = (await store.mailboxes.resolveFolder(w.alice.mailbox.id, "drafts"))!;
    const data = bytes(200_000, 3);
    const item = await store.items.create(w.alice.mailbox.id, drafts.id, {
      subject: "Café ☕ plans",
      bodyText: "Plain body\nline 2",
      bodyHtml: "<p>HTML body</p>",
      from: { name: "Alice", address: "alice@contoso.example" },
      to: [{ name: "Éloïse", address: "eloise@example.com" }],
      attachments: [{ name: "data.bin", data, contentType: "application/octet-stream" }],
      isDraft: true,
    });
    const out = await exportMailbox(store, w.alice.mailbox.id, join(dir, "created"));
    assert.equal(out.exported, 1);
    assert.equal(out.verbatim, 0);
    const parsed = await parseMessage(await readFile(out.files[0]!));
    assert.equal(parsed.subject, item.subject);
    assert.equal(parsed.text?.trim(), "Plain body\nline 2");
    assert.equal(parsed.html?.trim(), "<p>HTML body</p>");
    assert.deepEqual(parsed.to, [{ name: "Éloïse", address: "eloise@example.com" }]);
    assert.equal(parsed.attachments.length, 1);
    assert.ok(Buffer.from(parsed.attachments[0]!.data).equals(data));
  });
});
