/**
 * The user's add-ins: list, consent prompt, install with explicit acceptance, accept a pending update,
 * enable/disable, remove. Always the signed-in user's own mailbox: nobody installs for someone else.
 */
import type { FastifyInstance } from "fastify";
import { requireUser } from "../auth/session.ts";
import { bad, checkAddinId, installInput, lifecycleErrors, lifecycleOf } from "./lifecycle-http.ts";

export default async function addinRoutes(app: FastifyInstance): Promise<void> {
  lifecycleErrors(app);
  const life = () => lifecycleOf(app);

  // Each add-in installed from the store carries the auditor's verdict on its archived version.
  app.get("/addins", async (request) => ({ value: await life().catalog.withVerdicts(await life().installs.list(requireUser(request))) }));

  app.post("/addins/consent-prompt", async (request) => {
    requireUser(request);
    const input = installInput(request.body);
    const prompt = await life().installs.prompt(input);
    // A store add-in: the auditor's verdict on the archived version (null: archived before the auditor), for the
    // consent dialog to mention. A file or URL install has no submission to audit: no field.
    return input.source === "store" ? { ...prompt, audit: await life().catalog.verdict(prompt.addin.id, prompt.addin.version) } : prompt;
  });

  app.post("/addins", async (request, reply) => {
    const user = requireUser(request);
    const body = (request.body ?? {}) as { accept?: unknown; client?: unknown };
    if (body.client !== undefined && (typeof body.client !== "string" || body.client.length > 40)) throw bad("client must be a client id such as web, windows, mac, ios or android");
    const result = await life().installs.install(user, installInput(request.body), { accept: body.accept, ...(typeof body.client === "string" ? { client: body.client } : {}) });
    return reply.code(result.changed ? 201 : 200).send(result);
  });

  app.post<{ Params: { id: string } }>("/addins/:id/consent", async (request) => {
    const user = requireUser(request);
    return life().installs.acceptUpdate(user, checkAddinId(request.params.id), (request.body as { accept?: unknown } | undefined)?.accept);
  });

  app.patch<{ Params: { id: string } }>("/addins/:id", async (request) => {
    const user = requireUser(request);
    const enabled = (request.body as { enabled?: unknown } | undefined)?.enabled;
    if (typeof enabled !== "boolean") throw bad("enabled must be true or false");
    return life().installs.setEnabled(user, checkAddinId(request.params.id), enabled);
  });

  app.delete<{ Params: { id: string } }>("/addins/:id", async (request, reply) => {
    const user = requireUser(request);
    await life().installs.remove(user, checkAddinId(request.params.id));
    return reply.code(204).send();
  });
}
