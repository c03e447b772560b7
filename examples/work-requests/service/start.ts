/**
 * Starts the Work requests service: beside Outpost from `npm start` (`outpost serve --seed`, key set in process), or
 * alone with `node --import tsx examples/work-requests/service/start.ts` (OUTPOST_JWKS_URL names Outpost's keys).
 * WORK_REQUESTS_PORT (default 3100, "off" to skip), DATABASE_URL (PostgreSQL), WORK_REQUESTS_DATA (PGlite folder).
 */
import type { JSONWebKeySet } from "jose";
import { createWorkService, type WorkService } from "./app.ts";

export const ADDIN_IDS = ["7d0c5a52-3b9e-4f61-9a2d-1c4e8b6f0a10", "7d0c5a52-3b9e-4f61-9a2d-1c4e8b6f0a11", "7d0c5a52-3b9e-4f61-9a2d-1c4e8b6f0a12"];

export async function startWorkRequests(options: { jwks?: string | (() => Promise<JSONWebKeySet>); host?: string } = {}): Promise<WorkService | undefined> {
  const port = process.env.WORK_REQUESTS_PORT ?? "3100";
  if (port === "off") return undefined;
  const service = await createWorkService({
    seed: true,
    ...(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : { dataDir: process.env.WORK_REQUESTS_DATA ?? "./data/work-requests" }),
    ...(options.jwks ? { jwks: options.jwks } : {}),
    users: { "alice@contoso.example": process.env.WORK_REQUESTS_PASSWORD ?? "outpost-demo" },
  });
  await service.app.listen({ port: Number(port), host: options.host ?? "127.0.0.1" });
  process.stderr.write(`work requests service: http://localhost:${port}/ (sign-in alice@contoso.example)\n`);
  return service;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await startWorkRequests(process.env.OUTPOST_JWKS_URL ? { jwks: process.env.OUTPOST_JWKS_URL } : {});
}
