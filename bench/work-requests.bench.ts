/**
 * Work requests (issue 10, issue 17 item 6): one attachment of 10 MB and of 25 MB uploaded through the add-in path in
 * Outpost's web client (real Chromium, HTTPS, the pane on the add-in origin), timed from the user's click to
 * "submitted", once per legacy-token mode of the tenant:
 * - enabled: identity token, bytes through REST $value with the callback token (streamed);
 * - disabled: the service's sign-in in a dialog (timed from its Sign in click), getAttachmentContentAsync (Base64
 *   through the bridge and postMessage);
 * - removed: NAA (MSAL.js) for the service's API and for Graph (Mail.Read, consent given beforehand), Graph $value.
 * The service streams each upload to a file while hashing it. Baseline, same run: the same bytes copied between two
 * local HTTP servers (GET from one, PUT to the other, which hashes them), the floor of any HTTP relay on this machine.
 */
import { createServer, type Server } from "node:http";
import { createHash, randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { Identity } from "../src/identity/index.ts";
import type { LegacyTokenMode } from "../src/identity/legacy.ts";
import { SERVICE_USER } from "../test/work-requests/world.ts";
import { CLIENT_ID, startWorkWeb } from "../test/work-requests/web-world.ts";

function listen(server: Server): Promise<string> {
  return new Promise((r) => server.listen(0, "127.0.0.1", () => r(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

async function copyBetweenServers(bytes: Buffer): Promise<number> {
  const source = createServer((_q, s) => s.end(bytes));
  const sink = createServer(async (q, s) => {
    const h = createHash("sha256");
    for await (const c of q) h.update(c as Buffer);
    s.end(h.digest("hex"));
  });
  const [a, b] = await Promise.all([listen(source), listen(sink)]);
  const t = performance.now();
  const got = await fetch(a);
  await (await fetch(b, { method: "PUT", body: got.body, duplex: "half" } as RequestInit)).text();
  const ms = performance.now() - t;
  source.close();
  sink.close();
  return ms;
}

const PATHS: Array<{ mode: LegacyTokenMode; label: string }> = [
  { mode: "enabled", label: "legacy tokens on (REST $value)" },
  { mode: "disabled", label: "legacy tokens off (getAttachmentContentAsync)" },
  { mode: "removed", label: "legacy tokens removed (NAA + Graph $value)" },
];

export async function run(): Promise<void> {
  const ww = await startWorkWeb();
  try {
    await Identity.of(ww.w.store).consents.grant({ tenantId: ww.tenantId, clientId: CLIENT_ID, userId: ww.aliceId, scopes: ["Mail.Read"], grantedBy: ww.aliceId, registered: ["Mail.Read"] });
    for (const mb of [10, 25]) {
      const bytes = randomBytes(mb * 1024 * 1024);
      const baseline = await copyBetweenServers(bytes);
      console.log(`work-requests ${mb} MB: copy between two local HTTP servers ${baseline.toFixed(0)} ms (${(mb / (baseline / 1000)).toFixed(1)} MB/s)`);
      for (const { mode, label } of PATHS) {
        await ww.setMode(mode);
        const subject = `Bench ${mb} MB ${mode}`;
        await ww.newMessage(subject, [{ name: `bench-${mb}.bin`, contentType: "application/octet-stream", data: bytes }]);
        const { page, context } = await ww.w.newPage();
        await ww.w.signIn(page);
        const frame = await ww.openPane(page, subject);
        let t = performance.now();
        await frame.locator("#submit").click();
        if (mode === "disabled") {
          const dialog = page.frameLocator("[data-outpost-dialog] iframe");
          await dialog.locator("#email").fill(SERVICE_USER.email);
          await dialog.locator("#password").fill(SERVICE_USER.password);
          t = performance.now();
          await dialog.locator("#signin-button").click();
        }
        await frame.locator("#status.ok, #status.error").waitFor({ timeout: 600_000 });
        const ms = performance.now() - t;
        const status = await frame.locator("#status").textContent();
        console.log(`  ${label}: ${ms.toFixed(0)} ms (${(mb / (ms / 1000)).toFixed(1)} MB/s), ratio ${(ms / baseline).toFixed(1)}x — ${status}`);
        await context.close();
      }
    }
  } finally {
    await ww.close();
  }
}
