/** Regex time-outs from the real activation engine become governance events and disable the add-in. */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { evaluateActivations, makeActivationItem, RegexWorkerPool } from "../../src/activation/index.ts";
import { activationSink } from "../../src/governance/index.ts";
import { manifestWith, regex } from "../activation/helpers/manifests.ts";
import { ids, pgliteBackend, type GovBackend } from "./helpers.ts";

// Exponential backtracking on "aaaa…!": never finishes inside 100 ms.
const CATASTROPHIC = "(a+)+$";

let pool: RegexWorkerPool;
let backend: GovBackend;

before(async () => {
  pool = new RegexWorkerPool({ size: 1 });
  backend = await pgliteBackend();
});
after(async () => {
  await pool.close();
  await backend.close();
});

describe("activation governance sink (PGlite)", () => {
  it("time-outs count toward the tenant's ActivationRetryLimit across passes and clients; then activation skips the add-in", async () => {
    const gov = backend.governance;
    const { tenant, user, session } = ids();
    const addinId = `evil-${session}`;
    await gov.setOverride(tenant, "ActivationRetryLimit", 2);
    await gov.setOverride(tenant, "ActivationAlertThreshold", 100);
    const thresholds = await gov.activationThresholdsFor(tenant);
    assert.deepEqual(thresholds, { alertThresholdMs: 100, retryLimit: 2 });
    const evil = manifestWith(regex("evil", CATASTROPHIC), { id: addinId });
    const item = makeActivationItem({ bodyText: "a".repeat(40) + "!" });
    const names = { [addinId]: "Evil Regex" };

    const first = await activationSink(gov, { tenant, user, session, names });
    const [r1] = await evaluateActivations([evil], item, { client: "web", thresholds, governance: first, pool });
    assert.equal(r1!.activated, false);
    await first.flush();
    assert.equal(await gov.count(user, addinId, "activation-timeout", session), 1);
    assert.equal(await gov.isDisabled(user, addinId), false);
    const [e1] = await gov.listEvents({ user, addinId });
    assert.equal(e1!.kind, "activation-timeout");
    assert.equal(e1!.client, "web");
    assert.match(e1!.detail!, /Outpost safety budget on web, stopped in "evil"/);
    assert.match(e1!.text, /^'Evil Regex' took too long to evaluate its activation rules \([\d,]+ ms, limit 100 ms\) \(1 of 2 before it is disabled\)\.$/);

    // A new pass (fresh sink loads the session count) on a governed client reaches the limit.
    const second = await activationSink(gov, { tenant, user, session, names });
    assert.equal(second.timeoutCount(addinId), 1);
    await evaluateActivations([evil], item, { client: "windows", thresholds, governance: second, pool });
    const results = await second.flush();
    assert.ok(results.some((r) => r.disabledNow));
    assert.equal(await gov.isDisabled(user, addinId), true);
    assert.equal((await gov.getDisabled(user, addinId))?.text, "Outpost disabled 'Evil Regex' because its activation rules took too long to evaluate 2 times (limit 100 ms each).");

    // Every client now skips it without running its regexes.
    for (const client of ["ios", "web", "mac"] as const) {
      const sink = await activationSink(gov, { tenant, user, session: `${session}-${client}` });
      assert.equal(sink.isDisabled(addinId), true);
      const [r] = await evaluateActivations([evil], item, { client, thresholds, governance: sink, pool });
      assert.equal(r!.activated, false);
      assert.ok(r!.limits.some((l) => l.kind === "governance-disabled"), client);
      assert.deepEqual(await sink.flush(), []);
    }

    // Re-enabled: activation runs again (and times out again, counted from zero).
    await gov.reenable(user, addinId);
    const third = await activationSink(gov, { tenant, user, session, names });
    assert.equal(third.isDisabled(addinId), false);
    assert.equal(third.timeoutCount(addinId), 0);
  });
});
