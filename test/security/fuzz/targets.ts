/**
 * Fuzz targets: each feeds generated input to a real parser of untrusted data. A target "crashes" when the parser
 * throws anything but its own refusal, and "hangs" when one input takes longer than HANG_MS.
 */
import fc from "fast-check";
import { validateManifestText } from "../../../src/manifest/index.ts";
import { parseMessage } from "../../../src/mailbox/mime/parse.ts";
import { parseSoap, SoapLimitError, SoapParseError } from "../../../src/server/ews/xml.ts";
import { checkWork } from "../../../src/server/ews/limits.ts";
import { ewsOperationOf } from "../../../src/runtime/members/ews.ts";
import { dispatch, type BridgeHost } from "../../../src/runtime/bridge/dispatch.ts";
import { MemorySessionStore } from "../../../src/runtime/session.ts";
import { parseListQuery } from "../../../src/server/rest/query.ts";
import { MailboxError, openMailboxStore } from "../../../src/mailbox/index.ts";

export const HANG_MS = 2000;

export interface Target {
  name: string;
  arbitrary: fc.Arbitrary<unknown>;
  run(input: unknown): Promise<void> | void;
}

const xmlish = fc.oneof(
  fc.string({ maxLength: 400 }),
  fc.array(fc.constantFrom("<a>", "</a>", "<b/>", "<!--", "-->", "<![CDATA[", "]]>", '"', "'", ">", "<", "&amp;", "&x;", "<!DOCTYPE x>", "<?xml?>", "\u0000", "text", "<Id>", "</Id>", "xmlns=\"urn:x\""), { maxLength: 200 }).map((a) => a.join("")),
);
const jsonish = fc.oneof(fc.json({ maxDepth: 6 }), fc.array(fc.constantFrom("{", "}", "[", "]", '"', ":", ",", "1", "\\", "\u0000", '"id"', "true"), { maxLength: 300 }).map((a) => a.join("")));

const soapish = fc
  .tuple(fc.constantFrom("GetItem", "GetAttachment", "FindItem", "UpdateItem", "DeleteItem", "x"), fc.array(fc.constantFrom("<t:ItemId Id=\"a\"/>", "<m:ItemIds>", "</m:ItemIds>", "<t:SetItemField/>", "<soap:Body>", "</soap:Body>", "<soap:Header>", "\u0000", "&lt;", "<!DOCTYPE x>"), { maxLength: 80 }), fc.string({ maxLength: 100 }))
  .map(
    ([op, parts, noise]) =>
      `<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages" xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types"><soap:Body><m:${op}>${parts.join("")}${noise}</m:${op}></soap:Body></soap:Envelope>`,
  );

const mimeish = fc.oneof(
  fc.uint8Array({ maxLength: 600 }),
  fc
    .tuple(fc.array(fc.constantFrom("Subject: x\r\n", "Content-Type: multipart/mixed; boundary=b\r\n", "--b\r\n", "--b--\r\n", "Content-Transfer-Encoding: base64\r\n", "=?utf-8?B?", "?=", "\r\n\r\n", "From: <a@b>\r\n", "\u0000"), { maxLength: 60 }), fc.string({ maxLength: 200 }))
    .map(([parts, body]) => new TextEncoder().encode(parts.join("") + body)),
);

export async function targets(): Promise<Target[]> {
  const store = await openMailboxStore({ memory: true });
  const host: BridgeHost = { sessions: new MemorySessionStore(), store };
  return [
    {
      name: "manifest parsers (XML and JSON)",
      arbitrary: fc.tuple(fc.oneof(xmlish, jsonish), fc.constantFrom("m.xml", "m.json")),
      run: (input) => {
        const [text, file] = input as [string, string];
        validateManifestText(text, file);
      },
    },
    {
      name: "MIME import",
      arbitrary: mimeish,
      run: async (input) => {
        await parseMessage(input as Uint8Array);
      },
    },
    {
      name: "EWS SOAP reader",
      arbitrary: fc.oneof(soapish, xmlish),
      run: (input) => {
        ewsOperationOf(input as string);
        try {
          checkWork(parseSoap(input as string).operation);
        } catch (e) {
          if (!(e instanceof SoapParseError || e instanceof SoapLimitError)) throw e;
        }
      },
    },
    {
      name: "bridge message decoder",
      arbitrary: fc.oneof(
        fc.anything(),
        fc.record({ v: fc.constantFrom(1, 2), session: fc.string({ minLength: 16, maxLength: 20 }), seq: fc.integer(), item: fc.option(fc.string()), member: fc.string(), args: fc.array(fc.anything({ maxDepth: 4 })), mac: fc.stringMatching(/^[0-9a-f]{64}$/) }),
      ),
      run: async (input) => {
        const r = await dispatch(host, input);
        if (r.outcome !== "denied") throw new Error(`an unsigned message was not denied: ${JSON.stringify(r)}`);
      },
    },
    {
      name: "REST query parser",
      arbitrary: fc.dictionary(fc.constantFrom("$top", "$skip", "$orderby", "$select", "x"), fc.oneof(fc.string({ maxLength: 40 }), fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 }), fc.constantFrom("1e400", "-5", "1.5", "10", "ReceivedDateTime desc", "Subject,Id"))),
      run: (input) => {
        try {
          parseListQuery(input as never);
        } catch (e) {
          if (!(e instanceof MailboxError && e.code === "InvalidRequest")) throw e;
        }
      },
    },
  ];
}

export interface FuzzReport {
  target: string;
  inputs: number;
  crashes: number;
  hangs: number;
  maxMs: number;
  totalMs: number;
  firstFailure?: string;
}

export async function fuzz(target: Target, numRuns: number, seed: number): Promise<FuzzReport> {
  const report: FuzzReport = { target: target.name, inputs: 0, crashes: 0, hangs: 0, maxMs: 0, totalMs: 0 };
  const t0 = performance.now();
  await fc.assert(
    fc.asyncProperty(target.arbitrary, async (input) => {
      report.inputs++;
      const start = performance.now();
      try {
        await target.run(input);
      } catch (e) {
        report.crashes++;
        report.firstFailure ??= `${e instanceof Error ? e.stack?.split("\n").slice(0, 3).join(" | ") : String(e)} on ${JSON.stringify(input)?.slice(0, 300)}`;
      }
      const ms = performance.now() - start;
      report.maxMs = Math.max(report.maxMs, ms);
      if (ms > HANG_MS) report.hangs++;
    }),
    { numRuns, seed, endOnFailure: false },
  );
  report.totalMs = performance.now() - t0;
  return report;
}
