/**
 * Serves Outpost's web client at /app/: the page, its bundle (built by esbuild when the server starts from sources;
 * read from the prebuilt folder of the packaged build), and the headers every client page gets — a strict CSP
 * (scripts and styles from this origin only, frames from add-in origins, frame-ancestors 'none'), HSTS over HTTPS,
 * no sniffing, no referrer leaks.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { FastifyInstance, FastifyReply } from "fastify";
import { PACKAGE_ROOT } from "../../package-root.ts";
import { buildWebClient, CLIENT_ENTRY, type ClientBundle } from "../../web/build.ts";

let bundle: Promise<ClientBundle> | undefined;
/** The bundle, built once per process (about a second) or read from the packaged build. */
export function clientBundle(): Promise<ClientBundle> {
  return (bundle ??= (async () => {
    if (existsSync(CLIENT_ENTRY)) return buildWebClient();
    const dir = join(PACKAGE_ROOT, "dist", "web", "client");
    return { js: readFileSync(join(dir, "app.js"), "utf8"), css: readFileSync(join(dir, "app.css"), "utf8") };
  })());
}

export function clientCsp(addinOrigin: string | undefined): string {
  const frames = ["'self'", "https:", ...(addinOrigin ? [addinOrigin] : [])].join(" ");
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src 'self' data: blob: https:${addinOrigin ? ` ${addinOrigin}` : ""}`,
    "connect-src 'self'",
    `frame-src ${frames}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "report-uri /api/web/csp-report",
  ].join("; ");
}

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>Outpost</title>
<link rel="stylesheet" href="/app/assets/app.css">
<script type="module" src="/app/assets/app.js"></script>
</head>
<body><div id="app"><p class="boot">Loading Outpost…</p></div></body>
</html>`;

export default async function webClientRoutes(app: FastifyInstance): Promise<void> {
  // Start building while the server boots, so the first page load does not wait.
  clientBundle().catch((err) => app.log.error({ err }, "web client bundle failed to build"));
  const secure = (reply: FastifyReply) => {
    reply.header("X-Content-Type-Options", "nosniff").header("Referrer-Policy", "same-origin").header("Cross-Origin-Opener-Policy", "same-origin");
    if (app.outpost.https) reply.header("Strict-Transport-Security", "max-age=31536000");
    return reply;
  };

  const page = async (_request: unknown, reply: FastifyReply) => {
    secure(reply).header("Content-Security-Policy", clientCsp(app.outpost.addinOrigin)).header("X-Frame-Options", "DENY").header("Cache-Control", "no-cache").type("text/html; charset=utf-8");
    return PAGE;
  };
  app.get("/app", async (_request, reply) => reply.redirect("/app/"));
  app.get("/app/", page);
  app.get("/app/*", page);
  app.get("/app/assets/app.js", async (_request, reply) => {
    secure(reply).type("text/javascript; charset=utf-8").header("Cache-Control", "no-cache");
    return (await clientBundle()).js;
  });
  app.get("/app/assets/app.css", async (_request, reply) => {
    secure(reply).type("text/css; charset=utf-8").header("Cache-Control", "no-cache");
    return (await clientBundle()).css;
  });
}
