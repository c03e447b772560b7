/**
 * Tenant administration for the tenant's admins (own tenant only): policies (version-checked), enabling and
 * disabling add-ins for the organisation, groups, centralized deployments and the audit log.
 */
import type { FastifyInstance } from "fastify";
import { GOVERNANCE_THRESHOLDS } from "../../governance/thresholds.ts";
import type { TenantPolicy } from "../../tenant/policy.ts";
import { checkTargets } from "../../tenant/deployments.ts";
import { requireAdmin } from "../auth/session.ts";
import { bad, checkAddinId, installInput, lifecycleErrors, lifecycleOf } from "./lifecycle-http.ts";
import type { PolicyAnswer } from "./lifecycle-types.ts";

const answer = (p: TenantPolicy): PolicyAnswer => ({ ...p, thresholdRanges: Object.values(GOVERNANCE_THRESHOLDS) });

export default async function adminRoutes(app: FastifyInstance): Promise<void> {
  lifecycleErrors(app);
  const life = () => lifecycleOf(app);

  app.get("/admin/policy", async (request) => answer(await life().policies.get(requireAdmin(request).tenantId)));

  app.put("/admin/policy", async (request) => {
    const admin = requireAdmin(request);
    const body = (request.body ?? {}) as { version?: unknown };
    if (typeof body.version !== "number") throw bad("version (the policy version you read) is required");
    return answer(await life().policies.update(admin.tenantId, body.version, body, admin.email));
  });

  app.put<{ Params: { id: string } }>("/admin/addins/:id/state", async (request) => {
    const admin = requireAdmin(request);
    const enabled = (request.body as { enabled?: unknown } | undefined)?.enabled;
    if (typeof enabled !== "boolean") throw bad("enabled must be true or false");
    return answer(await life().setAddinEnabled(admin.tenantId, checkAddinId(request.params.id), enabled, admin.email));
  });

  // Each deployment from the store carries the auditor's verdict on that archived version (null: not from the store).
  app.get("/admin/deployments", async (request) => ({ value: await life().catalog.withVerdicts(await life().deployments.list(requireAdmin(request).tenantId)) }));

  app.post("/admin/deployments", async (request, reply) => {
    const admin = requireAdmin(request);
    const body = (request.body ?? {}) as { targets?: unknown; mandatory?: unknown };
    if (body.mandatory !== undefined && typeof body.mandatory !== "boolean") throw bad("mandatory must be true or false");
    const targets = checkTargets(body.targets);
    return reply.code(201).send(await life().deploy(admin.tenantId, installInput(request.body), targets, body.mandatory === true, admin.email));
  });

  app.delete<{ Params: { id: string } }>("/admin/deployments/:id", async (request, reply) => {
    const admin = requireAdmin(request);
    await life().undeploy(admin.tenantId, checkAddinId(request.params.id), admin.email);
    return reply.code(204).send();
  });

  app.get("/admin/groups", async (request) => ({ value: await life().groups.list(requireAdmin(request).tenantId) }));

  app.put<{ Params: { name: string } }>("/admin/groups/:name", async (request) => {
    const admin = requireAdmin(request);
    const members = (request.body as { members?: unknown } | undefined)?.members;
    if (!Array.isArray(members) || members.some((m) => typeof m !== "string") || members.length > 10_000) throw bad("members must be an array of addresses");
    return life().groups.set(admin.tenantId, request.params.name, members as string[], admin.email);
  });

  app.get<{ Querystring: { limit?: string; before?: string; action?: string } }>("/admin/audit", async (request) => {
    const admin = requireAdmin(request);
    const q = request.query;
    return { value: await life().auditLog.list(admin.tenantId, { limit: Number(q.limit ?? 100) || 100, ...(q.before ? { before: q.before } : {}), ...(q.action ? { action: q.action } : {}) }) };
  });
}
