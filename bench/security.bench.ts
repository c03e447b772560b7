/**
 * Security costs, each against a baseline in the same run:
 * 1. the per-call rights re-check of the bridge: body.getAsync through dispatch on a real (PGlite) store, with the
 *    re-check (after) and with rightsOf answered without the database (before: the lookup the re-check adds);
 * 2. sign-in throughput for real users while another address sends bad passwords, against no attack.
 */
import { harness } from "../test/security/world.ts";
import { percentile } from "./stats.ts";
import type { MailboxStore } from "../src/mailbox/index.ts";

async function timeCalls(n: number, call: () => Promise<unknown>): Promise<{ perCallMs: number; p95: number }> {
  for (let i = 0; i < 20; i++) await call();
  const times: number[] = [];
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await call();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { perCallMs: (performance.now() - start) / n, p95: percentile(times, 95) };
}

export async function run(): Promise<void> {
  const h = await harness({ maxBridgeSessionsPerUser: 1000 });
  const cookie = await h.login("alice@contoso.example", "pw-alice");
  const { client } = await h.openBridge(cookie, "ReadItem", h.w.i1.id);
  const member = "Office.context.mailbox.item.body.getAsync";
  const after = await timeCalls(300, () => client!.call(member, ["text"]));
  // Before: the same calls with the rights lookup answered from memory (what the re-check costs is that lookup).
  const mailboxes = h.store.mailboxes;
  const original = mailboxes.rightsOf.bind(mailboxes);
  (mailboxes as { rightsOf: MailboxStore["mailboxes"]["rightsOf"] }).rightsOf = async () => "owner";
  const before = await timeCalls(300, () => client!.call(member, ["text"]));
  (mailboxes as { rightsOf: MailboxStore["mailboxes"]["rightsOf"] }).rightsOf = original;
  console.log(`bridge call (body.getAsync over HTTP inject, PGlite): without re-check ${before.perCallMs.toFixed(3)} ms/call (p95 ${before.p95.toFixed(3)}), with re-check ${after.perCallMs.toFixed(3)} ms/call (p95 ${after.p95.toFixed(3)})`);
  console.log(`  re-check costs ${(after.perCallMs - before.perCallMs).toFixed(3)} ms per call; ratio ${(after.perCallMs / before.perCallMs).toFixed(2)}x`);

  const signIns = async (n: number, attack: boolean): Promise<number> => {
    let stop = false;
    const attacker = (async () => {
      let i = 0;
      while (attack && !stop) await h.inject({ method: "POST", url: "/api/session", payload: { email: `victim${i++ % 50}@contoso.example`, password: "guess" }, remoteAddress: "127.0.9.9" });
    })();
    const start = performance.now();
    for (let i = 0; i < n; i++) {
      const res = await h.inject({ method: "POST", url: "/api/session", payload: { email: "bob@contoso.example", password: "pw-bob" }, remoteAddress: `127.0.8.${i % 200}` });
      if (res.statusCode !== 200) throw new Error(`real sign-in refused: ${res.statusCode}`);
    }
    const perSec = (n * 1000) / (performance.now() - start);
    stop = true;
    await attacker;
    return perSec;
  };
  const quiet = await signIns(40, false);
  const attacked = await signIns(40, true);
  console.log(`sign-in: ${quiet.toFixed(1)}/s without attack, ${attacked.toFixed(1)}/s while another address sends bad passwords; ratio ${(attacked / quiet).toFixed(2)}x`);
  await h.close();
}
