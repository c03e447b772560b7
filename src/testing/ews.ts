/**
 * makeEwsRequestAsync for hosts without an HTTP server of their own (the test SDK, `outpost run`): an Outpost
 * server over the same store, built on first use and driven in-process (fastify inject, no socket), so the
 * request meets the very EWS operations, token checks and limits of /EWS/Exchange.asmx.
 */
import type { FastifyInstance } from "fastify";
import type { MailboxStore } from "../mailbox/index.ts";
import type { EwsExecutor } from "../runtime/members/ews.ts";
import { createServer } from "../server/app.ts";
import { ewsOverInject } from "../server/plugins/bridge.ts";

export interface InProcessEws {
  ews: EwsExecutor;
  close(): Promise<void>;
}

export function inProcessEws(store: MailboxStore): InProcessEws {
  let app: Promise<FastifyInstance> | undefined;
  return {
    async ews(soap, token) {
      app ??= createServer({ store }).then(async (a) => (await a.ready(), a));
      return ewsOverInject(await app)(soap, token);
    },
    async close() {
      if (app) await (await app).close();
    },
  };
}
