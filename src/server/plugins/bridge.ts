/**
 * The runtime bridge over HTTP: Outpost's own /office.js, session creation for the signed-in user, the call endpoint
 * that hands every message to the one dispatch, and per-session traces. The tier comes from the add-in's manifest
 * on the server, never from the request.
 */
import type { FastifyInstance } from "fastify";
import type { MailboxStore } from "../../mailbox/index.ts";
import { z } from "zod";
import { dispatch, type BridgeHost } from "../../runtime/bridge/dispatch.ts";
import { SessionRegistry } from "../../runtime/session.ts";
import { browserOfficeJs } from "../../runtime/shim/source.ts";
import { EXCHANGE_ONLINE_POLICY, ON_PREMISES_POLICY } from "../../permissions/index.ts";
import { loadSessionUser, requireUser } from "../auth/session.ts";
import { listDemoAddins } from "./demo-addins.ts";

/** One session registry per store: the server's routes and anything in-process (tests, the headless runner) share it. */
const HOSTS = new WeakMap<MailboxStore, BridgeHost>();
export function bridgeHostFor(store: MailboxStore): BridgeHost {
  let host = HOSTS.get(store);
  if (!host) HOSTS.set(store, (host = { sessions: new SessionRegistry(), store }));
  return host;
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
  const host = bridgeHostFor(app.mailbox);
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
    const session = host.sessions.open({
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
    });
    // The secret goes to Outpost's host page only; it keeps it out of the add-in's frame and signs on its behalf.
    return { session: session.id, secret: session.secret.toString("hex"), itemId: session.spec.itemId, expiresAt: new Date(session.expiresAt).toISOString() };
  });

  app.post("/bridge/call", async (request) => dispatch(host, request.body));

  app.get<{ Params: { id: string } }>("/bridge/sessions/:id/trace", async (request, reply) => {
    await loadSessionUser(request);
    const user = requireUser(request);
    const session = host.sessions.get(request.params.id);
    if (!session || session.spec.userId !== user.id) return reply.code(404).send({ error: "not-found" });
    return { session: session.id, addinId: session.spec.addinId, tier: session.spec.tier, trace: session.trace };
  });
}
