/**
 * Which add-ins a signed-in user has in the web client, with their parsed manifests. The source is the demo
 * catalogue under examples/ until the lifecycle API (installs per user/tenant) is wired in; the client and the
 * add-in bar only see this interface.
 */
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import type { AddinManifest } from "../../manifest/model.ts";
import { parseManifestFile } from "../../manifest/parse.ts";
import type { User } from "../../mailbox/index.ts";
import { EXAMPLES_DIR, listDemoAddins } from "../plugins/demo-addins.ts";

export interface CatalogAddin {
  id: string;
  name: string;
  manifest: AddinManifest;
  /** Where it came from, for the UI ("demo", "installed", "admin"). */
  source: string;
  /** Admin-deployed and mandatory: the user cannot disable or remove it. */
  mandatory?: boolean;
}

const parsed = new Map<string, Promise<AddinManifest | undefined>>();
function manifestAt(path: string): Promise<AddinManifest | undefined> {
  let p = parsed.get(path);
  if (!p) parsed.set(path, (p = parseManifestFile(join(EXAMPLES_DIR, path.replace(/^\/examples\//, ""))).then((r) => r.manifest)));
  return p;
}

let demo: Promise<CatalogAddin[]> | undefined;
async function demoAddins(): Promise<CatalogAddin[]> {
  const out: CatalogAddin[] = [];
  for (const a of await listDemoAddins()) {
    if (!a.valid || !a.id) continue;
    // The misbehaving demos are there to be refused by governance; they stay in the catalogue so the client shows it.
    const manifest = await manifestAt(a.path);
    if (manifest && !out.some((o) => o.id === manifest.id)) out.push({ id: manifest.id, name: manifest.name.value, manifest, source: "demo" });
  }
  return out;
}

/** The add-ins the user has, in a stable order. */
export async function addinsForUser(_app: FastifyInstance, _user: User): Promise<CatalogAddin[]> {
  return (demo ??= demoAddins());
}
