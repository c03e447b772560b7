import type { FastifyReply, FastifyRequest } from "fastify";
import type { RefusalReason } from "../mailbox/index.ts";
import { redactUrl } from "./security/redact.ts";

/** A request refused for lack of authentication (401) or of permission (403). Always logged and stored. */
export class Refusal extends Error {
  constructor(
    readonly status: 401 | 403,
    readonly reason: RefusalReason | string,
  ) {
    super(`${status === 401 ? "unauthenticated" : "forbidden"}: ${reason}`);
    this.name = "Refusal";
  }
}

/** Logs a refusal with the request's logger and stores a security event row. Never throws. */
export async function recordRefusal(request: FastifyRequest, surface: string, refusal: Refusal, extra: Record<string, unknown> = {}): Promise<void> {
  const claims = request.tokenClaims;
  const user = request.sessionUser;
  const detail = { status: refusal.status, method: request.method, url: redactUrl(request.url).slice(0, 500), ip: request.ip, tokenId: claims?.tokenId, ...extra };
  request.log.warn({ surface, reason: refusal.reason, ...detail, userId: claims?.userId ?? user?.id }, "request refused");
  await request.server.mailbox.security
    .record({
      surface,
      reason: String(refusal.reason),
      tenantId: claims?.tenantId ?? user?.tenantId ?? null,
      userId: claims?.userId ?? user?.id ?? null,
      mailboxId: claims?.mailboxId ?? null,
      addinId: claims?.addinId ?? null,
      detail,
    })
    .catch((err) => request.log.error({ err }, "could not store security event"));
}

/** Headers for bytes the user (or an attacker) supplied: never rendered inline on our origin. */
export function setDownloadHeaders(reply: FastifyReply, name: string, contentType: string, size: number): void {
  reply.header("Content-Type", contentType && /^[\w.+-]+\/[\w.+-]+$/.test(contentType) ? contentType : "application/octet-stream");
  reply.header("Content-Length", String(size));
  reply.header("Content-Disposition", `attachment; filename*=UTF-8''${encodeURIComponent(name)}`);
  reply.header("X-Content-Type-Options", "nosniff");
  reply.header("Content-Security-Policy", "sandbox; default-src 'none'");
  reply.header("Cache-Control", "private, no-store");
}
