/**
 * makeEwsRequestAsync (ReadWriteMailbox): the SOAP request runs through the same EWS operation handlers the
 * server's /EWS/Exchange.asmx uses — with their token checks, whitelist, size limits and SOAP faults — and the
 * SOAP response string comes back as asyncResult.value. The runtime does not import the server: whoever builds the
 * host hands it an `EwsExecutor` (the server's bridge plugin, the test SDK, `outpost run`).
 */
import { DOMParser } from "@xmldom/xmldom";
import { z } from "zod";
import { EWS_OPERATIONS, TokenIssueError } from "../../mailbox/index.ts";
import { thrownMessage } from "../../permissions/index.ts";
import { OfficeCallError, type MemberImpl } from "./context.ts";
import { tableLimit } from "./limits.ts";

/** Sends one SOAP request with a bearer token to the EWS surface; answers with the HTTP status and body. */
export type EwsExecutor = (soap: string, token: string) => Promise<{ status: number; body: string }>;

/** Outlook throws synchronously above this many characters (2016 and 2022 builds): the table's limit. */
export const EWS_REQUEST_MAX_CHARS = tableLimit("Office.context.mailbox.makeEwsRequestAsync", "EWS request").max;

/** The operations makeEwsRequestAsync may send (GetAttachment is for callback tokens only). */
export const MAKE_EWS_OPERATIONS: readonly string[] = EWS_OPERATIONS.filter((o) => o !== "GetAttachment");

const SOAP_NS = new Set(["http://schemas.xmlsoap.org/soap/envelope/", "http://www.w3.org/2003/05/soap-envelope"]);
const MESSAGES_NS = "http://schemas.microsoft.com/exchange/services/2006/messages";

/**
 * The operation, read with the XML parser as the server reads it: the one element child of the envelope's one
 * soap:Body, in the EWS messages namespace. Undefined for anything else — no DTD, no second Body or operation, no
 * element in another namespace — so a decoy in soap:Header (or text that merely looks like a Body to a regular
 * expression) can never pass the whitelist.
 */
export function ewsOperationOf(soap: string): string | undefined {
  if (/<!DOCTYPE/i.test(soap)) return undefined;
  let doc: Document;
  try {
    doc = new DOMParser({
      onError: (level: string) => {
        if (level !== "warning") throw new Error("malformed");
      },
    }).parseFromString(soap, "text/xml") as unknown as Document;
  } catch {
    return undefined;
  }
  const env = doc.documentElement;
  if (!env || env.localName !== "Envelope" || !SOAP_NS.has(env.namespaceURI ?? "")) return undefined;
  const bodies = elements(env).filter((c) => c.localName === "Body" && c.namespaceURI === env.namespaceURI);
  if (bodies.length !== 1) return undefined;
  const ops = elements(bodies[0]!);
  if (ops.length !== 1 || ops[0]!.namespaceURI !== MESSAGES_NS) return undefined;
  return ops[0]!.localName ?? undefined;
}

function elements(el: Element): Element[] {
  const out: Element[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) if (n.nodeType === 1) out.push(n as Element);
  return out;
}

export const EWS_MEMBERS: Record<string, MemberImpl> = {
  "Office.context.mailbox.makeEwsRequestAsync": {
    // Longer than the limit still parses here so that the limit, not the schema, answers (with Outlook's message).
    args: z.tuple([z.string()]).rest(z.unknown()),
    async run(ctx, [data]) {
      const soap = data as string;
      if (soap.length > EWS_REQUEST_MAX_CHARS) throw new OfficeCallError(9031, [], thrownMessage("ewsRequestTooLarge"));
      if (!ctx.ews) throw new OfficeCallError(5000);
      const op = ewsOperationOf(soap);
      // Outside the whitelist (GetAttachment included: it is for callback tokens only) nothing is sent.
      if (!op || !MAKE_EWS_OPERATIONS.includes(op)) throw new OfficeCallError(9042);
      const s = ctx.session.spec;
      let token: string;
      try {
        // Outlook sends the request with the user's own mailbox-wide credentials; here, a mailbox-wide EWS token
        // issued for this add-in at its tier (the token service refuses any tier that cannot have one).
        token = (await ctx.store.tokens.issueCallbackToken({ userId: s.userId, mailboxId: s.mailboxId, addinId: s.addinId, tier: s.tier, mode: s.form, kind: "ews", itemId: s.itemId })).token;
      } catch (e) {
        if (e instanceof TokenIssueError) throw new OfficeCallError(9018);
        throw e;
      }
      const res = await ctx.ews(soap, token);
      // Like Outlook: a SOAP fault or an operation outside the whitelist is still a response the add-in reads;
      // only a transport-level failure (no SOAP body) is an error.
      if (!res.body) throw new OfficeCallError(9040);
      return res.body;
    },
  },
};
