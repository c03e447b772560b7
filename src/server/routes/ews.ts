import { Readable } from "node:stream";
import type { FastifyInstance } from "fastify";
import { EWS_OPERATIONS, MailboxError, type EwsOperation } from "../../mailbox/index.ts";
import { verifyBearer } from "../auth/bearer.ts";
import { Refusal, recordRefusal } from "../errors.ts";
import { HANDLERS } from "../ews/operations.ts";
import { errorMessage, responseXml } from "../ews/render.ts";
import { SoapLimitError, SoapParseError, envelope, parseSoap, soapFault } from "../ews/xml.ts";
import { checkWork } from "../ews/limits.ts";

const XML_TYPE = "text/xml; charset=utf-8";

/**
 * EWS SOAP endpoint with exactly the operations makeEwsRequestAsync may call, plus GetAttachment for
 * callback-token use. Requests and responses are capped (5 MB by default; GetAttachment streams and is exempt).
 */
export default async function ewsRoutes(app: FastifyInstance): Promise<void> {
  const maxBytes = app.outpost.ewsMaxBytes;
  for (const type of ["text/xml", "application/soap+xml"]) {
    app.addContentTypeParser(type, { parseAs: "string", bodyLimit: maxBytes }, (_req, body, done) => done(null, body));
  }

  app.setErrorHandler(async (err: Error & { statusCode?: number; code?: string }, request, reply) => {
    reply.header("Content-Type", XML_TYPE);
    if (err instanceof Refusal) {
      await recordRefusal(request, "ews", err, { operation: (request as { ewsOperation?: string }).ewsOperation });
      if (err.status === 401) return reply.code(401).header("WWW-Authenticate", 'Bearer error="invalid_token"').send("");
      const op = (request as { ewsOperation?: string }).ewsOperation ?? "GetItem";
      return reply.code(403).send(envelope(responseXml(op, [errorMessage(op, "ErrorAccessDenied", "Access is denied. Check credentials and try again.")])));
    }
    if (err instanceof MailboxError) return reply.code(500).send(soapFault(err.code === "AccessDenied" ? "ErrorAccessDenied" : "ErrorInvalidRequest", err.message));
    if (err.code === "FST_ERR_CTP_BODY_TOO_LARGE") return reply.code(413).send(soapFault("ErrorInvalidRequest", `The request exceeds the ${maxBytes / 1024 / 1024} MB size limit.`));
    if (err.statusCode && err.statusCode < 500) return reply.code(err.statusCode).send(soapFault("ErrorInvalidRequest", err.message));
    request.log.error({ err }, "EWS request failed");
    return reply.code(500).send(soapFault("ErrorInternalServerError", "An internal server error occurred. The operation failed."));
  });

  app.post<{ Body: string }>("/EWS/Exchange.asmx", async (request, reply) => {
    const claims = await verifyBearer(request);
    if (typeof request.body !== "string") return reply.code(415).header("Content-Type", XML_TYPE).send(soapFault("ErrorInvalidRequest", "The request must be text/xml."));
    let parsed;
    try {
      parsed = parseSoap(request.body);
      checkWork(parsed.operation);
    } catch (err) {
      if (err instanceof SoapParseError) return reply.code(500).header("Content-Type", XML_TYPE).send(soapFault("ErrorSchemaValidation", `The request failed schema validation: ${err.message}`));
      if (err instanceof SoapLimitError) return reply.code(400).header("Content-Type", XML_TYPE).send(soapFault("ErrorInvalidRequest", err.message));
      throw err;
    }
    const name = parsed.operation.localName ?? "";
    (request as { ewsOperation?: string }).ewsOperation = name;
    if (!(EWS_OPERATIONS as readonly string[]).includes(name) || parsed.operation.namespaceURI !== "http://schemas.microsoft.com/exchange/services/2006/messages") {
      await recordRefusal(request, "ews", new Refusal(403, "operation-not-allowed"), { operation: name.slice(0, 100) });
      return reply.code(500).header("Content-Type", XML_TYPE).send(soapFault("ErrorInvalidRequest", `The operation ${name.slice(0, 100)} is not available to add-ins.`));
    }
    const result = await HANDLERS[name as EwsOperation]({ request, claims }, parsed.operation);
    reply.header("Content-Type", XML_TYPE);
    if ("xml" in result) {
      if (Buffer.byteLength(result.xml) > maxBytes) return reply.code(500).send(soapFault("ErrorInvalidRequest", `The response exceeds the ${maxBytes / 1024 / 1024} MB size limit.`));
      return reply.send(result.xml);
    }
    const streamed = result;
    async function* all() {
      yield streamed.head;
      for await (const s of streamed.body) yield s;
      yield streamed.tail;
    }
    return reply.send(Readable.from(all()));
  });
}
