import type { FastifyReply, FastifyRequest } from "fastify";
import { Refusal } from "../errors.ts";

export const SESSION_COOKIE = "outpost_session";

/** Loads the session user from the signed session cookie (sessions live in the database: any app server can serve). */
export async function loadSessionUser(request: FastifyRequest): Promise<void> {
  const raw = request.cookies[SESSION_COOKIE];
  if (!raw) return;
  const unsigned = request.unsignCookie(raw);
  if (!unsigned.valid || !unsigned.value) return;
  request.sessionUser = await request.server.mailbox.directory.getSessionUser(unsigned.value);
  if (request.sessionUser) request.signInSessionId = unsigned.value;
}

export function requireUser(request: FastifyRequest) {
  if (!request.sessionUser) throw new Refusal(401, "no-session");
  return request.sessionUser;
}

export function requireAdmin(request: FastifyRequest) {
  const user = requireUser(request);
  if (!user.isAdmin) throw new Refusal(403, "not-admin");
  return user;
}

export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, sessionId: string, expiresAt: Date): void {
  reply.setCookie(SESSION_COOKIE, sessionId, {
    signed: true,
    httpOnly: true,
    sameSite: "strict",
    // Secure whenever the request came over TLS (serve --https), or when the deployment says so (TLS proxy in front).
    secure: request.protocol === "https" || request.server.outpost.secureCookies,
    path: "/",
    expires: expiresAt,
  });
}
