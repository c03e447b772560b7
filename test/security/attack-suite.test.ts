/**
 * The attack suite: each case is one attack with the refusal expected. Table-driven, every case a real request
 * against a real server and database (or a real sandbox, or the real manifest validator).
 */
import { test, after, describe } from "node:test";
import assert from "node:assert/strict";
import { SignJWT } from "jose";
import { harness, SOAP, ewsGetItem } from "./world.ts";
import { sign } from "../../src/runtime/bridge/sign.ts";
import { runInSandbox } from "../../src/runtime/sandbox/sandbox.ts";
import { validateManifestText } from "../../src/manifest/index.ts";

const h = await harness({ maxBridgeSessionsPerUser: 500 });
after(() => h.close());
const { w } = h;
let cases = 0;
const counted = () => void cases++;
after(() => assert.ok(cases >= 200, `attack suite has ${cases} cases`));

describe("tokens", () => {
  const endpoints = [
    { method: "GET" as const, url: "/api/v2.0/me/messages" },
    { method: "GET" as const, url: `/api/v2.0/me/messages/${w.i1.id}` },
    { method: "POST" as const, url: "/EWS/Exchange.asmx", payload: ewsGetItem([w.i1.id]), headers: { "content-type": "text/xml" } },
  ];
  const forged = async (): Promise<Record<string, string>> => {
    const good = await h.token({ kind: "rest" });
    const [hd, body, sig] = good.split(".");
    const payload = JSON.parse(Buffer.from(body!, "base64url").toString()) as Record<string, unknown>;
    const alter = (p: Record<string, unknown>) => `${hd}.${Buffer.from(JSON.stringify({ ...payload, ...p })).toString("base64url")}.${sig}`;
    const none = `${Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url")}.${body}.`;
    const otherKey = await new SignJWT(payload as never).setProtectedHeader({ alg: "HS256" }).sign(new TextEncoder().encode("attacker-key-attacker-key-attacker"));
    return {
      empty: "",
      "bearer only": "Bearer",
      "not a JWT": "Bearer abc",
      "two parts": `Bearer ${hd}.${body}`,
      "alg none": `Bearer ${none}`,
      "tampered tier": `Bearer ${alter({ tier: "ReadWriteMailbox", scp: "ReadWriteMailbox" })}`,
      "tampered user": `Bearer ${alter({ userId: w.eve.user.id, sub: w.eve.user.id })}`,
      "tampered expiry": `Bearer ${alter({ exp: 4102444800 })}`,
      "signature stripped": `Bearer ${hd}.${body}.`,
      "HS256 with an attacker key": `Bearer ${otherKey}`,
      "basic auth": `Basic ${Buffer.from("alice:pw-alice").toString("base64")}`,
      "NUL in token": `Bearer ${good.slice(0, 10)}\u0000${good.slice(10)}`,
      "huge token": `Bearer ${"a".repeat(20_000)}`,
    };
  };
  test("forged, tampered and malformed tokens get 401 on every surface", async () => {
    const tokens = await forged();
    for (const [name, auth] of Object.entries(tokens))
      for (const e of endpoints) {
        let res;
        try {
          res = await h.inject({ ...e, headers: { ...(e.headers ?? {}), ...(auth ? { authorization: auth } : {}) } });
        } catch {
          counted(); // the HTTP layer refused a header Node cannot carry (NUL): refused before any handler
          continue;
        }
        assert.ok([400, 401].includes(res.statusCode), `${name} ${e.url}: ${res.statusCode}`);
        counted();
      }
  });
  test("a token of another tenant or mailbox reads nothing of alice's", async () => {
    const cases_: Array<[string, Parameters<typeof h.token>[0]]> = [
      ["eve's token", { userId: w.eve.user.id, mailboxId: w.eve.mailbox.id, tenantId: "fabrikam", itemId: null }],
      ["token claiming contoso for eve", { userId: w.eve.user.id, mailboxId: w.alice.mailbox.id, tenantId: "contoso", itemId: null }],
      ["bob's token on alice's mailbox (reviewer writes)", { userId: w.bob.user.id, mailboxId: w.alice.mailbox.id, itemId: null }],
    ];
    for (const [name, o] of cases_) {
      const t = await h.token({ kind: "rest", ...o });
      const res = await h.inject({ method: "PATCH", url: `/api/v2.0/me/messages/${w.i1.id}`, headers: { authorization: `Bearer ${t}` }, payload: { IsRead: false } });
      assert.ok([401, 403, 404].includes(res.statusCode), `${name}: ${res.statusCode}`);
      counted();
    }
  });
});

