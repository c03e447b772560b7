/**
 * Least privilege for Microsoft Graph scopes (issue 17, item 5): the Graph requests the code makes — fetch, XHR and the
 * Graph SDK, with a token from nested app authentication — each need the least privileged scope of the route they hit,
 * read from the table the Graph routes enforce (GRAPH_OPERATIONS); requested scopes (WebApplicationInfo, --scopes, or
 * the code's MSAL calls) against needed → exact, over, under, in text, JSON and SARIF; Graph calls in traces count.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import AjvDraft04 from "ajv-draft-04";
import ajvFormats from "ajv-formats";
import { audit, formatText, toSarif, type AuditReport } from "../../src/audit/index.ts";
import { matchGraphRoute } from "../../src/audit/graph.ts";
import { GRAPH_OPERATIONS, type GraphOperationId } from "../../src/graph/operations.ts";
import { FIXTURES } from "./helpers.ts";

const DIR = `${FIXTURES}/graph`;
const require = createRequire(import.meta.url);
const ajv = new AjvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false });
ajvFormats.default(ajv);
const validateSarif = ajv.compile(JSON.parse(readFileSync(require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"), "utf8")));

const reports = new Map<string, AuditReport>();
async function run(manifest: string): Promise<AuditReport> {
  if (!reports.has(manifest)) reports.set(manifest, await audit({ manifests: [`${DIR}/${manifest}`], code: [DIR] }));
  return reports.get(manifest)!;
}

/** `// expect-graph: <scope> <METHOD> <operation>` markers in the fixture's code. */
function graphMarkers(): { file: string; line: number; scope: string; method: string; operation: string }[] {
  const out = [];
  for (const name of ["taskpane.js", "sdk.js"]) {
    const file = relative(process.cwd(), join(DIR, name));
    const lines = readFileSync(file, "utf8").split("\n");
    for (let i = 0; i < lines.length; i++) {
      const m = /expect-graph: (\S+) (\S+) (\S+)/.exec(lines[i]!);
      if (m) out.push({ file, line: i + 1, scope: m[1]!, method: m[2]!, operation: m[3]! });
    }
  }
  return out;
}

test("every Graph request of the fixture is found at its line, with the route and the least privileged scope it needs", async () => {
  const r = await run("manifest.xml");
  const markers = graphMarkers();
  assert.equal(markers.length, 6);
  for (const m of markers) {
    const c = r.graph.calls.find((x) => x.location?.file === m.file && x.location.line === m.line);
    assert.ok(c, `no Graph call at ${m.file}:${m.line}; got ${JSON.stringify(r.graph.calls.map((x) => [x.location?.line, x.url]))}`);
    assert.deepEqual([c.needs, c.method, c.operation], [m.scope, m.method, m.operation], `${m.file}:${m.line}`);
  }
  assert.equal(r.graph.calls.length, markers.length, "no call found twice or where there is none");
});

test("the scopes a call accepts are the Graph routes' own table (one source), .Shared for another user's mailbox", async () => {
  const r = await run("manifest.xml");
  const byOp = (op: GraphOperationId, mailbox: "own" | "other") => r.graph.calls.find((c) => c.operation === op && c.mailbox === mailbox)!;
  assert.deepEqual(byOp("attachments.list", "own").accepted, [...GRAPH_OPERATIONS["attachments.list"].own]);
  assert.deepEqual(byOp("sendMail", "own").accepted, [...GRAPH_OPERATIONS.sendMail.own]);
  assert.deepEqual(byOp("folders.messages", "other").accepted, [...GRAPH_OPERATIONS["folders.messages"].shared]);
  // A message read with $select that leaves the body out: Mail.ReadBasic; asking for the body: Mail.Read.
  const gets = r.graph.calls.filter((c) => c.operation === "messages.get").map((c) => c.needs).sort();
  assert.deepEqual(gets, ["Mail.Read", "Mail.ReadBasic"]);
});

test("exact: the manifest's WebApplicationInfo scopes are what the calls need", async () => {
  const r = await run("manifest.xml");
  assert.equal(r.graph.verdict, "exact");
  assert.deepEqual(r.graph.requestedFrom, ["manifest"]);
  assert.deepEqual(r.graph.requested.sort(), ["Mail.Read", "Mail.ReadBasic.Shared", "Mail.Send", "User.Read"]);
  assert.deepEqual(r.graph.needed, ["Mail.Read", "Mail.ReadBasic.Shared", "Mail.Send", "User.Read"]);
  assert.deepEqual(r.graph.codeScopes, ["Mail.Read", "User.Read"]);
  assert.equal(r.verdict, "exact", "the tier verdict is its own: ReadItem for item.itemId");
  assert.deepEqual(r.findings.filter((f) => f.rule.startsWith("graph-scope")), []);
});

