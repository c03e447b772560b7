/** Shared setup for the Work requests tests: the service on 127.0.0.1:0, a copy of the add-in pointing at it. */
import { cpSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHash, randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { createWorkService, type WorkService, type WorkServiceOptions } from "../../examples/work-requests/service/app.ts";

export const ADDIN_DIR = new URL("../../examples/work-requests/addin/", import.meta.url).pathname;
export const SERVICE_USER = { email: "alice@contoso.example", password: "work-requests-test" };

export async function startService(options: WorkServiceOptions = {}): Promise<{ service: WorkService; url: string }> {
  const service = await createWorkService({ seed: true, users: { [SERVICE_USER.email]: SERVICE_USER.password }, ...options });
  await service.app.listen({ host: "127.0.0.1", port: 0 });
  return { service, url: `http://127.0.0.1:${(service.app.server.address() as AddressInfo).port}` };
}

/** The add-in's files, unchanged, with config.json naming this run's service. */
export function addinCopy(serviceUrl: string): string {
  const dir = mkdtempSync(join(tmpdir(), "work-requests-addin-"));
  cpSync(ADDIN_DIR, dir, { recursive: true });
  writeFileSync(join(dir, "config.json"), JSON.stringify({ service: serviceUrl }));
  return dir;
}

export function attachmentsForTest(bigBytes = 10 * 1024 * 1024): { name: string; contentType: string; data: Uint8Array; sha256: string }[] {
  const big = randomBytes(bigBytes);
  const small = new TextEncoder().encode("Budget line,Amount\nDesign,12000\nBuild,48000\n");
  return [
    { name: "brief.csv", contentType: "text/csv", data: small, sha256: sha256(small) },
    { name: "site-photos.bin", contentType: "application/octet-stream", data: big, sha256: sha256(big) },
  ];
}

export function sha256(b: Uint8Array): string {
  return createHash("sha256").update(b).digest("hex");
}