describe("REST", () => {
  const bad = [
    "$top=1&$top=2", "$skip=1&$skip=2", "$orderby=Subject&$orderby=Subject", "$select=Subject&$select=Id", "$top=-1", "$top=1.5", "$top=1e3", "$top=0x10", "$top=%2B5",
    "$top=abc", "$top=", "$skip=-5", "$skip=1e400", "$skip=Infinity", "$skip=NaN", "$skip=0.0", "$orderby=Body desc", "$orderby=Subject;DROP TABLE items", "$orderby=Subject sideways",
    "$orderby=", "$select=Password", "$select=Subject,,", "$select=*", "$top=%00", "$select=Sub%00ject", "$orderby=Subject%00", "x=%00",
  ];
  test("malformed or repeated query options are 400s naming the option", async () => {
    const t = await h.token({ kind: "rest", itemId: null });
    for (const q of bad) {
      const res = await h.inject({ method: "GET", url: `/api/v2.0/me/messages?${q}`, headers: { authorization: `Bearer ${t}` } });
      assert.equal(res.statusCode, 400, q);
      assert.equal(res.json().error.code, "ErrorInvalidRequest", q);
      counted();
    }
  });
  test("NUL in REST bodies and paths is a 400 naming the field", async () => {
    const t = await h.token({ kind: "rest", itemId: null });
    const bodies: Array<[string, string, unknown]> = [
      ["POST", "/api/v2.0/me/messages", { Subject: "\u0000" }],
      ["POST", "/api/v2.0/me/messages", { Body: { ContentType: "Text", Content: "a\u0000" } }],
      ["POST", "/api/v2.0/me/messages", { ToRecipients: [{ EmailAddress: { Address: "x\u0000@y" } }] }],
      ["POST", "/api/v2.0/me/mailfolders", { DisplayName: "F\u0000" }],
      ["PATCH", `/api/v2.0/me/messages/${w.i2.id}`, { Subject: "\u0000" }],
      ["PATCH", `/api/v2.0/me/messages/${w.i2.id}`, { Categories: ["a\u0000"] }],
      ["POST", `/api/v2.0/me/messages/${w.i2.id}/move`, { DestinationId: "\u0000" }],
      ["POST", "/api/v2.0/me/messages", { ["k\u0000"]: 1 }],
    ];
    for (const [method, url, payload] of bodies) {
      const res = await h.inject({ method: method as "POST", url, headers: { authorization: `Bearer ${t}` }, payload: payload as object });
      assert.equal(res.statusCode, 400, `${method} ${url} ${JSON.stringify(payload)}`);
      assert.match(res.json().error.message, /NUL/);
      counted();
    }
  });
});

