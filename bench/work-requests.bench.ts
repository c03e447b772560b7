/**
 * Work requests (issue 10): one attachment of 10 MB and of 25 MB uploaded through the add-in path — the pane in real
 * Chromium reads it with getAttachmentContentAsync through the bridge and streams it to the service, which hashes it
 * to a file — timed from the Submit click to "submitted". Baseline, same run: the same bytes copied between two local
 * HTTP servers (GET from one, PUT to the other, which hashes them), the floor of any HTTP relay on this machine.
 */
import { createServer, type Server } from "node:http";
import { createHash, randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { createHost } from "../src/testing/index.ts";
import { SERVICE_USER, addinCopy, startService } from "../test/work-requests/world.ts";

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

export async function run(): Promise<void> {
  const { service, url } = await startService();
  const dir = addinCopy(url);
  const host = await createHost({ email: "alice@contoso.example" });
  try {
    const addin = await host.loadAddin({ manifest: join(dir, "manifest.xml") });
    for (const mb of [10, 25]) {
      const bytes = randomBytes(mb * 1024 * 1024);
      const item = await host.addItem({ fields: { subject: `Bench ${mb} MB`, bodyText: "b", attachments: [{ name: `bench-${mb}.bin`, contentType: "application/octet-stream", data: bytes }] } });
      let ms = 0;
      const result = await addin.run(join(dir, "index.html"), {
        item,
        root: dir,
        runMs: 600_000,
        onReady: async (c) => {
          const page = c.page!;
          const pane = () => page.frames().find((f) => f.url().includes("/index.html"))!;
          await pane().click("#submit");
          let dialog;
          for (let i = 0; i < 600 && !(dialog = page.frames().find((f) => f.url().includes("/signin.html"))); i++) await new Promise((r) => setTimeout(r, 50));
          await dialog!.waitForSelector("#email");
          await dialog!.fill("#email", SERVICE_USER.email);
          await dialog!.fill("#password", SERVICE_USER.password);
          const t = performance.now();
          await dialog!.click("#signin-button");
          await pane().waitForSelector("#status.ok, #status.error", { timeout: 600_000 });
          ms = performance.now() - t;
        },
      });
      const baseline = await copyBetweenServers(bytes);
      console.log(
        `work-requests ${mb} MB: add-in path ${ms.toFixed(0)} ms (${(mb / (ms / 1000)).toFixed(1)} MB/s, ${result.page.status}); ` +
          `copy between two local HTTP servers ${baseline.toFixed(0)} ms (${(mb / (baseline / 1000)).toFixed(1)} MB/s); ratio ${(ms / baseline).toFixed(1)}x`,
      );
    }
  } finally {
    await host.close();
    await service.close();
  }
}
