/**
 * The add-in store over HTTP: listings, archived versions, reviews (by users who have the add-in), publishers
 * (owned by the user who created them) and their submissions, operator actions (verify, takedown).
 */
import type { FastifyInstance } from "fastify";
import { LifecycleError } from "../../addins/errors.ts";
import { oceEffect } from "../../tenant/oce.ts";
import { readPolicy } from "../../tenant/policy.ts";
import { requireUser } from "../auth/session.ts";
import { Refusal } from "../errors.ts";
import { bad, checkAddinId, lifecycleErrors, lifecycleOf } from "./lifecycle-http.ts";
import { PACKAGE_LIMITS, type PackageFile } from "../../audit/package-files.ts";

/** A manifest and a code package as JSON strings (escaping can grow text; the package check bounds the code itself). */
const SUBMISSION_BODY_BYTES = PACKAGE_LIMITS.bytes * 2 + 1024 * 1024;

export default async function storeRoutes(app: FastifyInstance): Promise<void> {
  lifecycleErrors(app);
  const life = () => lifecycleOf(app);
  const requireOperator = async (userId: string) => {
    if (!(await life().catalog.isOperator(userId))) throw new Refusal(403, "not-store-operator");
  };

  app.get<{ Querystring: { q?: string; client?: string } }>("/store/listings", async (request) => {
    const user = requireUser(request);
    const oce = oceEffect((await readPolicy(app.mailbox.db, user.tenantId)).optionalConnectedExperiences, request.query.client);
    if (!oce.store) throw new LifecycleError("oce-off", `optional connected experiences are off for ${oce.client} in your organisation: the store is not available from this client`);
    return { value: await life().catalog.list(request.query.q ? { q: String(request.query.q) } : {}) };
  });

  app.get<{ Params: { id: string } }>("/store/listings/:id", async (request) => {
    requireUser(request);
    const d = await life().catalog.detail(checkAddinId(request.params.id));
    if (!d) throw new LifecycleError("not-found", "no such listing");
    return d;
  });

  app.get<{ Params: { id: string; version: string } }>("/store/listings/:id/versions/:version/manifest", async (request, reply) => {
    requireUser(request);
    if (!/^[0-9.]{1,40}$/.test(request.params.version)) throw bad("not a version");
    const v = await life().catalog.versionBytes(checkAddinId(request.params.id), request.params.version);
    if (!v) throw new LifecycleError("not-found", "no such version");
    const json = v.bytes[0] === 0x7b || /^\s*\{/.test(v.bytes.subarray(0, 64).toString("utf8"));
    reply.header("content-type", json ? "application/json; charset=utf-8" : "application/xml; charset=utf-8").header("x-content-sha256", v.sha256).header("x-content-type-options", "nosniff");
    reply.header("content-security-policy", "sandbox; default-src 'none'");
    return reply.send(v.bytes);
  });

  app.get<{ Params: { id: string } }>("/store/listings/:id/reviews", async (request) => {
    requireUser(request);
    return { value: await life().catalog.reviews(checkAddinId(request.params.id)) };
  });

  app.put<{ Params: { id: string } }>("/store/listings/:id/reviews", async (request) => {
    const user = requireUser(request);
    const id = checkAddinId(request.params.id);
    if (!(await life().installs.find(user, id))) throw new LifecycleError("not-installed", "you can review only add-ins you have installed");
    const b = (request.body ?? {}) as { rating?: unknown; text?: unknown };
    return life().catalog.review(id, user, b.rating, b.text);
  });

  app.post<{ Params: { id: string } }>("/store/listings/:id/takedown", async (request) => {
    const user = requireUser(request);
    await requireOperator(user.id);
    const reason = (request.body as { reason?: unknown } | undefined)?.reason;
    if (typeof reason !== "string") throw bad("reason is required");
    return life().catalog.takedown(checkAddinId(request.params.id), reason, user.email);
  });

  app.get("/store/publishers", async (request) => {
    requireUser(request);
    return { value: await life().catalog.publishers.list() };
  });

  app.post("/store/publishers", async (request, reply) => {
    const user = requireUser(request);
    const b = (request.body ?? {}) as Record<string, unknown>;
    const str = (k: string) => (typeof b[k] === "string" ? (b[k] as string) : null);
    if (typeof b.name !== "string") throw bad("name is required");
    const p = await life().catalog.publishers.create(
      { name: b.name, ownerUserId: user.id, privacyUrl: str("privacyUrl"), supportUrl: str("supportUrl"), acceptAgreement: b.acceptAgreement === true },
      user.email,
      user.tenantId,
    );
    return reply.code(201).send(p);
  });

  app.post<{ Params: { id: string } }>("/store/publishers/:id/verify", async (request) => {
    const user = requireUser(request);
    await requireOperator(user.id);
    return life().catalog.publishers.verify(request.params.id, user.email);
  });

  // The add-in's code may come with the manifest ({path, text} files: a bundle or a folder), audited at submission.
  app.post<{ Params: { id: string } }>("/store/publishers/:id/submissions", { bodyLimit: SUBMISSION_BODY_BYTES }, async (request, reply) => {
    const user = requireUser(request);
    const body = request.body as { manifest?: unknown; code?: unknown } | undefined;
    const manifest = body?.manifest;
    if (typeof manifest !== "string" || !manifest) throw bad("manifest (the manifest's XML or JSON text) is required");
    if (body?.code !== undefined && !Array.isArray(body.code)) throw bad("code must be an array of {path, text} files (the add-in's code, audited with the submission)");
    const code = body?.code as PackageFile[] | undefined;
    return reply.code(201).send(await life().catalog.submit(request.params.id, Buffer.from(manifest, "utf8"), undefined, user.email, user.tenantId, user.id, code ? { code } : {}));
  });
}
