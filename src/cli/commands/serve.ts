/** `outpost serve`: the HTTP server (web API, REST v2.0, EWS) over the mailbox store. */
import type { Command } from "commander";
import { createServer } from "../../server/app.ts";
import { seedDemoMailbox, DEMO_PASSWORD } from "../../mailbox/index.ts";
import { seedDemoAddinsOnce } from "../../addins/seed.ts";
import { CliError, UsageError, printJson } from "../output.ts";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { PACKAGE_ROOT } from "../../package-root.ts";
import type { TLSSocket } from "node:tls";
import type { FastifyInstance } from "fastify";
import { createAddinOriginServer } from "../../server/web/addin-origin-server.ts";
import { loadOrCreateTls, TlsSetupError, type TlsMaterial } from "../../server/web/tls.ts";
import { openCliStore } from "./mailbox.ts";
import { Identity } from "../../identity/index.ts";

export function registerServeCommands(program: Command): void {
  program
    .command("serve")
    .description("Start the Outpost server (PGlite in --data by default; PostgreSQL when DATABASE_URL is set)")
    .option("--port <port>", "TCP port", "3000")
    .option("--host <host>", "interface to listen on", "127.0.0.1")
    .option("--data <dir>", "embedded store folder", "./data")
    .option("--seed", "seed a demo mailbox when the store is empty")
    .option("--messages <n>", "messages to seed with --seed", "200")
    .option("--json", "log as JSON lines (the default when not on a terminal)")
    .option("--https", "serve over HTTPS (a development certificate is made in <data>/tls on first start unless --cert/--key are given); Secure cookies, HSTS")
    .option("--cert <file>", "PEM certificate for --https")
    .option("--key <file>", "PEM private key for --https")
    .option("--blob-dir <dir>", "PostgreSQL: keep attachment bytes as files in this directory, mounted by every app server (default: $OUTPOST_BLOB_DIR, else in the database)")
    .option("--blob-cache-mb <mb>", "memory for recently read attachments and raw messages, served without a database read (0: off)", "128")
    .option("--addin-origin <origin>", "origin add-in pages are served from when they are hosted elsewhere (default: Outpost's own add-in origin on 127.0.0.1, port --port + 1)")
    .action(async (opts: { port: string; host: string; data: string; seed?: boolean; messages: string; json?: boolean; https?: boolean; cert?: string; key?: string; addinOrigin?: string; blobCacheMb?: string; blobDir?: string }) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0–65535, not "${opts.port}"`);
      const messages = Number(opts.messages);
      if (!Number.isInteger(messages) || messages < 1) throw new UsageError(`--messages must be a positive whole number, not "${opts.messages}"`);
      const store = await openCliStore(opts);
      if (opts.seed && (await store.isEmpty())) {
        const r = await seedDemoMailbox(store, { messages });
        process.stderr.write(`seeded demo mailbox: ${Object.values(r.users).map((u) => u.email).join(", ")} (password "${DEMO_PASSWORD}")\n`);
      }
      if (opts.seed) await seedDemoAddinsOnce(store);
      let tls: TlsMaterial | undefined;
      if (opts.https || opts.cert || opts.key) {
        try {
          tls = await loadOrCreateTls({ dataDir: opts.data, ...(opts.cert ? { certFile: opts.cert } : {}), ...(opts.key ? { keyFile: opts.key } : {}) });
        } catch (err) {
          await store.close();
          if (err instanceof TlsSetupError) throw new UsageError(err.message);
          throw err;
        }
        process.stderr.write(`TLS certificate ${tls.source === "given" ? "" : `(${tls.source}) `}${tls.certPath}, SHA-256 ${tls.fingerprint256}, valid to ${tls.validTo}\n`);
      }
      const scheme = tls ? "https" : "http";
      // The demo add-ins' own origin: another port and another site (127.0.0.1, while the client is on localhost),
      // so a spinning add-in runs in a renderer process of its own and can never reach the client's origin.
      const clientOrigins: string[] = [];
      let addinServer: FastifyInstance | undefined;
      let addinOrigin = opts.addinOrigin;
      if (!addinOrigin) {
        addinServer = await createAddinOriginServer({ clientOrigins, ...(tls ? { https: { key: tls.key, cert: tls.cert } } : {}) });
        try {
          await addinServer.listen({ port: port === 0 ? 0 : port + 1, host: opts.host === "127.0.0.1" || opts.host === "localhost" ? "127.0.0.1" : opts.host });
        } catch (err) {
          await store.close();
          throw new CliError(`cannot listen for the add-in origin on port ${port + 1}: ${(err as Error).message}`);
        }
        addinOrigin = `${scheme}://127.0.0.1:${(addinServer.server.address() as AddressInfo).port}`;
      }
      const app = await createServer({
        store,
        logger: { level: process.env.LOG_LEVEL ?? "info" },
        ...(tls ? { https: { key: tls.key, cert: tls.cert } } : {}),
        settings: { secureCookies: !!tls, https: !!tls, ...(addinOrigin ? { addinOrigin } : {}) },
      });
      // No Nagle delay on TLS sockets: the bridge's small calls would otherwise wait for delayed ACKs.
      if (tls) app.server.on("secureConnection", (socket: TLSSocket) => socket.setNoDelay(true));
      const shutdown = async () => {
        await app.close().catch(() => undefined);
        await addinServer?.close().catch(() => undefined);
        await store.close().catch(() => undefined);
        process.exit(0);
      };
      process.once("SIGINT", shutdown);
      process.once("SIGTERM", shutdown);
      try {
        const address = await app.listen({ port, host: opts.host });
        const actual = (app.server.address() as AddressInfo).port;
        clientOrigins.push(`${scheme}://localhost:${actual}`, `${scheme}://127.0.0.1:${actual}`);
        process.stderr.write(`web client: ${scheme}://localhost:${actual}/app/ (add-ins from ${addinOrigin})\n`);
        if (opts.json) printJson({ listening: address });
        // The reference integration (docs/work-requests.md) starts beside the demo; WORK_REQUESTS_PORT=off skips it.
        if (opts.seed) {
          // An example, not part of Outpost: loaded by path (domain code never imports examples/), and only where a
          // TypeScript loader runs it (a source checkout's `npm start`); the installed package skips it with a note.
          const startFile = pathToFileURL(join(PACKAGE_ROOT, "examples", "work-requests", "service", "start.ts")).href;
          await import(startFile)
            .then((m: { startWorkRequests: (o: { jwks: () => unknown; idpJwks: () => unknown; host: string; dataDir: string }) => Promise<unknown> }) =>
              // Both key sets in process: identity tokens' (legacy path) and the identity provider's (NAA path); its
              // data beside Outpost's.
              m.startWorkRequests({ jwks: () => app.mailbox.tokens.jwks(), idpJwks: () => Identity.of(app.mailbox).keys.jwks(), host: opts.host, dataDir: join(opts.data, "work-requests") }),
            )
            .catch((e: Error) => process.stderr.write(`work requests service not started: ${e.message}\n`));
        }
      } catch (err) {
        await store.close();
        throw new CliError(`cannot listen on ${opts.host}:${port}: ${(err as Error).message}`);
      }
    });
}
