/**
 * "Work requests", a small work-tracking service: projects, requests, tasks, updates and documents, an HTTP API for
 * the Outlook add-in and a minimal web page. Users prove themselves with Outpost's identity token (verified against
 * Outpost's JWKS) or with the service's own sign-in (the add-in's dialog). It never sees a mailbox callback token.
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { Readable } from "node:stream";
import { once } from "node:events";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, mkdtemp, rename, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SignJWT, createLocalJWKSet, createRemoteJWKSet, errors as joseErrors, jwtVerify, type JSONWebKeySet, type JWTVerifyGetKey } from "jose";
import { openDb, type Db } from "./db.ts";

export const TITLE_MAX = 500;
export const DESCRIPTION_MAX = 100_000;
export const DEFAULT_UPLOAD_MAX = 30 * 1024 * 1024;
const SERVICE_ISSUER = "urn:work-requests";

export interface WorkServiceOptions {
  databaseUrl?: string;
  dataDir?: string;
  /** Outpost's keys: its /.well-known/jwks.json URL, or the key set itself. Absent: identity tokens are refused. */
  jwks?: string | JSONWebKeySet | (() => Promise<JSONWebKeySet>);
  /** Only identity tokens issued to this add-in are accepted. */
  addinId?: string;
  /**
   * Outpost's identity provider, for the modern path (legacy tokens removed: the add-in signs in with NAA): its key
   * set (`/identity/{tenant}/discovery/v2.0/keys`, a key set or a function returning it), the audience of tokens for
   * this service (the API resource of the add-in's app registration, e.g. `api://work-requests.example/api`) and,
   * optionally, the identity provider's origin (issuer `{origin}/identity/{tenant}/v2.0`). Absent: NAA tokens are refused.
   */
  idp?: { jwks: string | JSONWebKeySet | (() => Promise<JSONWebKeySet>); audience: string; origin?: string };
  uploadMaxBytes?: number;
  /** Where document bytes are kept (default: <dataDir>/blobs, or a temporary directory). */
  blobDir?: string;
  /** Users of the service's own sign-in: email → password. */
  users?: Record<string, string>;
  seed?: boolean;
  logger?: boolean;
}

