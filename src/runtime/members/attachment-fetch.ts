/**
 * The one place the server fetches a URL on an add-in's behalf (item.addFileAttachmentAsync). Outlook's client
 * downloads the file itself; here the server does, so the URL is an SSRF vector and is treated as hostile:
 * - `data:` URIs are decoded locally (no request at all);
 * - otherwise only https (http only when the add-in's AppDomain entry says http) to an origin listed in the
 *   add-in's AppDomains (XML) / validDomains (JSON); no credentials in the URL, no redirects followed;
 * - the host must resolve only to public unicast addresses: loopback, private, link-local (cloud metadata),
 *   CGNAT, multicast, documentation and IPv4-mapped forms of those are refused. The check runs inside the socket's
 *   DNS lookup, so the address that is checked is the address connected to (no DNS-rebinding window);
 * - bounded: 25 MB (Content-Length checked first, then counted while streaming) and one time budget for the whole
 *   request.
 */
import { BlockList, isIP, type LookupFunction } from "node:net";
import { lookup as dnsLookup } from "node:dns";
import http from "node:http";
import https from "node:https";
import { OfficeCallError } from "./context.ts";

export interface FetchPolicy {
  /** The add-in's AppDomains / validDomains: origins ("https://host[:port]") or host patterns ("contoso.com", "*.contoso.com"). */
  appDomains: readonly string[];
  maxBytes: number;
  timeoutMs: number;
  /** Which resolved addresses may be connected to; default: public unicast only. Tests of the bounds widen it. */
  allowAddress?: (address: string) => boolean;
}

export interface Fetched {
  data: Buffer;
  contentType: string;
}

/** Why a URL was refused before any request was made (reported as 9004 InvalidAttachmentPath). */
export class FetchRefused extends Error {}

const BLOCKED = new BlockList();
for (const [net, bits] of [
  ["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["127.0.0.0", 8], ["169.254.0.0", 16], ["172.16.0.0", 12],
  ["192.0.0.0", 24], ["192.0.2.0", 24], ["192.88.99.0", 24], ["192.168.0.0", 16], ["198.18.0.0", 15], ["198.51.100.0", 24],
  ["203.0.113.0", 24], ["224.0.0.0", 4], ["240.0.0.0", 4],
] as const) BLOCKED.addSubnet(net, bits, "ipv4");
for (const [net, bits] of [
  ["::", 128], ["::1", 128], ["fc00::", 7], ["fe80::", 10], ["fec0::", 10], ["ff00::", 8], ["64:ff9b::", 96], ["64:ff9b:1::", 48],
  ["2001:db8::", 32], ["2001::", 32], ["2002::", 16], ["100::", 64],
] as const) BLOCKED.addSubnet(net, bits, "ipv6");

/** True for an address Outpost may connect to on an add-in's behalf: public unicast only. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return !BLOCKED.check(address, "ipv4");
  if (family !== 6) return false;
  const mapped = /^::ffff:(?:0:)?(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return !BLOCKED.check(mapped[1]!, "ipv4");
  if (/^::ffff:/i.test(address)) return false; // hex-written mapped forms: refuse rather than decode
  return !BLOCKED.check(address, "ipv6");
}

interface DomainRule {
  scheme: "https:" | "http:";
  host: string;
  wildcard: boolean;
  port: string;
}

function parseDomain(entry: string): DomainRule | undefined {
  const text = entry.trim().toLowerCase();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//.test(text) ? text : `https://${text}`;
  const m = /^(https?:)\/\/(\*\.)?([a-z0-9.-]+)(?::(\d{1,5}))?\/?.*$/.exec(withScheme);
  if (!m) return undefined;
  return { scheme: m[1] as DomainRule["scheme"], wildcard: m[2] !== undefined, host: m[3]!, port: m[4] ?? (m[1] === "https:" ? "443" : "80") };
}

/** Whether the URL's origin is one the add-in declared. */
export function originAllowed(url: URL, appDomains: readonly string[]): boolean {
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, "");
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  return appDomains.some((entry) => {
    const rule = parseDomain(entry);
    if (!rule || rule.scheme !== url.protocol || rule.port !== port) return false;
    return rule.wildcard ? host.endsWith(`.${rule.host}`) : host === rule.host;
  });
}

