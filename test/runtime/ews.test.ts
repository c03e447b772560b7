/**
 * makeEwsRequestAsync: at ReadWriteMailbox the SOAP request runs through the server's own EWS operations and the
 * SOAP response comes back as the value; below it decide() refuses; the 1,000,000-character limit throws
 * synchronously on the page (and is refused on the server too); operations outside the whitelist are not sent.
 */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { ON_PREMISES_POLICY, thrownMessage } from "../../src/permissions/index.ts";
import { createHost } from "../../src/testing/index.ts";
import { MESSAGE_EML } from "./fixtures.ts";

const SOAP = (body: string) =>
  `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types" xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages"><soap:Body>${body}</soap:Body></soap:Envelope>`;
const EWS = "Office.context.mailbox.makeEwsRequestAsync";

const host = await createHost();
const item = await host.addItem({ eml: MESSAGE_EML });
after(() => host.close());

test("ReadWriteMailbox: GetItem, FindItem and CreateItem run against the mailbox and answer SOAP", async () => {
  const addin = await host.loadAddin({ id: "ews-rwm", tier: "ReadWriteMailbox", tenant: ON_PREMISES_POLICY });
  const s = await addin.open(item);
  const get = await s.call(EWS, [SOAP(`<m:GetItem><m:ItemShape><t:BaseShape>AllProperties</t:BaseShape></m:ItemShape><m:ItemIds><t:ItemId Id="${item.id}"/></m:ItemIds></m:GetItem>`)]);
  assert.equal(get.outcome, "ok", get.reason);
  assert.match(String(get.value), /GetItemResponseMessage ResponseClass="Success"/);
  assert.match(String(get.value), /Quarterly numbers/);

  const created = await s.call(EWS, [SOAP(`<m:CreateItem MessageDisposition="SaveOnly"><m:SavedItemFolderId><t:DistinguishedFolderId Id="drafts"/></m:SavedItemFolderId><m:Items><t:Message><t:Subject>Made by EWS</t:Subject><t:Body BodyType="Text">hi</t:Body></t:Message></m:Items></m:CreateItem>`)]);
  assert.equal(created.outcome, "ok", created.reason);
  assert.match(String(created.value), /CreateItemResponseMessage ResponseClass="Success"/);
  const newId = /ItemId Id="([^"]+)"/.exec(String(created.value))?.[1];
  assert.ok(newId, String(created.value));
  const stored = await host.store.items.get(newId);
  assert.equal(stored?.subject, "Made by EWS", "the item exists in the store");
  assert.equal(stored?.mailboxId, host.mailbox.id);

  const found = await s.call(EWS, [SOAP(`<m:FindItem Traversal="Shallow"><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape></m:ItemShape><m:ParentFolderIds><t:DistinguishedFolderId Id="drafts"/></m:ParentFolderIds></m:FindItem>`)]);
  assert.equal(found.outcome, "ok", found.reason);
  assert.match(String(found.value), /FindItemResponseMessage ResponseClass="Success"/);
  const trace = await s.trace();
  assert.deepEqual(trace.map((t) => [t.member, t.outcome]), [["makeEwsRequestAsync", "ok"], ["makeEwsRequestAsync", "ok"], ["makeEwsRequestAsync", "ok"]]);
});

test("ReadWriteItem (and below): refused by decide() with 7000 and Outlook's synchronous message", async () => {
  for (const tier of ["ReadWriteItem", "ReadItem", "Restricted"] as const) {
    const s = await (await host.loadAddin({ id: `ews-${tier}`, tier })).open(item);
    const r = await s.call(EWS, [SOAP(`<m:GetItem><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape></m:ItemShape><m:ItemIds><t:ItemId Id="${item.id}"/></m:ItemIds></m:GetItem>`)]);
    assert.equal(r.outcome, "denied", tier);
    assert.equal(r.error?.code, 7000);
    assert.equal(r.thrown, "Elevated permission is required to call the method: 'mailbox.makeEwsRequest'.");
  }
});