export interface WorkService {
  app: FastifyInstance;
  db: Db;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export async function createWorkService(options: WorkServiceOptions = {}): Promise<WorkService> {
  const db = await openDb({ ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}), ...(options.dataDir ? { dataDir: options.dataDir } : {}) });
  const uploadMax = options.uploadMaxBytes ?? DEFAULT_UPLOAD_MAX;
  // Document bytes live as files named by their SHA-256 (the table holds name, size, hash and the submission).
  const blobDir = options.blobDir ?? (options.dataDir ? join(options.dataDir, "blobs") : await mkdtemp(join(tmpdir(), "work-requests-blobs-")));
  await mkdir(blobDir, { recursive: true });
  const secret = randomBytes(32);
  const source = options.jwks;
  // In-process (beside Outpost): the current key set is read at each verification, so a key made later counts.
  const keySet = (src: string | JSONWebKeySet | (() => Promise<JSONWebKeySet>) | undefined): JWTVerifyGetKey | undefined =>
    src === undefined ? undefined : typeof src === "string" ? createRemoteJWKSet(new URL(src)) : typeof src === "function" ? async (h, t) => createLocalJWKSet(await src())(h, t) : createLocalJWKSet(src);
  const keys = keySet(source);
  const idpKeys = keySet(options.idp?.jwks);
  for (const [email, password] of Object.entries(options.users ?? {}))
    await db.query("INSERT INTO work_requests.users (email, password_sha256, display_name) VALUES ($1,$2,$1) ON CONFLICT (email) DO UPDATE SET password_sha256 = EXCLUDED.password_sha256", [email, sha256(password)]);
  if (options.seed) await seed(db);
  // Submissions abandoned for an hour (a pane closed mid-upload) are dropped with their documents.
  await db.query("DELETE FROM work_requests.submissions WHERE NOT committed AND created_at < now() - interval '1 hour'");

  const app = Fastify({ logger: options.logger ?? false, bodyLimit: 1024 * 1024 });
  // Uploads are streamed: the handler reads, hashes and caps the raw body itself.
  app.addContentTypeParser("application/octet-stream", (_req, payload, done) => done(null, payload));
  app.addHook("onRequest", async (request, reply) => {
    // The add-in calls from its own origin; credentials travel in the Authorization header, never cookies.
    reply.header("access-control-allow-origin", "*");
    reply.header("access-control-allow-headers", "authorization, content-type, x-file-name");
    reply.header("access-control-allow-methods", "GET, POST, PUT, DELETE, OPTIONS");
    reply.header("access-control-max-age", "600");
    if (request.method === "OPTIONS") return reply.status(204).send();
  });
  app.setErrorHandler((err: Error & { statusCode?: number }, _request, reply) => {
    const status = err instanceof HttpError ? err.status : err.statusCode && err.statusCode < 500 ? err.statusCode : 500;
    reply.status(status).send({ error: status === 500 ? "The service failed; nothing was saved." : err.message });
  });

  async function user(request: FastifyRequest): Promise<string> {
    const header = request.headers.authorization ?? "";
    const token = /^Bearer (.+)$/.exec(header)?.[1];
    if (!token) throw new HttpError(401, "Sign in first: no token was sent.");
    try {
      const unverified = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as { iss?: string };
      if (unverified.iss === SERVICE_ISSUER) {
        const { payload } = await jwtVerify(token, secret, { issuer: SERVICE_ISSUER, audience: SERVICE_ISSUER });
        return String(payload.sub);
      }
      if (/\/identity\/[^/]+\/v2\.0$/.test(String(unverified.iss ?? ""))) return await naaUser(token);
      if (!keys) throw new HttpError(401, "Outpost identity tokens are not accepted here; sign in to the service.");
      const { payload } = await jwtVerify(token, keys, { issuer: "urn:outpost", audience: "urn:outpost:identity", algorithms: ["EdDSA"] });
      if (payload.knd !== "identity") throw new HttpError(401, "That is not an identity token.");
      if (options.addinId && payload.app !== options.addinId) throw new HttpError(401, "The identity token was issued to another add-in.");
      return `${String(payload.tid)}/${String(payload.sub)}`;
    } catch (e) {
      if (e instanceof HttpError) throw e;
      if (e instanceof joseErrors.JWTExpired) throw new HttpError(401, "Your token expired; sign in again and resubmit.");
      throw new HttpError(401, "The token was not accepted.");
    }
  }

  // A token from Outpost's identity provider through nested app authentication: RS256 under its keys, issued for this
  // service (audience), scope access_as_user, by the tenant's issuer. A Graph token (audience Graph) is refused: the
  // service never takes a mailbox token.
  async function naaUser(token: string): Promise<string> {
    if (!idpKeys || !options.idp) throw new HttpError(401, "Tokens from Outpost's identity provider are not accepted here; sign in to the service.");
    const { payload } = await jwtVerify(token, idpKeys, { algorithms: ["RS256"], audience: options.idp.audience, requiredClaims: ["exp", "iat", "sub", "tid", "iss"] }).catch((e: unknown) => {
      if (e instanceof joseErrors.JWTClaimValidationFailed && e.claim === "aud") throw new HttpError(401, "The token was issued for another audience than this service.");
      throw e;
    });
    const tid = String(payload.tid);
    const expectedIssuer = options.idp.origin ? `${options.idp.origin.replace(/\/$/, "")}/identity/${tid}/v2.0` : undefined;
    if (!String(payload.iss).endsWith(`/identity/${tid}/v2.0`) || (expectedIssuer && payload.iss !== expectedIssuer)) throw new HttpError(401, "The token's issuer is not the identity provider this service trusts.");
    if (!String(payload.scp ?? "").split(" ").includes("access_as_user")) throw new HttpError(401, "The token does not carry this service's scope (access_as_user).");
    return `${tid}/${String(payload.sub)}`;
  }

  app.post<{ Body: { email?: string; password?: string } }>("/api/signin", async (request) => {
    const { email = "", password = "" } = request.body ?? {};
    const rows = await db.query<{ email: string }>("SELECT email FROM work_requests.users WHERE email = $1 AND password_sha256 = $2", [String(email).toLowerCase(), sha256(String(password))]);
    if (!rows[0]) throw new HttpError(401, "Wrong email or password.");
    const token = await new SignJWT({}).setProtectedHeader({ alg: "HS256" }).setIssuer(SERVICE_ISSUER).setAudience(SERVICE_ISSUER).setSubject(rows[0].email).setIssuedAt().setExpirationTime("1h").sign(secret);
    return { token, user: rows[0].email };
  });

  app.get("/api/projects", async (request) => {
    await user(request);
    return db.query("SELECT id, name FROM work_requests.projects ORDER BY name");
  });

  app.get<{ Querystring: { q?: string } }>("/api/search", async (request) => {
    await user(request);
    const q = `%${String(request.query.q ?? "").slice(0, 200).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    return db.query(
      `SELECT 'request' AS kind, id, title FROM work_requests.requests WHERE title ILIKE $1
       UNION ALL SELECT 'task' AS kind, id, title FROM work_requests.tasks WHERE title ILIKE $1
       ORDER BY kind, id DESC LIMIT 20`,
      [q],
    );
  });

  app.post("/api/submissions", async (request) => {
    const owner = await user(request);
    const id = randomUUID();
    await db.query("INSERT INTO work_requests.submissions (id, owner) VALUES ($1, $2)", [id, owner]);
    return { id, uploadMaxBytes: uploadMax };
  });

  app.put<{ Params: { id: string }; Querystring: { name?: string } }>("/api/submissions/:id/documents", async (request, reply) => {
    const owner = await user(request);
    const sub = await pendingSubmission(request.params.id, owner);
    const name = String(request.query.name ?? "").trim();
    if (!name || name.length > 255) throw new HttpError(400, "Each document needs a name of 1 to 255 characters.");
    const declared = Number(request.headers["content-length"] ?? NaN);
    if (declared > uploadMax) {
      (request.body as Readable).resume();
      throw new HttpError(413, `${name} is ${mb(declared)}; the service accepts documents up to ${mb(uploadMax)}.`);
    }
    if (typeof (request.body as Readable | undefined)?.on !== "function") throw new HttpError(415, "Send the document as application/octet-stream.");
    // Streamed to a temporary file while hashed and counted; kept under its hash once complete.
    const hash = createHash("sha256");
    const temp = join(blobDir, `.${randomUUID()}`);
    const out = createWriteStream(temp);
    let size = 0;
    try {
      for await (const chunk of request.body as Readable) {
        size += (chunk as Buffer).length;
        if (size > uploadMax) {
          (request.body as Readable).destroy();
          reply.header("connection", "close");
          throw new HttpError(413, `${name} is larger than ${mb(uploadMax)}, the most the service accepts.`);
        }
        hash.update(chunk as Buffer);
        if (!out.write(chunk)) await once(out, "drain");
      }
      out.end();
      await once(out, "finish");
    } catch (e) {
      out.destroy();
      await rm(temp, { force: true });
      throw e;
    }
    const sha = hash.digest("hex");
    await rename(temp, join(blobDir, sha));
    const rows = await db.query<{ id: number }>(
      "INSERT INTO work_requests.documents (submission_id, name, size, sha256) VALUES ($1,$2,$3,$4) RETURNING id",
      [sub, name, size, sha],
    );
    return { id: rows[0]!.id, name, size, sha256: sha };
  });

  app.delete<{ Params: { id: string } }>("/api/submissions/:id", async (request) => {
    const owner = await user(request);
    await db.query("DELETE FROM work_requests.submissions WHERE id = $1 AND owner = $2 AND NOT committed", [request.params.id, owner]);
    return { deleted: true };
  });

  app.post<{ Params: { id: string }; Body: { kind?: string; title?: string; description?: string; projectId?: number; target?: { kind?: string; id?: number }; documents?: number } }>(
    "/api/submissions/:id/commit",
    async (request) => {
      const owner = await user(request);
      const b = request.body ?? {};
      const kind = b.kind;
      if (kind !== "request" && kind !== "task" && kind !== "update") throw new HttpError(400, "kind must be request, task or update.");
      const title = String(b.title ?? "").trim();
      const description = String(b.description ?? "");
      if (kind !== "update" && !title) throw new HttpError(400, "The title is empty.");
      if (title.length > TITLE_MAX) throw new HttpError(400, `The title is ${title.length} characters; at most ${TITLE_MAX} are allowed.`);
      if (description.length > DESCRIPTION_MAX) throw new HttpError(400, `The description is ${description.length} characters; at most ${DESCRIPTION_MAX} are allowed.`);
      return db.transaction(async (q) => {
        const sub = await q<{ id: string }>("SELECT id FROM work_requests.submissions WHERE id = $1 AND owner = $2 AND NOT committed FOR UPDATE", [request.params.id, owner]);
        if (!sub[0]) throw new HttpError(404, "That submission does not exist or was already submitted.");
        const docs = await q<{ id: number; name: string; size: string; sha256: string }>("SELECT id, name, size, sha256 FROM work_requests.documents WHERE submission_id = $1 ORDER BY id", [sub[0].id]);
        if (b.documents !== undefined && docs.length !== b.documents)
          throw new HttpError(409, `${b.documents} documents were expected but ${docs.length} arrived; nothing was submitted.`);
        let id: number;
        if (kind === "request") {
          const projectId = b.projectId ? await projectExists(q, b.projectId) : null;
          id = (await q<{ id: number }>("INSERT INTO work_requests.requests (title, description, owner, project_id, submission_id) VALUES ($1,$2,$3,$4,$5) RETURNING id", [title, description, owner, projectId, sub[0].id]))[0]!.id;
        } else if (kind === "task") {
          const projectId = await projectExists(q, Number(b.projectId));
          id = (await q<{ id: number }>("INSERT INTO work_requests.tasks (project_id, title, description, owner, submission_id) VALUES ($1,$2,$3,$4,$5) RETURNING id", [projectId, title, description, owner, sub[0].id]))[0]!.id;
        } else {
          const tk = b.target?.kind;
          if (tk !== "request" && tk !== "task") throw new HttpError(400, "An update needs a target request or task.");
          const exists = await q(`SELECT 1 FROM work_requests.${tk}s WHERE id = $1`, [Number(b.target?.id)]);
          if (!exists[0]) throw new HttpError(404, `${tk} #${b.target?.id} does not exist.`);
          id = (await q<{ id: number }>("INSERT INTO work_requests.updates (target_kind, target_id, body, owner, submission_id) VALUES ($1,$2,$3,$4,$5) RETURNING id", [tk, Number(b.target?.id), [title, description].filter(Boolean).join("\n\n"), owner, sub[0].id]))[0]!.id;
        }
        await q("UPDATE work_requests.submissions SET committed = true WHERE id = $1", [sub[0].id]);
        return { kind, id, url: `/${kind}s/${id}`, documents: docs.map((d) => ({ ...d, size: Number(d.size) })) };
      });
    },
  );

  app.get<{ Params: { kind: string; id: string } }>("/api/:kind/:id", async (request) => {
    await user(request);
    return describe(db, request.params.kind, Number(request.params.id));
  });

  app.get<{ Params: { id: string } }>("/api/documents/:id/content", async (request, reply) => {
    await user(request);
    const rows = await db.query<{ name: string; sha256: string }>(
      "SELECT d.name, d.sha256 FROM work_requests.documents d JOIN work_requests.submissions s ON s.id = d.submission_id WHERE d.id = $1 AND s.committed",
      [Number(request.params.id)],
    );
    if (!rows[0]) throw new HttpError(404, "No such document.");
    return reply.type("application/octet-stream").send(createReadStream(join(blobDir, rows[0].sha256)));
  });

  // The minimal web page: what the service holds (committed submissions only).
  app.get("/", async (_request, reply) => reply.type("text/html; charset=utf-8").send(await page(db)));
  app.get<{ Params: { kind: string; id: string } }>("/:kind/:id", async (request, reply) => {
    const d = await describe(db, request.params.kind, Number(request.params.id));
    return reply.type("text/html; charset=utf-8").send(layout(`${d.kind} #${d.id}`, `<h1>${esc(d.kind)} #${d.id}: ${esc(d.title)}</h1><pre>${esc(d.description)}</pre>${docTable(d.documents)}${d.updates.length ? `<h2>Updates</h2><ul>${d.updates.map((u) => `<li>${esc(u.body.slice(0, 200))}</li>`).join("")}</ul>` : ""}<p><a href="/">All</a></p>`));
  });

  async function pendingSubmission(id: string, owner: string): Promise<string> {
    if (!/^[0-9a-f-]{36}$/.test(id)) throw new HttpError(404, "No such submission.");
    const rows = await db.query<{ id: string }>("SELECT id FROM work_requests.submissions WHERE id = $1 AND owner = $2 AND NOT committed", [id, owner]);
    if (!rows[0]) throw new HttpError(404, "That submission does not exist or was already submitted.");
    return rows[0].id;
  }

  await app.ready();
  return {
    app,
    db,
    async close() {
      await app.close();
      await db.close();
    },
  };
}

