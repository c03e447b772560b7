/**
 * A manifest on its way in (install, deployment, store submission): its bytes, hash and validated model.
 * Invalid manifests are refused here with their findings; nothing is stored before this passes.
 */
import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { basename } from "node:path";
import { validateManifestBytes } from "../manifest/validate.ts";
import { parseManifestBytes } from "../manifest/parse.ts";
import { formatFinding } from "../manifest/findings.ts";
import type { AddinManifest } from "../manifest/model.ts";
import { LifecycleError } from "./errors.ts";
import { fetchManifest, MANIFEST_URL_MAX_BYTES, type FetchManifestOptions } from "./fetch-manifest.ts";

export type InstallSource = "store" | "file" | "url";

export interface Candidate {
  source: InstallSource;
  /** URL, file name or store add-in id. */
  sourceRef: string | null;
  bytes: Buffer;
  sha256: string;
  manifest: AddinManifest;
  /** Lower-case add-in id. */
  addinId: string;
}

export const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

/** Validates manifest bytes; throws invalid-manifest (422) with the validator's findings. */
export function candidateFromBytes(bytes: Buffer, source: InstallSource, sourceRef: string | null, fileName?: string): Candidate {
  if (bytes.length > MANIFEST_URL_MAX_BYTES) throw new LifecycleError("too-large", `${fileName ?? "the manifest"} has ${bytes.length} bytes; a manifest may have at most ${MANIFEST_URL_MAX_BYTES / 1024} KB`);
  const r = validateManifestBytes(bytes, fileName);
  if (!r.valid || !r.manifest) {
    const errors = r.findings.filter((f) => f.severity === "error");
    const first = errors[0] ? formatFinding(fileName ?? "manifest", errors[0]) : "it could not be read";
    throw new LifecycleError("invalid-manifest", `the manifest does not validate (${errors.length} error${errors.length === 1 ? "" : "s"}; first: ${first})`, { findings: r.findings });
  }
  return { source, sourceRef, bytes, sha256: sha256(bytes), manifest: r.manifest, addinId: r.manifest.id.toLowerCase() };
}

export async function candidateFromFile(path: string): Promise<Candidate> {
  const s = await stat(path).catch(() => undefined);
  if (!s?.isFile()) throw new LifecycleError("invalid-request", `${path}: no such file`);
  if (s.size > MANIFEST_URL_MAX_BYTES) throw new LifecycleError("too-large", `${path} has ${s.size} bytes; a manifest may have at most ${MANIFEST_URL_MAX_BYTES / 1024} KB`);
  return candidateFromBytes(await readFile(path), "file", basename(path), path);
}

export async function candidateFromUrl(url: string, options: FetchManifestOptions = {}): Promise<Candidate> {
  const fetched = await fetchManifest(url, options);
  const name = basename(new URL(fetched.url).pathname) || "manifest";
  return candidateFromBytes(fetched.bytes, "url", fetched.url, name);
}

/** Parses stored bytes again (already validated when stored); cached by content hash, so safe across servers. */
const parsed = new Map<string, AddinManifest>();
export function storedManifest(bytes: Uint8Array, hash: string): AddinManifest {
  let m = parsed.get(hash);
  if (!m) {
    const r = parseManifestBytes(bytes);
    if (!r.manifest) throw new LifecycleError("invalid-manifest", "a stored manifest could not be read back");
    m = r.manifest;
    if (parsed.size > 500) parsed.delete(parsed.keys().next().value!);
    parsed.set(hash, m);
  }
  return m;
}

export function isCachedManifest(hash: string): boolean {
  return parsed.has(hash);
}
