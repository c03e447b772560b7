import assert from "node:assert/strict";
import { describe, it, after } from "node:test";
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { generateSeedMessages, openMailboxStore } from "../../src/mailbox/index.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const TOTAL = 1500;

function runImport(args: string[], killAfterDone?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; killedAt?: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let killedAt: number | undefined;
    let stdout = "";
    child.stdout.on("data", (d) => (stdout += d));
    createInterface({ input: child.stderr }).on("line", (line) => {
      if (killAfterDone === undefined || killedAt !== undefined) return;
      try {
        const e = JSON.parse(line) as { event?: string; done?: number };
        if (e.event === "progress" && (e.done ?? 0) >= killAfterDone) {
          killedAt = e.done;
          child.kill("SIGKILL");
        }
      } catch {
        /* not a progress line */
      }
    });
    child.on("error", reject);
    child.on("exit", (code, signal) => resolve({ code, signal, killedAt, stdout }));
  });
}

describe("import killed with SIGKILL midway", () => {
  let dir: string;
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("leaves no half-written item, and a re-run leaves exactly one copy of each message", async () => {
    dir = await mkdtemp(join(tmpdir(), "outpost-kill-"));
    const mbox = join(dir, "mail.mbox");
    const parts: string[] = [];
    for (const m of generateSeedMessages(TOTAL, { to: { name: "Kim", address: "kim@kill.example" } }, { idPrefix: "kill" })) {
      const text = Buffer.from(m.raw).toString("utf8").replace(/\r\n/g, "\n").replace(/^(>*From )/gm, ">$1");
      parts.push(`From kill@example Thu Jan  1 00:00:00 2026\n${text}\n`);
    }
    await writeFile(mbox, parts.join("\n"));
    const data = join(dir, "data");
    const args = ["mailbox", "import", mbox, "--user", "kim@kill.example", "--create-user", "--data", data, "--batch-size", "25", "--json"];

    const killed = await runImport(args, 300);
    assert.equal(killed.signal, "SIGKILL", "the first run was killed");
    assert.ok(killed.killedAt! < TOTAL, "killed before the end");

    const rerun = await runImport(args);
    assert.equal(rerun.code, 0, rerun.stdout);
    const result = JSON.parse(rerun.stdout.trim().split("\n").pop()!) as { imported: number; skipped: number; failed: number };
    assert.equal(result.failed, 0);
    assert.ok(result.skipped >= killed.killedAt!, `the re-run found what the killed run committed (${result.skipped} ≥ ${killed.killedAt})`);
    assert.equal(result.imported + result.skipped, TOTAL);

    const store = await openMailboxStore({ dataDir: data });
    try {
      const mailbox = (await store.mailboxes.getByEmail("kim@kill.example"))!;
      const { rows } = await store.db.query<{ n: number; ids: number; orphans: number; noatt: number }>(
        `SELECT count(*) AS n, count(DISTINCT internet_message_id) AS ids,
                (SELECT count(*) FROM attachments a WHERE NOT EXISTS (SELECT 1 FROM items i WHERE i.id = a.item_id)) AS orphans,
                (SELECT count(*) FROM items i WHERE i.has_attachments AND NOT EXISTS (SELECT 1 FROM attachments a WHERE a.item_id = i.id)) AS noatt
         FROM items WHERE mailbox_id = $1`,
        [mailbox.id],
      );
      assert.equal(Number(rows[0]!.n), TOTAL, "exactly one copy of each message");
      assert.equal(Number(rows[0]!.ids), TOTAL);
      assert.equal(Number(rows[0]!.orphans), 0);
      assert.equal(Number(rows[0]!.noatt), 0, "no item lost its attachments");
    } finally {
      await store.close();
    }
  });
});
