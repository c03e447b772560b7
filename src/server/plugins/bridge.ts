/**
 * The runtime bridge over HTTP: Outpost's own /office.js, session creation for the signed-in user, the call endpoint
 * that hands every message to the one dispatch, and per-session traces. The tier comes from the add-in's manifest
 * on the server, never from the request.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import websocket, { type WebSocket } from "@fastify/websocket";
import { dispatch, type BridgeHost } from "../../runtime/bridge/dispatch.ts";
import { MAX_BRIDGE_BODY_BYTES } from "../../runtime/bridge/body-limits.ts";
import { ItemCache } from "../../runtime/bridge/item-cache.ts";
import { activationSnapshot } from "../../runtime/members/activation.ts";
import type { EwsExecutor } from "../../runtime/members/ews.ts";
import { browserOfficeJs } from "../../runtime/shim/source.ts";
import { EXCHANGE_ONLINE_POLICY, ON_PREMISES_POLICY } from "../../permissions/index.ts";
import { loadSessionUser, requireUser } from "../auth/session.ts";
import { LifecycleError } from "../../addins/errors.ts";
import type { Installs } from "../../addins/installs.ts";
import { irmRefusal } from "../../tenant/irm.ts";
import { lifecycleOf } from "../routes/lifecycle-http.ts";

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
  const sessions = app.bridgeSessions;
  const host: BridgeHost = { sessions, store: app.mailbox, items: new ItemCache(), ews: ewsOverInject(app) };
  const officeJs = browserOfficeJs();
  // Trace entries still waiting are written before the server lets go of the database.
  app.addHook("onClose", async () => sessions.flush().catch(() => undefined));

  app.get("/office.js", async (_request, reply) => {
    reply.type("application/javascript; charset=utf-8").header("cache-control", "no-cache");
    return officeJs;
  });

  app.post("/bridge/sessions", async (request, reply) => {
    await loadSessionUser(request);
    const user = requireUser(request);
    const body = OpenSession.safeParse(request.body);
    if (!body.success) return reply.code(400).send({ error: "invalid-request" });
    // Sessions per user: each holds a row and a secret; 300 opened at once by one user is an attack, not a mailbox.
    const limit = app.outpost.maxBridgeSessionsPerUser;
    if ((await sessions.openCount(user.id)) >= limit) {
      await app.mailbox.security.record({ surface: "bridge", reason: "too-many-sessions", tenantId: user.tenantId, userId: user.id, detail: { limit, ip: request.ip } }).catch(() => undefined);
      return reply.code(429).send({ error: "too-many-sessions", message: `At most ${limit} add-in sessions may be open at once; close one (DELETE /bridge/sessions/:id) first.` });
    }
    // The signed-in user's installed, enabled add-in: manifest from the install record, tier = the consented one.
    let found: Awaited<ReturnType<Installs["forSession"]>>;
    try {
      found = await lifecycleOf(app).installs.forSession(user, body.data.addinId, body.data.client);
    } catch (err) {
      if (!(err instanceof LifecycleError)) throw err;
      return reply.code(err.status).send({ error: err.code === "not-installed" ? "unknown-addin" : err.code, message: err.message });
    }
    const { addin, policy } = found;
    let mailboxId: string;
    let itemType: "message" | "appointment" = "message";
    if (body.data.itemId) {
      const where = await app.mailbox.items.locateForUser(body.data.itemId, user.id);
      if (!where?.rights) return reply.code(404).send({ error: "not-found" });
      mailboxId = where.mailboxId;
      const item = await app.mailbox.items.get(body.data.itemId);
      itemType = item?.itemType ?? "message";
      const irm = item ? irmRefusal(policy, body.data.client, item) : undefined;
      if (irm) return reply.code(403).send({ error: "protected-item", message: irm });
    } else {
      const own = await app.mailbox.mailboxes.ownMailbox(user.id);
      if (!own) return reply.code(404).send({ error: "not-found" });
      mailboxId = own.id;
    }
    const activation = activationSnapshot(addin.manifest);
    const session = await host.sessions.open({
      tenantId: user.tenantId,
      userId: user.id,
      mailboxId,
      addinId: addin.addinId,
      addinName: addin.name,
      itemId: body.data.itemId,
      form: body.data.form,
      itemType,
      client: body.data.client ?? "web",
      tier: addin.tier,
      supplementary: addin.supplementary,
      tenant: policy.legacyTokensEnabled ? ON_PREMISES_POLICY : EXCHANGE_ONLINE_POLICY,
      ...(activation ? { activation } : {}),
      // Bound to the sign-in session: sign-out or a password change ends it.
      ...(request.signInSessionId ? { signInSession: request.signInSessionId } : {}),
    });
    // The secret goes to Outpost's host page only; it keeps it out of the add-in's frame and signs on its behalf.
    return { session: session.id, secret: session.secret.toString("hex"), itemId: session.spec.itemId, expiresAt: new Date(session.expiresAt).toISOString() };
  });

  // The body limit is the largest member's budget from the permission table; dispatch checks each member's own.
  app.post("/bridge/call", { bodyLimit: MAX_BRIDGE_BODY_BYTES, config: { allowNul: true } }, async (request) =>
    dispatch(host, request.body, { bodyBytes: request.headers["content-length"] ? Number(request.headers["content-length"]) : Buffer.byteLength(JSON.stringify(request.body ?? null)) }),
  );

  // The same calls over one WebSocket per host page: no HTTP request per call. Each message is a signed call handed
  // to the same dispatch as /bridge/call (MAC, sequence, item, permission table and the user's current rights on the
  // mailbox, checked per call); the socket itself grants nothing. Only the client's own origin may open one.
  await app.register(websocket, { options: { maxPayload: MAX_BRIDGE_BODY_BYTES } });
  const ownOrigin = (request: FastifyRequest) => {
    const origin = request.headers.origin;
    return !origin || origin === `${request.protocol}://${request.headers.host ?? ""}` || (app.outpost.trustedOrigins ?? []).includes(origin);
  };
  const refuseOtherOrigins = async (request: FastifyRequest, reply: FastifyReply) => {
    if (!ownOrigin(request)) return reply.code(403).send({ error: "cross-origin", message: "The bridge socket is for the client's own pages." });
  };
  app.get("/bridge/ws", { websocket: true, preValidation: refuseOtherOrigins }, (socket: WebSocket) => {
    let queue = Promise.resolve();
    socket.on("message", (data: Buffer, isBinary: boolean) => {
      const text = isBinary ? "" : data.toString();
      queue = queue.then(async () => {
        let frame: { id?: unknown; call?: unknown };
        try {
          frame = JSON.parse(text) as typeof frame;
        } catch {
          return void socket.close(1007, "not JSON");
        }
        if (typeof frame?.id !== "number") return void socket.close(1007, "no id");
        const result = await dispatch(host, frame.call, { bodyBytes: Buffer.byteLength(text) }).catch(() => undefined);
        if (!result) return void socket.close(1011, "internal");
        socket.send(JSON.stringify({ id: frame.id, result }));
      });
    });
  });

  app.delete<{ Params: { id: string } }>("/bridge/sessions/:id", async (request, reply) => {
    await loadSessionUser(request);
    const user = requireUser(request);
    const session = await host.sessions.get(request.params.id);
    // Someone else's session answers exactly as an unknown one.
    if (!session || session === "expired" || session.spec.userId !== user.id) return reply.code(404).send({ error: "not-found" });
    await host.sessions.close(session.id);
    host.items?.delete(session.id);
    return reply.code(204).send();
  });

  app.get<{ Params: { id: string } }>("/bridge/sessions/:id/trace", async (request, reply) => {
    await loadSessionUser(request);
    const user = requireUser(request);
    const session = await host.sessions.get(request.params.id);
    if (!session || session === "expired" || session.spec.userId !== user.id) return reply.code(404).send({ error: "not-found" });
    return { session: session.id, addinId: session.spec.addinId, tier: session.spec.tier, trace: await host.sessions.trace(session.id) };
  });
}
