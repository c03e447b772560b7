/**
 * The browser runtime's host page server (its own origin, never the add-in's): /host.html with the host-page
 * module, and POST /bridge/call into the same dispatch the Outpost server uses. The page signs every call with
 * the session secret; the add-in's frame never has it.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { addinHostBundle, hostPageHtml } from "../../web/addin-host/build.ts";
import { dispatch, type BridgeHost } from "../bridge/dispatch.ts";
import { MAX_ARGS_JSON_CHARS } from "../bridge/protocol.ts";

export interface HostServer {
  readonly origin: string;
  close(): Promise<void>;
}

export async function startHostServer(bridge: BridgeHost): Promise<HostServer> {
  const bundle = await addinHostBundle();
  const html = hostPageHtml("/addin-host.js");
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "/").replace(/[?#].*$/, "");
    const reply = (status: number, type: string, body: string) => {
      res.writeHead(status, { "content-type": type, "cache-control": "no-cache", "x-content-type-options": "nosniff", "x-frame-options": "DENY" });
      res.end(body);
    };
    if (req.method === "GET" && (path === "/host.html" || path === "/")) return reply(200, "text/html; charset=utf-8", html);
    if (req.method === "GET" && path === "/addin-host.js") return reply(200, "text/javascript; charset=utf-8", bundle);
    if (req.method === "POST" && path === "/bridge/call") {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on("data", (c: Buffer) => {
        size += c.length;
        if (size > MAX_ARGS_JSON_CHARS + 65_536) req.destroy();
        else chunks.push(c);
      });
      req.on("end", () => {
        let body: unknown;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
        } catch {
          body = null;
        }
        dispatch(bridge, body).then(
          (r) => reply(200, "application/json; charset=utf-8", JSON.stringify(r)),
          () => reply(500, "application/json; charset=utf-8", '{"error":"internal"}'),
        );
      });
      return;
    }
    reply(404, "text/plain; charset=utf-8", "Not found.\n");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return { origin: `http://127.0.0.1:${port}`, close: () => new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
    }) };
}
