/**
 * Tokens and secrets never reach the log. Headers are removed by pino's redaction (fastify's `redact` option);
 * URLs are rewritten, since a token sent as `?access_token=` would otherwise be written whole with the URL.
 */
import type { FastifyServerOptions } from "fastify";

/** Query parameters whose value is a credential (OAuth, callback tokens, signatures). Matched case-insensitively. */
const SECRET_PARAMS = /^(access_token|id_token|refresh_token|token|code|client_secret|password|secret|sig|signature|session|key)$/i;

export const REDACTED = "[redacted]";

/** The URL with every credential-like query value replaced; never throws. */
export function redactUrl(url: string): string {
  const q = url.indexOf("?");
  if (q < 0) return url;
  const parts = url.slice(q + 1).split("&").map((pair) => {
    const eq = pair.indexOf("=");
    const rawName = eq < 0 ? pair : pair.slice(0, eq);
    let name = rawName;
    try {
      name = decodeURIComponent(rawName.replace(/\+/g, " "));
    } catch {
      // keep the raw name
    }
    return eq >= 0 && SECRET_PARAMS.test(name.trim()) ? `${rawName}=${REDACTED}` : pair;
  });
  return `${url.slice(0, q)}?${parts.join("&")}`;
}

const REDACT_PATHS = [
  "req.headers.authorization",
  "req.headers.cookie",
  'req.headers["x-outpost-token"]',
  'res.headers["set-cookie"]',
  "headers.authorization",
  "headers.cookie",
  "*.password",
  "*.secret",
  "*.token",
  "*.accessToken",
  "*.access_token",
];

/** Adds redaction and a URL-rewriting request serializer to whatever logger options the caller chose. */
export function secureLogger(logger: FastifyServerOptions["logger"]): FastifyServerOptions["logger"] {
  if (!logger) return logger;
  const base = logger === true ? {} : (logger as Record<string, unknown>);
  return {
    ...base,
    redact: { paths: REDACT_PATHS, censor: REDACTED },
    serializers: {
      ...((base.serializers as Record<string, unknown>) ?? {}),
      req(req: { method?: string; url?: string; hostname?: string; ip?: string; socket?: { remotePort?: number } }) {
        return { method: req.method, url: redactUrl(req.url ?? ""), host: req.hostname, remoteAddress: req.ip, remotePort: req.socket?.remotePort };
      },
    },
  } as FastifyServerOptions["logger"];
}
