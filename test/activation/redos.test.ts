import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { ActivationGovernanceLedger, evaluateActivations, makeActivationItem, RegexWorkerPool, type RegexTimeoutEvent } from "../../src/activation/index.ts";
import { and, itemIs, manifestWith, regex } from "./helpers/manifests.ts";

// (a+)+$ against a long run of "a" with no match at the end backtracks exponentially.
const CATASTROPHIC = "(a+)+$";
const MB = 1024 * 1024;
const body = "a".repeat(MB - 1) + "!";

let pool: RegexWorkerPool;
let server: Server;
let port: number;

before(async () => {
  pool = new RegexWorkerPool({ size: 2 });
  await pool.warm();
  server = createServer((_req, res) => res.end("pong"));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

after(async () => {
  await pool.close();
  await new Promise((resolve) => server.close(resolve));
});

describe("a catastrophic regex on a 1 MB body", () => {
  it("is stopped inside its budget while the server keeps answering, and the add-in is reported", async () => {
    const evil = manifestWith(and(itemIs("Message", "Read"), regex("evil", CATASTROPHIC)), { id: "evil-addin" });
    const good = manifestWith(and(itemIs("Message", "Read"), regex("bang", "!$")), { id: "good-addin" });
    const ledger = new ActivationGovernanceLedger();
    const item = makeActivationItem({ bodyText: body });
    const budget = 300;

    const started = performance.now();
    let finished = false;
    const evaluation = evaluateActivations([evil, good], item, { client: "windows", thresholds: { alertThresholdMs: budget }, governance: ledger, pool }).finally(() => {
      finished = true;
    });

    // While the regex runs, other requests are served.
    const answers: string[] = [];
    while (!finished && answers.length < 3) {
      const res = await fetch(`http://127.0.0.1:${port}/`);
      answers.push(await res.text());
    }
    const [evilResult, goodResult] = await evaluation;
    const elapsed = performance.now() - started;

    assert.ok(answers.length >= 1 && answers.every((a) => a === "pong"), "server answered during the evaluation");
    assert.equal(evilResult.activated, false);
    assert.ok(evilResult.limits.some((l) => l.kind === "regex-timeout" && l.limit === budget));
    assert.match(evilResult.verdict, /exceeded 300 ms/);
    assert.equal(goodResult.activated, true, "the other add-in is evaluated on a fresh worker");
    assert.deepEqual(goodResult.regexMatches, { bang: ["!"] });

    const event = ledger.events.find((e): e is RegexTimeoutEvent => e.kind === "regex-timeout");
    assert.ok(event);
    assert.equal(event.addinId, "evil-addin");
    assert.equal(event.client, "windows");
    assert.equal(event.thresholdMs, budget);
    assert.equal(event.enforcement, "client");
    assert.equal(event.regexName, "evil");
    assert.ok(event.elapsedMs >= budget);
    assert.equal(event.timeouts, 1);
    assert.equal(event.retryLimit, 3);
    // Not a timing assertion on speed: only that the watchdog fired at all rather than the regex finishing.
    assert.ok(elapsed < 60_000);
  });

  it("after ActivationRetryLimit time-outs the add-in is made unavailable and no longer evaluated", async () => {
    const evil = manifestWith(regex("evil", CATASTROPHIC), { id: "evil-2" });
    const ledger = new ActivationGovernanceLedger();
    const item = makeActivationItem({ bodyText: "a".repeat(40) + "!" });
    const opts = { client: "mac" as const, thresholds: { alertThresholdMs: 100, retryLimit: 2 }, governance: ledger, pool };
    await evaluateActivations([evil], item, opts);
    assert.equal(ledger.isDisabled("evil-2"), false);
    await evaluateActivations([evil], item, opts);
    assert.equal(ledger.isDisabled("evil-2"), true);
    assert.deepEqual(ledger.events.map((e) => e.kind), ["regex-timeout", "regex-timeout", "addin-disabled"]);
    const terminationsBefore = pool.terminations;
    const [third] = await evaluateActivations([evil], item, opts);
    assert.equal(third.activated, false);
    assert.equal(third.limits[0].kind, "governance-disabled");
    assert.equal(pool.terminations, terminationsBefore, "a disabled add-in's regexes are not run");
    ledger.reset("evil-2");
    assert.equal(ledger.isDisabled("evil-2"), false);
  });

  it("clients without regex governance still stop the regex (Outpost's safety budget) but never disable the add-in", async () => {
    const evil = manifestWith(regex("evil", CATASTROPHIC), { id: "evil-3" });
    const ledger = new ActivationGovernanceLedger();
    const item = makeActivationItem({ bodyText: "a".repeat(40) + "!" });
    for (let i = 0; i < 3; i++) await evaluateActivations([evil], item, { client: "web", thresholds: { alertThresholdMs: 100, retryLimit: 1 }, governance: ledger, pool });
    assert.ok(ledger.events.every((e) => e.kind === "regex-timeout" && e.enforcement === "outpost-safety"));
    assert.equal(ledger.isDisabled("evil-3"), false);
  });

  it("the pool keeps working after terminations", async () => {
    const [r] = await evaluateActivations([manifestWith(regex("x", "b+"))], makeActivationItem({ bodyText: "abba" }), { pool });
    assert.deepEqual(r.regexMatches, { x: ["bb"] });
  });
});

