/**
 * Downloads a manifest for a URL install: HTTPS only, one time budget for the whole exchange, at most 256 KB
 * (Content-Length checked first, then counted), at most 3 redirects (each HTTPS again). The server fetches on a
 * user's behalf, so the host must resolve to a public address (checked inside the socket's lookup, so the
 * address checked is the address connected to); tests widen `allowAddress` and pass their own CA in `ca`.
 */
import https from "node:https";
import { lookup as dnsLookup } from "node:dns";
import { isIP, type LookupFunction } from "node:net";
import { isPublicAddress } from "../runtime/members/attachment-fetch.ts";
import { LifecycleError } from "./errors.ts";

export const MANIFEST_URL_MAX_BYTES = 256 * 1024;
export const MANIFEST_URL_TIMEOUT_MS = 10_000;

export interface FetchManifestOptions {
  timeoutMs?: number;
  maxBytes?: number;
  /** Extra trusted CA certificates (PEM) for this request only; TLS verification is never turned off. */
  ca?: string | Buffer | Array<string | Buffer>;
  /** Which resolved addresses may be connected to; default public unicast only. */
  allowAddress?: (address: string) => boolean;
}

export interface FetchedManifest {
  bytes: Buffer;
  /** The URL finally answered (after redirects). */
  url: string;
}

export function checkManifestUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new LifecycleError("invalid-request", `"${raw.slice(0, 200)}" is not a URL`);
  }
  if (url.protocol !== "https:") throw new LifecycleError("not-https", `${url.protocol.replace(/:$/, "")}:// URLs are refused: a manifest URL must be https://`);
  if (url.username || url.password) throw new LifecycleError("invalid-request", "a manifest URL must not carry credentials");
  return url;
}

export async function fetchManifest(raw: string, options: FetchManifestOptions = {}): Promise<FetchedManifest> {
  const timeoutMs = options.timeoutMs ?? MANIFEST_URL_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? MANIFEST_URL_MAX_BYTES;
  const allow = options.allowAddress ?? isPublicAddress;
  let url = checkManifestUrl(raw);
  // One budget for the whole exchange; cleared at the end so it never fires on a socket that serves someone else.
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), timeoutMs);
  try {
    for (let hop = 0; hop <= 3; hop++) {
      const answer = await get(url, { ...options, allow, maxBytes, signal: deadline.signal, timeoutMs });
      if ("redirect" in answer) {
        if (hop === 3) throw new LifecycleError("fetch-failed", `${raw}: more than 3 redirects`);
        url = checkManifestUrl(new URL(answer.redirect, url).toString());
        continue;
      }
      return { bytes: answer.bytes, url: url.toString() };
    }
    throw new LifecycleError("fetch-failed", `${raw}: too many redirects`);
  } finally {
    clearTimeout(timer);
  }
}

function get(
  url: URL,
  o: FetchManifestOptions & { allow: (a: string) => boolean; maxBytes: number; signal: AbortSignal; timeoutMs: number },
): Promise<{ bytes: Buffer } | { redirect: string }> {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (isIP(host) && !o.allow(host)) return Promise.reject(new LifecycleError("fetch-failed", `${url.origin}: ${host} is not a public address`));
  const lookup: LookupFunction = (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, "", 4);
      const list = addresses as unknown as { address: string; family: number }[];
      const bad = list.find((a) => !o.allow(a.address));
      if (bad) return callback(new Error(`${hostname} resolves to ${bad.address}, which is not a public address`), "", 4);
      if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: typeof list) => void)(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  };
  return new Promise((resolve, reject) => {
    const fail = (code: "fetch-failed" | "fetch-timeout" | "too-large", message: string) => reject(new LifecycleError(code, message));
    const req = https.get(url, { agent: false, lookup, signal: o.signal, headers: { accept: "application/xml, application/json, text/xml, */*" }, ...(o.ca ? { ca: o.ca } : {}) }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        return resolve({ redirect: res.headers.location });
      }
      if (status !== 200) {
        res.resume();
        return fail("fetch-failed", `${url.toString()} answered HTTP ${status}`);
      }
      const declared = Number(res.headers["content-length"]);
      if (Number.isFinite(declared) && declared > o.maxBytes) {
        res.destroy();
        return fail("too-large", `${url.toString()} answers ${declared} bytes; a manifest may have at most ${o.maxBytes / 1024} KB`);
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (c: Buffer) => {
        size += c.length;
        if (size > o.maxBytes) {
          res.destroy();
          fail("too-large", `${url.toString()} sent more than ${o.maxBytes / 1024} KB; a manifest may have at most ${o.maxBytes / 1024} KB`);
          return;
        }
        chunks.push(c);
      });
      res.on("end", () => resolve({ bytes: Buffer.concat(chunks) }));
      res.on("error", (err) => (o.signal.aborted ? fail("fetch-timeout", `${url.toString()} did not answer within ${o.timeoutMs} ms`) : fail("fetch-failed", `${url.toString()}: ${err.message}`)));
    });
    req.on("error", (err) => (o.signal.aborted ? fail("fetch-timeout", `${url.toString()} did not answer within ${o.timeoutMs} ms`) : fail("fetch-failed", `${url.toString()}: ${err.message}`)));
  });
}
