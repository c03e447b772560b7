/**
 * Consent tickets: what the NAA broker hands its consent dialog. Signed by the provider, 10 minutes, bound to one user,
 * one client and the exact scopes asked; the consent page only records what a ticket names, for the signed-in user it names.
 */
import { SignJWT, jwtVerify } from "jose";
import { ID_ALG, type IdentityKeys } from "./keys.ts";

const AUDIENCE = "urn:outpost:consent";
const LIFETIME_SECONDS = 600;

export interface ConsentTicket {
  tenantId: string;
  userId: string;
  clientId: string;
  scopes: string[];
}

export async function signTicket(keys: IdentityKeys, t: ConsentTicket): Promise<string> {
  const key = await keys.signingKey();
  return new SignJWT({ tid: t.tenantId, azp: t.clientId, scp: t.scopes.join(" ") })
    .setProtectedHeader({ alg: ID_ALG, kid: key.kid, typ: "consent+jwt" })
    .setAudience(AUDIENCE)
    .setSubject(t.userId)
    .setIssuedAt()
    .setExpirationTime(`${LIFETIME_SECONDS}s`)
    .sign(key.privateKey);
}

/** The ticket's contents, or undefined when it is forged, expired or not a ticket. */
export async function readTicket(keys: IdentityKeys, ticket: string): Promise<ConsentTicket | undefined> {
  try {
    if (ticket.length > 4096) return undefined;
    const { payload, protectedHeader } = await jwtVerify(ticket, async (h) => (await keys.byKid(String(h.kid ?? "")))?.publicKey ?? new Uint8Array(32), { algorithms: [ID_ALG], audience: AUDIENCE });
    if (protectedHeader.typ !== "consent+jwt") return undefined;
    if (typeof payload.tid !== "string" || typeof payload.azp !== "string" || typeof payload.scp !== "string" || typeof payload.sub !== "string") return undefined;
    return { tenantId: payload.tid, userId: payload.sub, clientId: payload.azp, scopes: payload.scp.split(" ").filter(Boolean) };
  } catch {
    return undefined;
  }
}