describe("EWS", () => {
  const ops = (inner: string) => SOAP(inner);
  const ENV = (body: string, header = "") =>
    `<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages" xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types">${header}<soap:Body>${body}</soap:Body></soap:Envelope>`;
  const attacks: Array<[string, string, number[]]> = [
    ["DOCTYPE", `<!DOCTYPE x [<!ENTITY a "b">]>${ops("<m:GetItem/>")}`, [500]],
    ["XXE", `<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${ops("<m:GetItem>&xxe;</m:GetItem>")}`, [500]],
    ["billion laughs", `<!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>${ops("<m:GetItem>&b;</m:GetItem>")}`, [500]],
    ["two operations", ENV("<m:GetItem/><m:GetFolder/>"), [500]],
    ["two bodies", `<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages"><soap:Body><m:GetItem/></soap:Body><soap:Body><m:DeleteItem/></soap:Body></soap:Envelope>`, [500]],
    ["empty body", ENV(""), [500]],
    ["no body", `<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"/>`, [500]],
    ["not an envelope", `<m:GetItem xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages"/>`, [500]],
    ["not XML", "hello", [500]],
    ["truncated XML", ENV("<m:GetItem>").slice(0, 120), [500]],
    ["DeleteItem (not for add-ins)", ENV("<m:DeleteItem/>"), [500]],
    ["ResolveNames (not for add-ins)", ENV("<m:ResolveNames/>"), [500]],
    ["operation in a foreign namespace", ENV(`<x:GetItem xmlns:x="urn:evil"/>`), [500]],
    ["decoy in header, real op outside the list", ENV("<m:DeleteItem/>", "<soap:Header><m:GetItem/></soap:Header>"), [500]],
    ["NUL in body", ENV("<m:GetItem>\u0000</m:GetItem>"), [400]],
    ["3,000 repeated ids", ewsGetItem(Array(3000).fill(w.i1.id)), [400]],
    ["501 distinct ids", ewsGetItem(Array.from({ length: 501 }, (_, i) => `id${i}`)), [400]],
    ["20,000 ids", ewsGetItem(Array(20_000).fill("x")), [400]],
    ["60,000 elements", ENV(`<m:GetItem><m:ItemShape>${"<t:x/>".repeat(60_000)}</m:ItemShape></m:GetItem>`), [400]],
    ["1,001 field updates", ENV(`<m:UpdateItem><m:ItemChanges><t:ItemChange><t:ItemId Id="${w.i1.id}"/><t:Updates>${'<t:SetItemField><t:FieldURI FieldURI="item:Subject"/></t:SetItemField>'.repeat(1001)}</t:Updates></t:ItemChange></m:ItemChanges></m:UpdateItem>`), [400]],
    ["other tenant's item", ewsGetItem([w.ie.id]), [200]], // answered ErrorItemNotFound, as an unknown id (not-yours.test.ts)
    ["bob's item", ewsGetItem([w.ib.id]), [200]],
    ["path traversal id", ewsGetItem(["../../etc/passwd"]), [200]],
    ["SQL in id", ewsGetItem(["x' OR '1'='1"]), [200]],
    ["6 MB body", ENV(`<m:GetItem><m:ItemShape><t:BaseShape>${"a".repeat(6 * 1024 * 1024)}</t:BaseShape></m:ItemShape></m:GetItem>`), [413]],
  ];
  test("hostile SOAP is refused with a fault, never an internal error", async () => {
    const t = await h.token({ kind: "ews", tier: "ReadWriteMailbox", itemId: null });
    for (const [name, soap, statuses] of attacks) {
      const res = await h.inject({ method: "POST", url: "/EWS/Exchange.asmx", headers: { authorization: `Bearer ${t}`, "content-type": "text/xml" }, payload: soap });
      assert.ok(statuses.includes(res.statusCode), `${name}: ${res.statusCode} ${res.body.slice(0, 200)}`);
      assert.doesNotMatch(res.body, /ErrorInternalServerError/, name);
      if (res.statusCode === 200) assert.doesNotMatch(res.body, /ResponseClass="Success"/, name);
      counted();
    }
  });
  test("other content types are refused", async () => {
    const t = await h.token({ kind: "ews", itemId: null });
    for (const ct of ["text/plain", "application/json", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]) {
      const res = await h.inject({ method: "POST", url: "/EWS/Exchange.asmx", headers: { authorization: `Bearer ${t}`, "content-type": ct }, payload: ewsGetItem([w.i1.id]) });
      assert.ok(res.statusCode >= 400 && res.statusCode < 500 && res.statusCode !== 404, `${ct}: ${res.statusCode}`);
      counted();
    }
  });
});

