/**
 * The runtime bridge over HTTP: Outpost's own /office.js, session creation for the signed-in user, the call endpoint
 * that hands every message to the one dispatch, and per-session traces. The tier comes from the add-in's manifest
 * on the server, never from the request.
 */
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { parseManifestFile } from "../../manifest/parse.ts";
import { dispatch, type BridgeHost } from "../../runtime/bridge/dispatch.ts";
import { ItemCache } from "../../runtime/bridge/item-cache.ts";
import { activationSnapshot, type ActivationSnapshot } from "../../runtime/members/activation.ts";
import type { EwsExecutor } from "../../runtime/members/ews.ts";
import { SqlSessionStore } from "../../runtime/sessions/sql-store.ts";
import { browserOfficeJs } from "../../runtime/shim/source.ts";
import { EXCHANGE_ONLINE_POLICY, ON_PREMISES_POLICY } from "../../permissions/index.ts";
import { loadSessionUser, requireUser } from "../auth/session.ts";
import { EXAMPLES_DIR, listDemoAddins } from "./demo-addins.ts";

/**
 * makeEwsRequestAsync through this server's own /EWS/Exchange.asmx (in-process inject, no socket): the same
 * token check, whitelist, size limits and SOAP faults as any EWS client gets.
 */
export function ewsOverInject(app: FastifyInstance): EwsExecutor {
  return async (soap, token) => {
    const res = await app.inject({
      method: "POST",
      url: "/EWS/Exchange.asmx",
      headers: { "content-type": "text/xml; charset=utf-8", authorization: `Bearer ${token}` },
      payload: soap,
    });
    return { status: res.statusCode, body: res.body };
  };
}

/** Parsed manifests never change while the server runs: their activation part is read once per file. */
const snapshots = new Map<string, Promise<ActivationSnapshot | undefined>>();
function snapshotFor(path: string): Promise<ActivationSnapshot | undefined> {
  let p = snapshots.get(path);
  if (!p) snapshots.set(path, (p = parseManifestFile(join(EXAMPLES_DIR, path.replace(/^\/examples\//, ""))).then((r) => activationSnapshot(r.manifest))));
  return p;
}

const OpenSession = z
  .object({
    addinId: z.string().min(1).max(200),
    itemId: z.string().min(1).max(200).nullable(),
    form: z.enum(["read", "compose"]),
    client: z.string().max(40).optional(),
  })
  .strict();

export default async function bridgeRoutes(app: FastifyInstance): Promise<void> {
  // Sessions and traces live in the database (no state between requests: several servers share them); the item
  // cache is only a cache, valid for one session epoch, which the database holds.
  const host: BridgeHost = { sessions: new SqlSessionStore(app.mailbox.db), store: app.mailbox, items: new ItemCache(), ews: ewsOverInject(app) };
  const officeJs = browserOfficeJs();

  app.get("/office.js", async (_request, reply) => {
    reply.type("application/javascript; charset=utf-8").header("cache-control", "no-cache");
    return officeJs;
  });

  app.post("/bridge/sessions", async (request, reply) => {
    await loadSessionUser(request);
    const user = requireUser(request);
    const body = OpenSession.safeParse(request.body);
    if (!body.success) return reply.code(400).send({ error: "invalid-request" });
    const addin = (await listDemoAddins()).find((a) => a.id === body.data.addinId && a.valid);
    if (!addin?.tier) return reply.code(404).send({ error: "unknown-addin" });
    let mailboxId: string;
    let itemType: "message" | "appointment" = "message";
    if (body.data.itemId) {
      const where = await app.mailbox.items.locateForUser(body.data.itemId, user.id);
      if (!where?.rights) return reply.code(404).send({ error: "not-found" });
      mailboxId = where.mailboxId;
      itemType = (await app.mailbox.items.get(body.data.itemId))?.itemType ?? "message";
    } else {
      const own = await app.mailbox.mailboxes.ownMailbox(user.id);
      if (!own) return reply.code(404).send({ error: "not-found" });
      mailboxId = own.id;
    }
    const tenant = await app.mailbox.directory.getTenant(user.tenantId);
    const activation = await snapshotFor(addin.path);
    const session = await host.sessions.open({
      tenantId: user.tenantId,
      userId: user.id,
      mailboxId,
      addinId: addin.id!,
      ...(addin.name ? { addinName: addin.name } : {}),
      itemId: body.data.itemId,
      form: body.data.form,
      itemType,
      client: body.data.client ?? "web",
      tier: addin.tier as never,
      supplementary: (addin.supplementary ?? []) as never,
      tenant: tenant?.legacyTokensEnabled ? ON_PREMISES_POLICY : EXCHANGE_ONLINE_POLICY,
      ...(activation ? { activation } : {}),
    });
    // The secret goes to Outpost's host page only; it keeps it out of the add-in's frame and signs on its behalf.
    return { session: session.id, secret: session.secret.toString("hex"), itemId: session.spec.itemId, expiresAt: new Date(session.expiresAt).toISOString() };
  });

  app.post("/bridge/call", async (request) => dispatch(host, request.body));

  app.get<{ Params: { id: string } }>("/bridge/sessions/:id/trace", async (request, reply) => {
    await loadSessionUser(request);
    const user = requireUser(request);
    const session = await host.sessions.get(request.params.id);
    if (!session || session === "expired" || session.spec.userId !== user.id) return reply.code(404).send({ error: "not-found" });
    return { session: session.id, addinId: session.spec.addinId, tier: session.spec.tier, trace: await host.sessions.trace(session.id) };
  });
}
