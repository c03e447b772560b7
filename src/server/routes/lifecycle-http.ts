/** What the lifecycle route files share: the lifecycle plane per server, request parsing, one error shape. */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { Lifecycle } from "../../addins/lifecycle.ts";
import { LifecycleError } from "../../addins/errors.ts";
import type { InstallInput } from "../../addins/installs.ts";
import { MailboxError } from "../../mailbox/index.ts";
import { loadSessionUser } from "../auth/session.ts";
import { Refusal, recordRefusal } from "../errors.ts";

const planes = new WeakMap<object, Lifecycle>();

/** One Lifecycle per store (it holds no state of its own; the database does). */
export function lifecycleOf(app: FastifyInstance): Lifecycle {
  let l = planes.get(app.mailbox);
  if (!l) planes.set(app.mailbox, (l = new Lifecycle(app.mailbox.db, { fetch: app.outpost.manifestFetch ?? {} })));
  return l;
}

export function bad(message: string): LifecycleError {
  return new LifecycleError("invalid-request", message);
}

/** `{ source: "file", manifest } | { source: "url", url } | { source: "store", addinId }` from a request body. */
export function installInput(body: unknown): InstallInput {
  const b = (body ?? {}) as Record<string, unknown>;
  if (b.source === "file") {
    if (typeof b.manifest !== "string" || !b.manifest) throw bad("manifest (the manifest's XML or JSON text) is required with source \"file\"");
    return { source: "file", manifest: b.manifest, ...(typeof b.fileName === "string" ? { fileName: b.fileName.slice(0, 200) } : {}) };
  }
  if (b.source === "url") {
    if (typeof b.url !== "string" || !b.url || b.url.length > 2000) throw bad("url (an https:// address of the manifest) is required with source \"url\"");
    return { source: "url", url: b.url };
  }
  if (b.source === "store") {
    if (typeof b.addinId !== "string" || !/^[A-Za-z0-9{}._-]{1,100}$/.test(b.addinId)) throw bad("addinId (a store listing's add-in id) is required with source \"store\"");
    return { source: "store", addinId: b.addinId };
  }
  throw bad('source must be "file", "url" or "store"');
}

export function checkAddinId(id: string): string {
  if (!/^[A-Za-z0-9{}._-]{1,100}$/.test(id)) throw bad("not an add-in id");
  return id.toLowerCase();
}

/** Loads the session user and answers every lifecycle refusal as `{ error: { code, message, … } }`. */
export function lifecycleErrors(app: FastifyInstance): void {
  app.addHook("onRequest", async (request) => loadSessionUser(request));
  app.setErrorHandler(async (err: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) => {
    if (err instanceof LifecycleError) return reply.code(err.status).send({ error: { code: err.code, message: err.message, ...err.details } });
    if (err instanceof Refusal) {
      await recordRefusal(request, "lifecycle", err);
      return reply.code(err.status).send({ error: { code: err.status === 401 ? "Unauthenticated" : "Forbidden", message: err.status === 401 ? "Sign in first." : "You don't have access to this." } });
    }
    if (err instanceof MailboxError) return reply.code(err.status).send({ error: { code: err.code, message: err.message } });
    const status = (err as FastifyError).statusCode;
    if (status && status < 500) return reply.code(status).send({ error: { code: "invalid-request", message: err.message } });
    request.log.error({ err }, "lifecycle request failed");
    return reply.code(500).send({ error: { code: "internal-error", message: "Something went wrong." } });
  });
}