describe("web API", () => {
  test("without a session every mailbox route is 401", async () => {
    const routes: Array<[string, string]> = [
      ["GET", "/api/session"], ["GET", "/api/mailboxes"], ["GET", `/api/mailboxes/${w.alice.mailbox.id}/folders`], ["POST", `/api/mailboxes/${w.alice.mailbox.id}/folders`],
      ["GET", `/api/folders/${w.folders.inbox}/items`], ["POST", `/api/folders/${w.folders.inbox}/items`], ["GET", `/api/items/${w.i1.id}`], ["PATCH", `/api/items/${w.i1.id}`],
      ["POST", `/api/items/${w.i1.id}/move`], ["POST", `/api/items/${w.i1.id}/send`], ["DELETE", `/api/items/${w.i1.id}`], ["GET", `/api/items/${w.i1.id}/mime`],
      ["GET", "/api/admin/security-events"], ["GET", "/api/admin/users"], ["GET", "/api/admin/tenant"], ["PATCH", "/api/admin/tenant"], ["POST", "/api/session/password"], ["POST", "/bridge/sessions"],
    ];
    for (const [method, url] of routes) {
      const res = await h.inject({ method: method as "GET", url, ...(method === "GET" ? {} : { payload: {} }) });
      assert.equal(res.statusCode, 401, `${method} ${url}`);
      counted();
    }
  });
  test("eve (another tenant) finds nothing of contoso's: not yours answers as not there", async () => {
    const eve = await h.login("eve@fabrikam.example", "pw-eve", "127.0.1.1");
    const routes: Array<[string, string]> = [
      ["GET", `/api/items/${w.i1.id}`], ["GET", `/api/items/${w.i1.id}/mime`], ["GET", `/api/items/${w.i1.id}/attachments/${w.attachmentId}/content`], ["PATCH", `/api/items/${w.i1.id}`],
      ["DELETE", `/api/items/${w.i1.id}`], ["POST", `/api/items/${w.i1.id}/send`], ["GET", `/api/mailboxes/${w.alice.mailbox.id}/folders`], ["GET", `/api/folders/${w.folders.inbox}/items`],
      ["GET", `/api/mailboxes/${w.support.id}/folders`], ["GET", `/api/items/no-such-item`],
    ];
    for (const [method, url] of routes) {
      const res = await h.inject({ method: method as "GET", url, headers: { cookie: eve }, ...(method === "GET" || method === "DELETE" ? {} : { payload: {} }) });
      assert.equal(res.statusCode, 404, `${method} ${url}`);
      counted();
    }
  });
  test("cross-site, text/plain and form posts are refused", async () => {
    const alice = await h.login("alice@contoso.example", "pw-alice", "127.0.1.2");
    const reqs: Array<{ headers: Record<string, string>; status: number; ct?: string }> = [
      { headers: { origin: "https://evil.example" }, status: 403 },
      { headers: { origin: "null" }, status: 403 },
      { headers: { origin: "http://localhost.evil.example" }, status: 403 },
      { headers: { "sec-fetch-site": "cross-site" }, status: 403 },
      { headers: { "sec-fetch-site": "same-site" }, status: 403 },
      { headers: {}, status: 415, ct: "text/plain" },
      { headers: {}, status: 415, ct: "application/x-www-form-urlencoded" },
      { headers: {}, status: 415, ct: "multipart/form-data; boundary=x" },
    ];
    for (const url of [`/api/items/${w.i2.id}`, "/api/admin/tenant"])
      for (const r of reqs) {
        const res = await h.inject({ method: "PATCH", url, headers: { cookie: alice, ...r.headers, "content-type": r.ct ?? "application/json" }, payload: r.ct ? "isRead=true" : JSON.stringify({ isRead: true, legacyTokensEnabled: true }) });
        assert.equal(res.statusCode, r.status, `${url} ${JSON.stringify(r)}`);
        counted();
      }
  });
  test("bad input is a 400 naming the field", async () => {
    const alice = await h.login("alice@contoso.example", "pw-alice", "127.0.1.3");
    const reqs: Array<[string, string, unknown]> = [
      ["POST", "/api/session", { email: "a\u0000@b", password: "x" }],
      ["POST", "/api/session", { email: "alice@contoso.example", password: "\u0000" }],
      ["POST", "/api/session", { email: 5, password: "x" }],
      ["POST", "/api/session", { email: "x".repeat(400), password: "x" }],
      ["POST", `/api/folders/${w.folders.drafts}/items`, { subject: "\u0000" }],
      ["POST", `/api/folders/${w.folders.drafts}/items`, { to: "not-an-array" }],
      ["PATCH", `/api/items/${w.i2.id}`, { subject: "a\u0000" }],
      ["PATCH", `/api/items/${w.i2.id}`, { categories: ["\u0000"] }],
      ["POST", `/api/mailboxes/${w.alice.mailbox.id}/folders`, { displayName: "\u0000" }],
      ["PATCH", "/api/admin/tenant", { legacyTokensEnabled: "yes" }],
      ["GET", `/api/folders/${w.folders.inbox}/items?limit=-5`, undefined],
      ["GET", `/api/folders/${w.folders.inbox}/items?offset=1e400`, undefined],
      ["GET", `/api/folders/${w.folders.inbox}/items?limit=0.5`, undefined],
      ["GET", `/api/folders/${w.folders.inbox}/items?limit=1&limit=2`, undefined],
      ["GET", `/api/folders/${w.folders.inbox}/items?limit=99999`, undefined],
      ["GET", "/api/admin/security-events?limit=-1", undefined],
      ["GET", "/api/admin/security-events?limit=1e9", undefined],
      ["POST", "/api/session", { email: "a@b", password: "x", deep: JSON.parse('{"a":'.repeat(100) + "1" + "}".repeat(100)) }],
    ];
    for (const [method, url, payload] of reqs) {
      const res = await h.inject({ method: method as "GET", url, headers: { cookie: alice }, remoteAddress: "127.0.1.3", ...(payload !== undefined ? { payload: payload as object } : {}) });
      assert.equal(res.statusCode, 400, `${method} ${url} ${JSON.stringify(payload)?.slice(0, 80)}: ${res.statusCode} ${res.body.slice(0, 120)}`);
      counted();
    }
  });
});

