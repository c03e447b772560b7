/**
 * HTTPS for `outpost serve --https`: a real certificate and key when given (--cert/--key), else a local development
 * certificate made on first start with `selfsigned` (EC P-256, SHA-256, SAN localhost/127.0.0.1/::1, one year) and
 * kept in the data folder (tls/dev-cert.pem, tls/dev-key.pem, key readable by the owner only), reused until it
 * nears expiry.
 */
import { X509Certificate } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { generate } from "selfsigned";

export interface TlsMaterial {
  key: string;
  cert: string;
  /** Where it came from, for the start-up line. */
  source: "given" | "generated" | "reused";
  certPath: string;
  fingerprint256: string;
  validTo: string;
}

export class TlsSetupError extends Error {}

const RENEW_BEFORE_MS = 7 * 24 * 3600 * 1000;

function describe(cert: string, path: string): { fingerprint256: string; validTo: string; expires: number } {
  let x: X509Certificate;
  try {
    x = new X509Certificate(cert);
  } catch (err) {
    throw new TlsSetupError(`${path}: not a PEM certificate (${(err as Error).message})`);
  }
  return { fingerprint256: x.fingerprint256, validTo: x.validTo, expires: Date.parse(x.validTo) };
}

function read(path: string, what: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (err) {
    throw new TlsSetupError(`cannot read the ${what} ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

export async function loadOrCreateTls(options: { dataDir: string; certFile?: string; keyFile?: string; hosts?: string[] }): Promise<TlsMaterial> {
  if (options.certFile || options.keyFile) {
    if (!options.certFile || !options.keyFile) throw new TlsSetupError("--cert and --key go together: give both files");
    const cert = read(options.certFile, "certificate");
    const key = read(options.keyFile, "private key");
    if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(key)) throw new TlsSetupError(`${options.keyFile}: not a PEM private key`);
    return { key, cert, source: "given", certPath: options.certFile, ...describe(cert, options.certFile) };
  }
  const dir = join(options.dataDir, "tls");
  const certPath = join(dir, "dev-cert.pem");
  const keyPath = join(dir, "dev-key.pem");
  if (existsSync(certPath) && existsSync(keyPath)) {
    const cert = readFileSync(certPath, "utf8");
    const info = describe(cert, certPath);
    if (info.expires - Date.now() > RENEW_BEFORE_MS) return { key: readFileSync(keyPath, "utf8"), cert, source: "reused", certPath, ...info };
  }
  const hosts = options.hosts ?? ["localhost"];
  const notBeforeDate = new Date(Date.now() - 60_000);
  const pems = await generate([{ name: "commonName", value: "Outpost development certificate" }], {
    keyType: "ec",
    curve: "P-256",
    algorithm: "sha256",
    notBeforeDate,
    notAfterDate: new Date(notBeforeDate.getTime() + 365 * 24 * 3600 * 1000),
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: [...new Set([...hosts, "localhost"])].map((h) => ({ type: 2, value: h })).concat([{ type: 7, ip: "127.0.0.1" } as never, { type: 7, ip: "::1" } as never]),
      },
    ],
  } as never);
  mkdirSync(dir, { recursive: true });
  writeFileSync(keyPath, pems.private, { mode: 0o600 });
  chmodSync(keyPath, 0o600);
  writeFileSync(certPath, pems.cert);
  return { key: pems.private, cert: pems.cert, source: "generated", certPath, ...describe(pems.cert, certPath) };
}
