/** `outpost serve`: the HTTP server (web API, REST v2.0, EWS) over the mailbox store. */
import type { Command } from "commander";
import { createServer } from "../../server/app.ts";
import { seedDemoMailbox, DEMO_PASSWORD } from "../../mailbox/index.ts";
import { seedDemoAddinsOnce } from "../../addins/seed.ts";
import { CliError, UsageError, printJson } from "../output.ts";
import { openCliStore } from "./mailbox.ts";

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
    .action(async (opts: { port: string; host: string; data: string; seed?: boolean; messages: string; json?: boolean }) => {
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
      const app = await createServer({ store, logger: { level: process.env.LOG_LEVEL ?? "info" } });
      const shutdown = async () => {
        await app.close().catch(() => undefined);
        await store.close().catch(() => undefined);
        process.exit(0);
      };
      process.once("SIGINT", shutdown);
      process.once("SIGTERM", shutdown);
      try {
        const address = await app.listen({ port, host: opts.host });
        if (opts.json) printJson({ listening: address });
      } catch (err) {
        await store.close();
        throw new CliError(`cannot listen on ${opts.host}:${port}: ${(err as Error).message}`);
      }
    });
}
