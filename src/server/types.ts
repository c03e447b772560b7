import type { SqlSessionStore } from "../runtime/sessions/sql-store.ts";
import type { MailboxStore, TokenClaims, User } from "../mailbox/index.ts";
import type { SignInLimitSettings } from "./security/sign-in-limits.ts";
import type { FetchManifestOptions } from "../addins/fetch-manifest.ts";

declare module "fastify" {
  interface FastifyInstance {
    mailbox: MailboxStore;
    outpost: ServerSettings;
    /** The server's bridge sessions and traces (one store per server: it keeps immutable session parts and pending trace entries). */
    bridgeSessions: SqlSessionStore;
  }
  interface FastifyRequest {
    /** Set by the session plugin on /api/… routes when a valid session cookie came with the request. */
    sessionUser?: User;
    /** Set on REST/EWS routes once the bearer token verified. */
    tokenClaims?: TokenClaims;
    /** The sign-in session (cookie) the session user came with; bridge sessions are bound to it. */
    signInSessionId?: string;
  }
  interface FastifyContextConfig {
    /** The route answers NUL characters itself (the bridge answers in its own protocol). */
    allowNul?: boolean;
    /** The route reads its body as a stream and checks what it parses itself (REST attachment uploads). */
    streamedBody?: boolean;
  }
}

export interface ServerSettings {
  /** EWS request and response limit (bytes): 5 MB for current clients, 1 MB for old classic/Mac builds. */
  ewsMaxBytes: number;
  /** Whether cookies get the Secure flag (also set on any request that arrived over HTTPS). */
  secureCookies: boolean;
  /** Origins besides the server's own allowed to send state-changing, cookie-authenticated requests. */
  trustedOrigins?: string[];
  /** Open connections one client address may hold; more are closed at once (0: no cap). */
  maxConnectionsPerAddress: number;
  /** Open bridge sessions one user may hold; opening one more is refused with 429. */
  maxBridgeSessionsPerUser: number;
  /** Sign-in throttling (src/server/security/sign-in-limits.ts); defaults when absent. */
  signInLimits?: SignInLimitSettings;
  /** Served over HTTPS (`outpost serve --https`): the web client's pages get HSTS. */
  https?: boolean;
  /**
   * Origin add-in pages are served from (their own origin, never the client's). Manifest URLs on the demo origin
   * (https://localhost:3000) are rewritten to it in the web client's add-in bar.
   */
  addinOrigin?: string;
  /** Manifest downloads for URL installs (tests trust their own CA and loopback here; TLS is always verified). */
  manifestFetch?: FetchManifestOptions;
}
