/**
 * Starts the Work requests service: beside Outpost from `npm start` (`outpost serve --seed`, key set in process), or
 * alone with `node --import tsx examples/work-requests/service/start.ts` (OUTPOST_JWKS_URL names Outpost's keys).
 * WORK_REQUESTS_PORT (default 3100, "off" to skip), DATABASE_URL (PostgreSQL), WORK_REQUESTS_DATA (PGlite folder; beside
 * Outpost, <its --data>/work-requests),
 * OUTPOST_IDP_JWKS_URL (alone: the identity provider's keys, https://localhost:3000/identity/contoso/discovery/v2.0/keys),
 * WORK_REQUESTS_API (the audience of NAA tokens, default api://localhost:3100/work-requests).
 */
import type { JSONWebKeySet } from "jose";
import { createWorkService, type WorkService } from "./app.ts";

export const ADDIN_IDS = ["7d0c5a52-3b9e-4f61-9a2d-1c4e8b6f0a10", "7d0c5a52-3b9e-4f61-9a2d-1c4e8b6f0a11", "7d0c5a52-3b9e-4f61-9a2d-1c4e8b6f0a12"];

/** The API resource of the add-in's app registration: the audience of NAA tokens for this service (WORK_REQUESTS_API). */
export const API_RESOURCE = process.env.WORK_REQUESTS_API ?? "api://localhost:3100/work-requests";

export async function startWorkRequests(
  options: { jwks?: string | (() => Promise<JSONWebKeySet>); idpJwks?: string | (() => Promise<JSONWebKeySet>); host?: string; dataDir?: string } = {},
): Promise<WorkService | undefined> {
  const port = process.env.WORK_REQUESTS_PORT ?? "3100";
  if (port === "off") return undefined;
  const service = await createWorkService({
    seed: true,
    ...(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : { dataDir: process.env.WORK_REQUESTS_DATA ?? options.dataDir ?? "./data/work-requests" }),
    ...(options.jwks ? { jwks: options.jwks } : {}),
    ...(options.idpJwks ? { idp: { jwks: options.idpJwks, audience: API_RESOURCE } } : {}),
    users: { "alice@contoso.example": process.env.WORK_REQUESTS_PASSWORD ?? "outpost-demo" },
  });
  await service.app.listen({ port: Number(port), host: options.host ?? "127.0.0.1" });
  process.stderr.write(`work requests service: http://localhost:${port}/ (sign-in alice@contoso.example)\n`);
  return service;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await startWorkRequests({
    ...(process.env.OUTPOST_JWKS_URL ? { jwks: process.env.OUTPOST_JWKS_URL } : {}),
    ...(process.env.OUTPOST_IDP_JWKS_URL ? { idpJwks: process.env.OUTPOST_IDP_JWKS_URL } : {}),
  });
}