test("over-privileged: Mail.ReadWrite where Mail.Read is enough, Mail.Send.Shared that nothing needs", async () => {
  const r = await run("manifest.overprivileged.xml");
  assert.equal(r.graph.verdict, "over-privileged");
  assert.deepEqual(r.graph.excess, [{ scope: "Mail.ReadWrite", instead: "Mail.Read" }, { scope: "Mail.Send.Shared" }]);
  const excess = r.findings.filter((f) => f.rule === "graph-scope-excess");
  assert.equal(excess.length, 2);
  assert.ok(excess.every((f) => f.manifest?.file === `${DIR}/manifest.overprivileged.xml`));
  assert.match(formatText(r), /Graph scopes: asks Mail\.ReadWrite.*— OVER-PRIVILEGED/);
  assert.match(formatText(r), /Mail\.ReadWrite: Mail\.Read is enough/);
});

test("under-privileged: each call the requested scopes do not cover, with what Graph answers; MSAL asking beyond the registration", async () => {
  const r = await run("manifest.underprivileged.xml");
  assert.equal(r.graph.verdict, "under-privileged");
  assert.deepEqual(r.graph.missing.map((m) => m.needs).sort(), ["Mail.Read", "Mail.Read", "Mail.ReadBasic.Shared", "Mail.Send"]);
  const missing = r.findings.filter((f) => f.rule === "graph-scope-missing");
  assert.ok(missing.some((f) => /attachments needs Mail\.Read .*403 ErrorAccessDenied/.test(f.message)));
  assert.ok(missing.some((f) => /another user's mailbox needs a \.Shared scope/.test(f.message)));
  assert.ok(missing.some((f) => /acquireTokenSilent asks for Mail\.Read, which the add-in's declared scopes .* invalid_scope/.test(f.message)));
  // Mail.ReadBasic is what the header read needs once Mail.Read is not asked: not called excess.
  assert.deepEqual(r.graph.excess, []);
});

test("SARIF: Graph findings with their rule ids, valid SARIF 2.1.0, the Graph verdict in the run's properties", async () => {
  for (const m of ["manifest.overprivileged.xml", "manifest.underprivileged.xml"]) {
    const r = await run(m);
    const sarif = toSarif(r) as { runs: { results: { ruleId: string; locations: unknown[] }[]; properties: { graphVerdict: string } }[] };
    assert.ok(validateSarif(sarif), JSON.stringify(validateSarif.errors?.slice(0, 3)));
    const ids = new Set(sarif.runs[0]!.results.map((x) => x.ruleId));
    assert.ok(ids.has("OPA018"), "graph-call");
    assert.ok(ids.has(m.includes("over") ? "OPA020" : "OPA019"));
    assert.ok(sarif.runs[0]!.results.every((x) => x.locations.length === 1));
    assert.equal(sarif.runs[0]!.properties.graphVerdict, r.graph.verdict);
  }
});

test("no scopes declared: the code's MSAL scopes are the ask; with none at all the verdict says the scopes are unknown; --scopes gives the registration's", async () => {
  // The work-requests manifest has no WebApplicationInfo.
  const m = `${FIXTURES}/work-requests/manifest.xml`;
  const fromCode = await audit({ manifests: [m], code: [DIR] });
  assert.deepEqual(fromCode.graph.requestedFrom, ["code"]);
  assert.equal(fromCode.graph.verdict, "under-privileged", "the code asks MSAL for Mail.Read and User.Read only");
  const sdkOnly = await audit({ manifests: [m], code: [`${DIR}/sdk.js`] });
  assert.equal(sdkOnly.graph.verdict, "undeclared");
  assert.ok(sdkOnly.findings.some((f) => f.rule === "graph-scope" && /no scopes are declared/.test(f.message)));
  const withOption = await audit({ manifests: [m], code: [`${DIR}/sdk.js`], scopes: ["https://graph.microsoft.com/Mail.Read", "Mail.Send", "Mail.ReadWrite"] });
  assert.deepEqual(withOption.graph.requestedFrom, ["option"]);
  assert.equal(withOption.graph.verdict, "over-privileged");
  assert.deepEqual(withOption.graph.excess, [{ scope: "Mail.ReadWrite" }]);
  const manifestOnly = await audit({ manifests: [`${DIR}/manifest.xml`] });
  assert.equal(manifestOnly.graph.verdict, "none", "without code nothing is judged");
  assert.deepEqual(manifestOnly.graph.requested.length, 4);
  assert.deepEqual(manifestOnly.graph.excess, []);
});

test("dynamic: Graph requests in a trace (HAR, or entries with method and url) count, and are judged the same way", async () => {
  const dir = mkdtempSync(join(tmpdir(), "outpost-audit-graph-"));
  const har = join(dir, "run.har");
  writeFileSync(
    har,
    JSON.stringify({
      log: {
        entries: [
          { request: { method: "GET", url: "https://localhost:3000/app/taskpane.html" }, response: { status: 200 } },
          { request: { method: "PATCH", url: "https://graph.microsoft.com/v1.0/me/messages/AAMkAGI2TG93AAA=" }, response: { status: 403 } },
          { request: { method: "GET", url: "https://127.0.0.1:3000/v1.0/me/mailFolders/inbox/messages/AAMkAGI2/attachments/AAMkAtt1/$value" }, response: { status: 200 } },
        ],
      },
    }),
  );
  const lines = join(dir, "calls.jsonl");
  writeFileSync(lines, `${JSON.stringify({ member: "item.itemId", outcome: "ok" })}\n${JSON.stringify({ method: "POST", url: "https://graph.microsoft.com/v1.0/users/support@contoso.example/sendMail" })}\n`);
  const r = await audit({ manifests: [`${DIR}/manifest.xml`], traces: [har, lines] });
  const dyn = r.graph.calls.filter((c) => c.source === "dynamic").map((c) => [c.operation, c.needs, c.mailbox, c.trace?.status]);
  assert.deepEqual(dyn, [
    ["messages.update", "Mail.ReadWrite", "own", 403],
    ["attachments.value", "Mail.Read", "own", 200],
    ["sendMail", "Mail.Send.Shared", "other", undefined],
  ]);
  assert.ok(r.basis.includes("dynamic"));
  assert.equal(r.graph.verdict, "under-privileged");
  assert.deepEqual(r.graph.missing.map((m) => m.needs), ["Mail.ReadWrite", "Mail.Send.Shared"]);
});

test("route matching: /me and /users/{id}, folder-scoped messages, unknown routes listed and not judged", () => {
  const id = (method: string, url: string) => {
    const m = matchGraphRoute(method, url);
    return "id" in m ? [m.id, m.own] : m.unknown;
  };
  assert.deepEqual(id("GET", "https://graph.microsoft.com/v1.0/me/messages?$top=5"), ["messages.list", true]);
  assert.deepEqual(id("GET", "/users/me/messages/{…}/attachments"), ["attachments.list", true]);
  // An uncomputed base is written `{?}`: its "?" is no query string.
  assert.deepEqual(id("GET", "{?}/v1.0/me/messages/{…}/attachments/{…}/$value?$select=name"), ["attachments.value", true]);
  assert.deepEqual(id("POST", "{…}/beta/users/{…}/messages/{itemId}/attachments/createUploadSession"), ["attachments.uploadSession", false]);
  assert.deepEqual(id("GET", "https://graph.microsoft.com/v1.0/me/mailFolders/inbox/messages/{…}/$value"), ["messages.mime", true]);
  assert.match(String(id("GET", "https://graph.microsoft.com/v1.0/me/events")), /not a route of the Graph mail surface/);
  assert.match(String(id("GET", "https://graph.microsoft.com/v1.0/groups/x")), /not under \/me or \/users/);
  // A path segment the analysis could not compute matches only a parameter, never a literal route name.
  assert.match(String(id("GET", "https://graph.microsoft.com/v1.0/me/{…}")), /not a route/);
});

test("CLI: --scopes and --fail-on count the Graph verdict", () => {
  const cli = (args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", "audit", ...args], { encoding: "utf8" });
  const under = cli([`${DIR}/manifest.underprivileged.xml`, "--code", DIR, "--fail-on", "under"]);
  assert.equal(under.status, 1, under.stderr);
  assert.match(under.stdout, /Graph scopes: asks Mail\.ReadBasic, User\.Read, needs .* — UNDER-PRIVILEGED/);
  const exact = cli([`${DIR}/manifest.xml`, "--code", DIR, "--fail-on", "any"]);
  assert.equal(exact.status, 0, exact.stdout + exact.stderr);
  const over = cli([`${FIXTURES}/work-requests/manifest.xml`, "--code", `${DIR}/sdk.js`, "--scopes", "Mail.ReadWrite,Mail.Send", "--format", "json", "--fail-on", "over"]);
  assert.equal(over.status, 1, over.stderr);
  const report = JSON.parse(over.stdout) as AuditReport;
  assert.deepEqual(report.graph.excess, [{ scope: "Mail.ReadWrite", instead: "Mail.Read" }]);
});