test("over 1,000,000 characters: refused with Outlook's message, nothing sent", async () => {
  const s = await (await host.loadAddin({ id: "ews-big", tier: "ReadWriteMailbox", tenant: ON_PREMISES_POLICY })).open(item);
  const big = SOAP(`<m:FindItem Traversal="Shallow">${" ".repeat(1_000_001)}</m:FindItem>`);
  const r = await s.call(EWS, [big]);
  assert.equal(r.outcome, "failed");
  assert.equal(r.thrown, thrownMessage("ewsRequestTooLarge"));
});

test("on the page, an oversized request throws synchronously and the callback never runs", async () => {
  const addin = await host.loadAddin({ id: "ews-page", tier: "ReadWriteMailbox", tenant: ON_PREMISES_POLICY });
  const code = `Office.onReady(function () {
    var big = new Array(1000002).join("x");
    try { Office.context.mailbox.makeEwsRequestAsync(big, function () { document.getElementById("cb").textContent = "ran"; }); document.getElementById("out").textContent = "no throw"; }
    catch (e) { document.getElementById("out").textContent = e.message; }
    Office.context.mailbox.makeEwsRequestAsync(${JSON.stringify(SOAP(`<m:GetFolder><m:FolderShape><t:BaseShape>Default</t:BaseShape></m:FolderShape><m:FolderIds><t:DistinguishedFolderId Id="inbox"/></m:FolderIds></m:GetFolder>`))}, function (r) {
      document.getElementById("ok").textContent = r.status + ":" + (/GetFolderResponseMessage ResponseClass="Success"/.test(r.value) ? "soap" : r.value);
    });
  });`;
  const run = await addin.run({ code }, { item });
  assert.equal(run.page.out, thrownMessage("ewsRequestTooLarge"));
  assert.equal(run.page.cb, undefined);
  assert.equal(run.page.ok, "succeeded:soap");
  assert.deepEqual(run.trace.filter((t) => !("where" in t)).map((t) => t.member), ["makeEwsRequestAsync"], "the oversized call never left the page");
  assert.deepEqual(run.refusals.map((r) => [r.where, r.member, r.message]), [["page", "makeEwsRequestAsync", thrownMessage("ewsRequestTooLarge")]], "the page's refusal is in the trace");
});

test("outside the whitelist (GetAttachment, DeleteItem, garbage): not sent, failed", async () => {
  const s = await (await host.loadAddin({ id: "ews-wl", tier: "ReadWriteMailbox", tenant: ON_PREMISES_POLICY })).open(item);
  for (const body of [`<m:GetAttachment><m:AttachmentIds><t:AttachmentId Id="x"/></m:AttachmentIds></m:GetAttachment>`, `<m:DeleteItem DeleteType="HardDelete"><m:ItemIds><t:ItemId Id="${item.id}"/></m:ItemIds></m:DeleteItem>`]) {
    const r = await s.call(EWS, [SOAP(body)]);
    assert.equal(r.outcome, "failed", body);
    assert.equal(r.error?.code, 9042);
  }
  assert.equal((await s.call(EWS, ["not xml at all"])).outcome, "failed");
  assert.ok(await host.store.items.get(item.id), "the item was not deleted");
});

test("a hostile SOAP body meets the server's EWS parser and comes back as a fault, not a crash", async () => {
  const s = await (await host.loadAddin({ id: "ews-evil", tier: "ReadWriteMailbox", tenant: ON_PREMISES_POLICY })).open(item);
  const xxe = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages"><soap:Body><m:GetItem>&e;</m:GetItem></soap:Body></soap:Envelope>`;
  const r = await s.call(EWS, [xxe]);
  assert.ok(r.outcome === "ok" || r.outcome === "failed");
  assert.doesNotMatch(JSON.stringify(r), /root:x:0/);
});

test("Exchange Online policy (legacy tokens off): makeEwsRequestAsync is refused with 9042, as Outlook does", async () => {
  const s = await (await host.loadAddin({ id: "ews-exo", tier: "ReadWriteMailbox" })).open(item);
  const r = await s.call(EWS, [SOAP(`<m:GetFolder><m:FolderShape><t:BaseShape>Default</t:BaseShape></m:FolderShape><m:FolderIds><t:DistinguishedFolderId Id="inbox"/></m:FolderIds></m:GetFolder>`)]);
  assert.equal(r.outcome, "denied");
  assert.equal(r.error?.code, 9042);
});
