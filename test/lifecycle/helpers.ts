/** Lifecycle test world: tenant contoso (alice admin, bob), a verified publisher, manifest variants, a local HTTPS server. */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import type { MailboxStore } from "../../src/mailbox/index.ts";
import { Lifecycle } from "../../src/addins/index.ts";

export const READ_ITEM_XML = readFileSync(new URL("../../examples/read-item/manifest.xml", import.meta.url), "utf8");
export const RWI_XML = readFileSync(new URL("../../examples/read-write-item/manifest.xml", import.meta.url), "utf8");
export const RWM_XML = readFileSync(new URL("../../examples/read-write-mailbox/manifest.xml", import.meta.url), "utf8");
export const READ_ITEM_ID = "0a6b3c1e-5d2f-4e8a-9b1c-7f3e2d1a0002";
export const RWI_ID = "0a6b3c1e-5d2f-4e8a-9b1c-7f3e2d1a0003";
export const RWM_ID = "0a6b3c1e-5d2f-4e8a-9b1c-7f3e2d1a0004";

/** The read-item demo manifest at another version and tier. */
export function readItemVariant(version: string, tier = "ReadItem"): string {
  return READ_ITEM_XML.replace("<Version>1.0.0.0</Version>", `<Version>${version}</Version>`).replace("<Permissions>ReadItem</Permissions>", `<Permissions>${tier}</Permissions>`);
}

export async function lifecycleWorld(store: MailboxStore, options: { passwords?: boolean } = {}) {
  const contoso = await store.directory.createTenant({ id: "contoso", name: "Contoso" });
  const alice = await store.provisionUser({ tenantId: contoso.id, email: "alice@contoso.example", displayName: "Alice", ...(options.passwords ? { password: "pw-alice" } : {}), isAdmin: true });
  const bob = await store.provisionUser({ tenantId: contoso.id, email: "bob@contoso.example", displayName: "Bob", ...(options.passwords ? { password: "pw-bob" } : {}) });
  const life = Lifecycle.of(store);
  const publisher = await life.catalog.publishers.create(
    { name: "Fabrikam Tools", verified: true, acceptAgreement: true, privacyUrl: "https://fabrikam.example/privacy", supportUrl: "https://fabrikam.example/support" },
    "test",
    null,
  );
  await life.catalog.addOperator(alice.user.id);
  return { contoso, alice, bob, life, publisher };
}

/** A self-signed certificate for localhost/127.0.0.1, made for this run (trusted by passing it as `ca`). */
export function selfSignedCert(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), "outpost-lifecycle-"));
  execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem"), "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"], { stdio: "ignore" });
  return { key: readFileSync(join(dir, "key.pem"), "utf8"), cert: readFileSync(join(dir, "cert.pem"), "utf8") };
}

/** An HTTPS server on 127.0.0.1: /m/<name> serves `files`, /slow never answers, /big sends 300 KB, /to-http redirects to http://. */
export async function manifestServer(files: Record<string, string>): Promise<{ base: string; cert: string; server: Server; close: () => Promise<void> }> {
  const tls = selfSignedCert();
  const server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    const url = req.url ?? "/";
    if (url.startsWith("/m/") && files[url.slice(3)] !== undefined) return res.writeHead(200, { "content-type": "application/xml" }).end(files[url.slice(3)]);
    if (url === "/slow") return; // never answers
    if (url === "/big") {
      res.writeHead(200, { "content-type": "application/xml" });
      return res.end("<a>" + "x".repeat(300 * 1024) + "</a>");
    }
    if (url === "/to-http") return res.writeHead(302, { location: "http://127.0.0.1/manifest.xml" }).end();
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    cert: tls.cert,
    server,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