describe("bridge", () => {
  test("forged, replayed and malformed messages are denied", async () => {
    const alice = await h.login("alice@contoso.example", "pw-alice", "127.0.1.4");
    const { client, session } = await h.openBridge(alice, "ReadItem", w.i1.id);
    const secret = Buffer.alloc(32, 1);
    const good = client!.message("Office.context.mailbox.item.body.getAsync", ["text"]);
    assert.equal((await h.send(good)).outcome, "ok");
    const m = (over: Record<string, unknown>) => ({ ...client!.message("Office.context.mailbox.item.body.getAsync", ["text"]), ...over });
    const attacks: Array<[string, unknown, string]> = [
      ["replay", good, "replay"],
      ["bad mac", m({ mac: "0".repeat(64) }), "badMac"],
      ["mac from another secret", sign(secret, { v: 1, session: session!, seq: 999, item: w.i1.id, member: "Office.context.mailbox.item.body.getAsync", args: ["text"] }), "badMac"],
      ["unknown session", m({ session: "A".repeat(32) }), "unknownSession"],
      ["tier smuggled", m({ tier: "ReadWriteMailbox" }), "malformed"],
      ["v2", m({ v: 2 }), "malformed"],
      ["seq 0", m({ seq: 0 }), "malformed"],
      ["seq -1", m({ seq: -1 }), "malformed"],
      ["seq 1.5", m({ seq: 1.5 }), "malformed"],
      ["seq string", m({ seq: "9" }), "malformed"],
      ["17 args", m({ args: Array(17).fill(1) }), "malformed"],
      ["member too long", m({ member: "x".repeat(201) }), "malformed"],
      ["short session id", m({ session: "abc" }), "malformed"],
      ["mac uppercase", m({ mac: "A".repeat(64) }), "malformed"],
      ["null", null, "malformed"],
      ["array", [], "malformed"],
      ["half a message", { v: 1, seq: 5 }, "malformed"],
    ];
    for (const [name, msg, reason] of attacks) {
      const r = await h.send(msg);
      assert.equal(r.outcome, "denied", name);
      assert.equal(r.reason, reason, name);
      counted();
    }
    const signed: Array<[string, string, unknown[], string]> = [
      ["NUL in args", "Office.context.mailbox.item.body.getAsync", ["te\u0000xt"], "nulCharacter"],
      ["NUL in a key", "Office.CustomProperties.saveAsync", [{ ["k\u0000"]: 1 }], "nulCharacter"],
      ["args 40 deep", "Office.CustomProperties.saveAsync", [JSON.parse('{"a":'.repeat(40) + "1" + "}".repeat(40))], "tooDeep"],
    ];
    for (const [name, member, args, reason] of signed) {
      const r = await client!.call(member, args);
      assert.equal(r.outcome, "denied", name);
      assert.equal(r.reason, reason, name);
      counted();
    }
  });
  test("a ReadItem session is refused every member above its tier, and the wrong item", async () => {
    const alice = await h.login("alice@contoso.example", "pw-alice", "127.0.1.5");
    const { client } = await h.openBridge(alice, "ReadItem", w.i1.id);
    const above = [
      "Office.context.mailbox.makeEwsRequestAsync", "Office.context.mailbox.item.subject.setAsync", "Office.context.mailbox.item.body.setAsync", "Office.context.mailbox.item.to.setAsync",
      "Office.context.mailbox.item.addFileAttachmentFromBase64Async", "Office.context.mailbox.item.saveAsync", "Office.context.mailbox.item.sendAsync", "Office.context.mailbox.item.move",
      "Office.context.mailbox.masterCategories.addAsync", "Office.context.mailbox.item.categories.addAsync",
    ];
    for (const member of above) {
      const r = await client!.call(member, ["x"]);
      assert.notEqual(r.outcome, "ok", member);
      counted();
    }
    const wrong = { ...client!.message("Office.context.mailbox.item.body.getAsync", ["text"]) };
    const forged = sign(Buffer.alloc(32), { ...wrong, item: w.i2.id });
    assert.equal((await h.send(forged)).outcome, "denied");
    counted();
  });
  test("a reviewer delegate's writes are refused whatever the member's tier", async () => {
    const bob = await h.login("bob@contoso.example", "pw-bob", "127.0.1.6");
    const { client } = await h.openBridge(bob, "ReadWriteItem", w.i2.id);
    const writes: Array<[string, unknown[]]> = [
      ["Office.CustomProperties.saveAsync", [{ a: "b" }]],
      ["Office.context.mailbox.item.categories.addAsync", [["Red"]]],
      ["Office.context.mailbox.item.categories.removeAsync", [["Red"]]],
      ["Office.context.mailbox.item.internetHeaders.setAsync", [{ "x-a": "b" }]],
    ];
    for (const [member, args] of writes) {
      const r = await client!.call(member, args);
      assert.notEqual(r.outcome, "ok", member);
      counted();
    }
  });
});