async function projectExists(q: Db["query"], id: number): Promise<number> {
  const rows = await q<{ id: number }>("SELECT id FROM work_requests.projects WHERE id = $1", [id]);
  if (!rows[0]) throw new HttpError(400, `Project ${id} does not exist.`);
  return rows[0].id;
}

interface Described {
  kind: string;
  id: number;
  title: string;
  description: string;
  created_at: string;
  documents: { id: number; name: string; size: number; sha256: string }[];
  updates: { id: number; body: string; created_at: string }[];
}

async function describe(db: Db, rawKind: string, id: number): Promise<Described> {
  const kind = rawKind.replace(/s$/, "");
  if (!["request", "task", "update"].includes(kind) || !Number.isInteger(id)) throw new HttpError(404, "Not found.");
  const cols = kind === "update" ? "id, target_kind || ' #' || target_id AS title, body AS description, created_at, submission_id" : "id, title, description, created_at, submission_id";
  const rows = await db.query<{ id: number; title: string; description: string; created_at: string; submission_id: string | null }>(`SELECT ${cols} FROM work_requests.${kind}s WHERE id = $1`, [id]);
  const r = rows[0];
  if (!r) throw new HttpError(404, `${kind} #${id} does not exist.`);
  const documents = r.submission_id ? (await db.query<{ id: number; name: string; size: string; sha256: string }>("SELECT id, name, size, sha256 FROM work_requests.documents WHERE submission_id = $1 ORDER BY id", [r.submission_id])).map((d) => ({ ...d, size: Number(d.size) })) : [];
  const updates = kind === "update" ? [] : await db.query<{ id: number; body: string; created_at: string }>("SELECT id, body, created_at FROM work_requests.updates WHERE target_kind = $1 AND target_id = $2 ORDER BY id", [kind, id]);
  return { kind, id: r.id, title: r.title, description: r.description, created_at: String(r.created_at), documents, updates };
}

