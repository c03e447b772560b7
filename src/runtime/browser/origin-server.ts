/**
 * The add-in origin: its own HTTP listener (another port than the host page, so another origin) serving an add-in's
 * folder as the add-in's site. Root-relative and `../` paths resolve inside the add-in root and nowhere else
 * (realpath checked, so a symbolic link cannot lead out). Requests for office.js (a local copy Microsoft's
 * templates ship) get Outpost's shim. Several add-ins can share one listener, each on its own origin, as
 * `http://<site>.localhost:<port>/` (browsers resolve *.localhost to the loopback address).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { readFile, realpath } from "node:fs/promises";
import { contentType } from "./mime.ts";
import { fileWithin, MapError } from "./url-map.ts";

export interface OriginServerOptions {
  /** The add-in root served at http://127.0.0.1:<port>/ (and http://localhost:<port>/). */
  root?: string;
  /** Named sites: `name` → root, served at http://<name>.localhost:<port>/. */
  sites?: Record<string, string>;
  /** The office.js text served for any path ending in office.js / office.debug.js. */
  officeJs: string;
  host?: string;
  port?: number;
}

export interface OriginServer {
  /** Origin of the default root: http://127.0.0.1:<port> */
  readonly origin: string;
  readonly port: number;
  /** Origin of a named site. */
  siteOrigin(name: string): string;
  /** URL of a file under the default root (relative path inside it). */
  urlFor(relativePath: string, site?: string): string;
  close(): Promise<void>;
}

export const OFFICE_JS_PATH = /(^|\/)office(\.debug)?\.js$/i;
const SITE_NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export async function startOriginServer(options: OriginServerOptions): Promise<OriginServer> {
  const roots = new Map<string, string>();
  for (const [name, dir] of Object.entries(options.sites ?? {})) {
    if (!SITE_NAME.test(name)) throw new Error(`Site name "${name}" must be a DNS label (a-z, 0-9, -).`);
    roots.set(name, await realpath(dir));
  }
  const defaultRoot = options.root ? await realpath(options.root) : undefined;

  const rootFor = (req: IncomingMessage): string | undefined => {
    const host = String(req.headers.host ?? "").toLowerCase().replace(/:\d+$/, "");
    const m = /^([a-z0-9-]+)\.localhost$/.exec(host);
    if (m) return roots.get(m[1]!);
    return defaultRoot;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== "GET" && req.method !== "HEAD") return send(res, 405, "text/plain; charset=utf-8", "Only GET and HEAD are served from an add-in's folder.\n");
    const root = rootFor(req);
    if (!root) return send(res, 404, "text/plain; charset=utf-8", `No add-in is served at ${req.headers.host}.\n`);
    const path = new URL(req.url ?? "/", "http://x").pathname;
    if (OFFICE_JS_PATH.test(path)) return send(res, 200, "text/javascript; charset=utf-8", options.officeJs, req.method === "HEAD");
    let rest: string;
    try {
      rest = decodeURIComponent(path).replace(/^\/+/, "");
    } catch {
      return send(res, 400, "text/plain; charset=utf-8", "Malformed path.\n");
    }
    if (rest.includes("\0")) return send(res, 400, "text/plain; charset=utf-8", "Malformed path.\n");
    let file: string;
    try {
      file = await fileWithin(root, rest, path);
    } catch (e) {
      const outside = e instanceof MapError && /outside/.test(e.message);
      return send(res, outside ? 403 : 404, "text/plain; charset=utf-8", outside ? `${path} lies outside the add-in root.\n` : `${path} is not in the add-in's folder.\n`);
    }
    const body = await readFile(file);
    send(res, 200, contentType(file), body, req.method === "HEAD");
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => send(res, 500, "text/plain; charset=utf-8", "The add-in origin failed to read the file.\n"));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    port,
    siteOrigin: (name) => `http://${name}.localhost:${port}`,
    urlFor: (relativePath, site) => `${site ? `http://${site}.localhost:${port}` : origin}/${relativePath.split(/[\\/]/).map(encodeURIComponent).join("/")}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, headOnly = false): void {
  res.writeHead(status, {
    "content-type": type,
    "cache-control": "no-cache",
    "x-content-type-options": "nosniff",
    // Only the host page may frame an add-in (any origin here: the host page's origin is not known to this server).
    "cross-origin-resource-policy": "cross-origin",
  });
  res.end(headOnly ? undefined : body);
}