/** RFC 2397 `data:[<mediatype>][;base64],<data>`. */
function decodeDataUri(uri: string): Fetched {
  const comma = uri.indexOf(",");
  if (comma < 0) throw new OfficeCallError(9004);
  const meta = uri.slice(5, comma).split(";");
  const base64 = meta[meta.length - 1]?.toLowerCase() === "base64";
  const type = meta[0] && /^[\w.+-]+\/[\w.+-]+$/.test(meta[0]) ? meta[0].toLowerCase() : "text/plain";
  const payload = uri.slice(comma + 1);
  const data = base64 ? Buffer.from(payload, "base64") : Buffer.from(decodeURIComponent(payload), "utf8");
  return { data, contentType: type };
}

/** Checks a URL against the policy without any network access; throws FetchRefused. */
export function checkUrl(uri: string, policy: FetchPolicy): URL {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new FetchRefused("not a URL");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new FetchRefused(`scheme ${url.protocol} is not fetched`);
  if (url.username || url.password) throw new FetchRefused("credentials in the URL");
  if (!originAllowed(url, policy.appDomains)) throw new FetchRefused(`${url.origin} is not among the add-in's AppDomains`);
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const allow = policy.allowAddress ?? isPublicAddress;
  if (isIP(host) && !allow(host)) throw new FetchRefused(`${host} is not a public address`);
  if (host === "localhost" || host.endsWith(".localhost")) {
    if (!allow("127.0.0.1")) throw new FetchRefused("localhost");
  }
  return url;
}

/** The attachment's bytes, within the policy's bounds. Throws OfficeCallError (9004 refused, 9000 too large, 9007 failed). */
export async function fetchAttachment(uri: string, policy: FetchPolicy): Promise<Fetched> {
  if (/^data:/i.test(uri)) {
    const f = decodeDataUri(uri);
    if (f.data.length > policy.maxBytes) throw new OfficeCallError(9000);
    return f;
  }
  let url: URL;
  try {
    url = checkUrl(uri, policy);
  } catch (e) {
    if (e instanceof FetchRefused) throw new OfficeCallError(9004);
    throw e;
  }
  const allow = policy.allowAddress ?? isPublicAddress;
  const guarded: LookupFunction = (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, "", 0);
      const list = addresses as unknown as Array<{ address: string; family: number }>;
      // Every address must be allowed: a name with one public and one private address is refused outright.
      if (list.length === 0 || list.some((a) => !allow(a.address))) return callback(new FetchRefused(`${hostname} resolves to a non-public address`), "", 0);
      if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: typeof list) => void)(null, list);
      return callback(null, list[0]!.address, list[0]!.family);
    });
  };
  return new Promise<Fetched>((resolve, reject) => {
    const signal = AbortSignal.timeout(policy.timeoutMs);
    const get = url.protocol === "https:" ? https.get : http.get;
    const req = get(url, { lookup: guarded, signal, agent: false, headers: { accept: "*/*", "user-agent": "Outpost-attachment-fetch" } }, (res) => {
      const fail = (code: number) => {
        res.destroy();
        reject(new OfficeCallError(code));
      };
      if (res.statusCode !== 200) return fail(9007); // redirects are not followed
      const declared = Number(res.headers["content-length"] ?? "0");
      if (declared > policy.maxBytes) return fail(9000);
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (c: Buffer) => {
        size += c.length;
        if (size > policy.maxBytes) return fail(9000);
        chunks.push(c);
      });
      res.on("end", () => {
        const type = String(res.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
        resolve({ data: Buffer.concat(chunks), contentType: /^[\w.+-]+\/[\w.+-]+$/.test(type) ? type : "application/octet-stream" });
      });
      res.on("error", () => reject(new OfficeCallError(9007)));
    });
    req.on("error", (e) => reject(new OfficeCallError(e instanceof FetchRefused || (e as { cause?: unknown }).cause instanceof FetchRefused ? 9004 : 9007)));
  });
}