async function seed(db: Db): Promise<void> {
  for (const name of ["Website relaunch", "Quarterly close", "Office move", "Customer onboarding"])
    await db.query("INSERT INTO work_requests.projects (name) VALUES ($1) ON CONFLICT (name) DO NOTHING", [name]);
}

async function page(db: Db): Promise<string> {
  const projects = await db.query<{ id: number; name: string }>("SELECT id, name FROM work_requests.projects ORDER BY name");
  const requests = await db.query<{ id: number; title: string; owner: string; docs: string }>(
    "SELECT r.id, r.title, r.owner, (SELECT count(*) FROM work_requests.documents d WHERE d.submission_id = r.submission_id) AS docs FROM work_requests.requests r ORDER BY r.id DESC LIMIT 100",
  );
  const tasks = await db.query<{ id: number; title: string; project: string }>("SELECT t.id, t.title, p.name AS project FROM work_requests.tasks t JOIN work_requests.projects p ON p.id = t.project_id ORDER BY t.id DESC LIMIT 100");
  return layout(
    "Work requests",
    `<h1>Work requests</h1>
<h2>Projects</h2><ul>${projects.map((p) => `<li>${esc(p.name)}</li>`).join("")}</ul>
<h2>Requests</h2><ul>${requests.map((r) => `<li><a href="/requests/${r.id}">#${r.id} ${esc(r.title.slice(0, 120))}</a> — ${r.docs} document(s)</li>`).join("") || "<li>none yet</li>"}</ul>
<h2>Tasks</h2><ul>${tasks.map((t) => `<li><a href="/tasks/${t.id}">#${t.id} ${esc(t.title.slice(0, 120))}</a> in ${esc(t.project)}</li>`).join("") || "<li>none yet</li>"}</ul>`,
  );
}

function docTable(docs: Described["documents"]): string {
  if (!docs.length) return "<p>No documents.</p>";
  return `<table><tr><th>Document</th><th>Size</th><th>SHA-256</th></tr>${docs.map((d) => `<tr><td>${esc(d.name)}</td><td>${d.size}</td><td><code>${d.sha256}</code></td></tr>`).join("")}</table>`;
}

function layout(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title><style>body{font:14px system-ui,sans-serif;margin:1.5em}td,th{text-align:left;padding:.2em .8em .2em 0}</style></head><body>${body}</body></html>`;
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function sha256(s: string): string {
  return createHash("sha256").update(s).digest("hex");
}

function mb(n: number): string {
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export type { FastifyReply };
