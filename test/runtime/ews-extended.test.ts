/**
 * EWS extended properties as MHA and similar add-ins ask for them: GetItem (IdOnly + ExtendedFieldURI 0x007D) gets
 * PR_TRANSPORT_MESSAGE_HEADERS, FindItem the same per item, a header by name in the InternetHeaders set; a property
 * the item lacks is omitted.
 */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { ON_PREMISES_POLICY } from "../../src/permissions/index.ts";
import { createHost } from "../../src/testing/index.ts";
import { MESSAGE_EML } from "./fixtures.ts";

const SOAP = (body: string) =>
  `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types" xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages"><soap:Body>${body}</soap:Body></soap:Envelope>`;
const EWS = "Office.context.mailbox.makeEwsRequestAsync";
const EML = MESSAGE_EML.replace("Subject:", "X-Spam-Score: 4.2\r\nReceived: from mx1.contoso.example by mx2.fabrikam.example;\r\n Mon, 2 Mar 2026 10:00:01 +0000\r\nSubject:");

const host = await createHost();
const item = await host.addItem({ eml: EML });
after(() => host.close());

test("GetItem IdOnly + PropertyTag 0x007D answers the transport headers (not only the ItemId)", async () => {
  const s = await (await host.loadAddin({ id: "mha", tier: "ReadWriteMailbox", tenant: ON_PREMISES_POLICY })).open(item);
  const r = await s.call(EWS, [SOAP(`<m:GetItem><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape><t:AdditionalProperties><t:ExtendedFieldURI PropertyTag="0x007D" PropertyType="String"/><t:ExtendedFieldURI PropertyTag="0x0037" PropertyType="String"/><t:ExtendedFieldURI PropertyTag="0x3FFF" PropertyType="String"/><t:ExtendedFieldURI DistinguishedPropertySetId="InternetHeaders" PropertyName="X-Spam-Score" PropertyType="String"/></t:AdditionalProperties></m:ItemShape><m:ItemIds><t:ItemId Id="${item.id}"/></m:ItemIds></m:GetItem>`)]);
  assert.equal(r.outcome, "ok", r.reason);
  const xml = String(r.value);
  const headers = /<t:ExtendedFieldURI PropertyTag="0x007D" PropertyType="String"\/><t:Value>([^<]*)<\/t:Value>/.exec(xml)?.[1] ?? "";
  assert.match(headers, /X-Spam-Score: 4\.2/);
  assert.match(headers, /Received: from mx1\.contoso\.example/);
  assert.match(xml, /<t:ExtendedFieldURI PropertyTag="0x0037" PropertyType="String"\/><t:Value>Quarterly numbers<\/t:Value>/);
  assert.match(xml, /PropertyName="X-Spam-Score" PropertyType="String"\/><t:Value>4\.2<\/t:Value>/);
  assert.doesNotMatch(xml, /0x3FFF/, "a property the item lacks is omitted");
});

test("FindItem carries the requested extended properties per item", async () => {
  const s = await (await host.loadAddin({ id: "mha2", tier: "ReadWriteMailbox", tenant: ON_PREMISES_POLICY })).open(item);
  const r = await s.call(EWS, [SOAP(`<m:FindItem Traversal="Shallow"><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape><t:AdditionalProperties><t:ExtendedFieldURI PropertyTag="0x007D" PropertyType="String"/></t:AdditionalProperties></m:ItemShape><m:ParentFolderIds><t:DistinguishedFolderId Id="inbox"/></m:ParentFolderIds></m:FindItem>`)]);
  assert.equal(r.outcome, "ok", r.reason);
  assert.match(String(r.value), /<t:Message><t:ItemId [^>]*\/><t:ExtendedProperty><t:ExtendedFieldURI PropertyTag="0x007D"/);
});