describe("sandbox", () => {
  const escapes: Array<[string, string]> = [
    ["WebAssembly.Memory", "new WebAssembly.Memory({ initial: 1 })"],
    ["WebAssembly.instantiate", "WebAssembly.instantiate(new Uint8Array([0,97,115,109,1,0,0,0]))"],
    ["globalThis.WebAssembly", "globalThis['Web' + 'Assembly'].Module"],
    ["require", "require('fs')"],
    ["process", "process.exit(1)"],
    ["fetch", "fetch('http://127.0.0.1/')"],
    ["Function constructor to reach process", "Function('return process')().exit()"],
    ["import()", "import('fs').then(function(){ throw new Error('imported'); })"],
  ];
  test("escapes fail inside the isolate", async () => {
    for (const [name, code] of escapes) {
      const run = await runInSandbox({ boot: {}, scripts: [{ name: `${name}.js`, code }], call: async () => ({ v: 1, seq: 0, outcome: "failed" }), limits: { runMs: 3000 } });
      assert.notEqual(run.status === "completed" && run.events.length === 0 && !/import/.test(name), true, name);
      counted();
    }
  });
});

describe("manifests", () => {
  const X = (inner: string) => `<?xml version="1.0" encoding="utf-8"?><OfficeApp xmlns="http://schemas.microsoft.com/office/appforoffice/1.1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="MailApp">${inner}</OfficeApp>`;
  const hostile: Array<[string, string]> = [
    ["XML 10,000 deep", X("<a>".repeat(10_000) + "</a>".repeat(10_000))],
    ["XML 129 deep", X("<a>".repeat(129) + "</a>".repeat(129))],
    ["JSON 10,000 deep", '{"a":'.repeat(10_000) + "1" + "}".repeat(10_000)],
    ["JSON arrays 10,000 deep", "[".repeat(10_000) + "]".repeat(10_000)],
    ["JSON 129 deep", '{"a":'.repeat(129) + "1" + "}".repeat(129)],
    ["DOCTYPE", `<?xml version="1.0"?><!DOCTYPE OfficeApp [<!ENTITY x "y">]>${X("")}`],
    ["XXE", `<?xml version="1.0"?><!DOCTYPE OfficeApp [<!ENTITY x SYSTEM "file:///etc/passwd">]>${X("<Id>&x;</Id>")}`],
    ["billion laughs", `<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>${X("<Id>&b;</Id>")}`],
    ["NUL", X("<Id>\u0000</Id>")],
    ["not XML", "<<<<"],
    ["unterminated", X("<Id>").slice(0, -12)],
    ["JSON garbage", "{ not json"],
    ["JSON with NUL", '{"id":"\u0000"}'],
    ["empty", ""],
    ["binary", "\u0001\u0002\u0003"],
    ["deep comments", X("<!--" + "<a>".repeat(200) + "-->")],
    ["deep CDATA", X("<Id><![CDATA[" + "<a>".repeat(200) + "]]></Id>")],
    ["attributes with >", X(`<Id a="&gt;>>>"/>`)],
    ["huge", X(`<Description DefaultValue="${"a".repeat(600 * 1024)}"/>`)],
    ["wrong root", `<?xml version="1.0"?><Evil/>`],
  ];
  test("hostile manifests give findings, never an exception", () => {
    for (const [name, text] of hostile) {
      const r = validateManifestText(text, name.includes("JSON") ? "m.json" : "m.xml");
      assert.equal(r.valid, false, name);
      assert.ok(r.findings.some((f) => f.severity === "error"), name);
      counted();
    }
  });
});
