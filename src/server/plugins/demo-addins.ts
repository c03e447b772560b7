/**
 * The demo add-ins under examples/: their pages and scripts at /examples/…, a catalogue at
 * /api/demo-addins (each manifest's validation verdict and plain-language explanation), and a landing page at /.
 */
import { readdir } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import type { FastifyInstance } from "fastify";
import fastifyStatic from "@fastify/static";
import { validateManifestFile } from "../../manifest/validate.ts";
import { explainManifest } from "../../manifest/explain.ts";
import { PACKAGE_ROOT } from "../../package-root.ts";

export const EXAMPLES_DIR = join(PACKAGE_ROOT, "examples");

async function manifestFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await manifestFiles(full)));
    else if (/^manifest\.(xml|json)$/.test(entry.name)) out.push(full);
  }
  return out.sort();
}

export interface DemoAddin {
  path: string;
  valid: boolean;
  id?: string;
  name?: string;
  tier?: string;
  supplementary?: string[];
  headline?: string;
  page?: string;
}

export async function listDemoAddins(): Promise<DemoAddin[]> {
  const list: DemoAddin[] = [];
  for (const file of await manifestFiles(EXAMPLES_DIR)) {
    const r = await validateManifestFile(file);
    const m = r.manifest;
    const rel = relative(EXAMPLES_DIR, file);
    list.push({
      path: `/examples/${rel}`,
      valid: r.valid,
      ...(m ? { id: m.id, name: m.name.value, tier: m.tier, supplementary: m.supplementary, headline: explainManifest(m).headline, page: `/examples/${dirname(rel)}/index.html` } : {}),
    });
  }
  return list;
}

export default async function demoAddinRoutes(app: FastifyInstance): Promise<void> {
  await app.register(fastifyStatic, { root: EXAMPLES_DIR, prefix: "/examples/", decorateReply: false, index: false });
  let cached: Promise<DemoAddin[]> | undefined;
  app.get("/api/demo-addins", async () => (cached ??= listDemoAddins()));
  app.get("/", async (_request, reply) => {
    const addins = await (cached ??= listDemoAddins());
    const rows = addins.filter((a) => a.name).map((a) => `<li><a href="${a.page}">${escapeHtml(a.name!)}</a> — ${escapeHtml(a.tier!)}${a.supplementary?.length ? ` + ${a.supplementary.map(escapeHtml).join(", ")}` : ""}: ${escapeHtml(a.headline ?? "")} (<a href="${a.path}">manifest</a>)</li>`).join("\n");
    reply.type("text/html; charset=utf-8");
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Outpost</title></head><body>
<h1>Outpost</h1>
<p>A self-hosted Outlook add-in host. This server holds a seeded demo mailbox; sign in with <code>POST /api/session</code>.</p>
<h2>Demo add-ins</h2><ul>
${rows}
</ul>
<h2>Surfaces</h2><ul>
<li><code>/api/…</code> — the web client's API (session cookie)</li>
<li><code>/api/v2.0/me/…</code> — Outlook REST v2.0 for add-ins (callback token)</li>
<li><code>/EWS/Exchange.asmx</code> — EWS SOAP for add-ins (callback token)</li>
<li><a href="/.well-known/jwks.json">/.well-known/jwks.json</a> — keys to verify identity tokens</li>
<li><a href="/healthz">/healthz</a></li>
</ul></body></html>`;
  });
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
