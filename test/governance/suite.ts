/** The governance behaviour, run once per storage backend (memory, PGlite, PostgreSQL). */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { CLIENT_IDS } from "../../src/activation/index.ts";
import {
  GOVERNANCE_THRESHOLDS,
  THRESHOLD_NAMES,
  ThresholdOverrideError,
  GovernanceInputError,
  type Governance,
} from "../../src/governance/index.ts";
import { ids, type BackendFactory, type GovBackend } from "./helpers.ts";

export function governanceSuite(factory: BackendFactory): void {
  let backend: GovBackend;
  let gov: Governance;
  before(async () => {
    backend = await factory();
    gov = backend.governance;
  });
  after(async () => backend?.close());

  describe("thresholds: default, range, tenant override", () => {
    for (const name of THRESHOLD_NAMES) {
      const spec = GOVERNANCE_THRESHOLDS[name];
      it(`${name}: default ${spec.default} ${spec.unit}, range ${spec.min}–${spec.max}`, async () => {
        const { tenant } = ids();
        assert.equal((await gov.thresholdsFor(tenant))[name], spec.default);
        if (!spec.overridable) {
          await assert.rejects(gov.setOverride(tenant, name, spec.default), (e: unknown) => e instanceof ThresholdOverrideError && /cannot be overridden/.test(e.message));
          return;
        }
        await gov.setOverride(tenant, name, spec.min);
        assert.equal((await gov.thresholdsFor(tenant))[name], spec.min);
        await gov.setOverride(tenant, name, spec.max);
        assert.equal((await gov.thresholdsFor(tenant))[name], spec.max);
        for (const bad of [spec.min - 1, spec.max + 1, spec.min + 0.5, "3", null]) {
          await assert.rejects(gov.setOverride(tenant, name, bad), (e: unknown) => e instanceof ThresholdOverrideError && e.message.includes(name) && e.message.includes(`from ${spec.min} to ${spec.max}`));
        }
        assert.equal((await gov.thresholdsFor(tenant))[name], spec.max, "a refused override leaves the previous one");
        assert.equal(await gov.clearOverride(tenant, name), true);
        assert.equal((await gov.thresholdsFor(tenant))[name], spec.default);
      });
    }

    it("the reference values", () => {
      const t = GOVERNANCE_THRESHOLDS;
      assert.deepEqual([t.ActivationAlertThreshold.default, t.ActivationAlertThreshold.min, t.ActivationAlertThreshold.max], [1000, 100, 10_000]);
      assert.deepEqual([t.ActivationRetryLimit.default, t.ActivationRetryLimit.min, t.ActivationRetryLimit.max], [3, 1, 5]);
      assert.deepEqual([t.AlertInterval.default, t.AlertInterval.min, t.AlertInterval.max], [5, 5, 600]);
      assert.deepEqual([t.MemoryAlertThreshold.default, t.MemoryAlertThreshold.min, t.MemoryAlertThreshold.max], [1500, 1, 1500]);
      assert.deepEqual([t.RestartManagerRetryLimit.default, t.RestartManagerRetryLimit.min, t.RestartManagerRetryLimit.max], [3, 1, 10]);
      assert.equal(t.UnresponsiveSeconds.default, 5);
      assert.equal(t.UnresponsiveSeconds.overridable, false);
      assert.equal(t.CpuAlertPercent.default, 90);
      assert.equal(t.CpuAlertCount.default, 3);
    });

    it("unknown threshold names are refused", async () => {
      await assert.rejects(gov.setOverride(ids().tenant, "MaxFun", 3), /unknown governance threshold "MaxFun"/);
    });

    it("overrides are per tenant", async () => {
      const a = ids();
      const b = ids();
      await gov.setOverride(a.tenant, "MemoryAlertThreshold", 256);
      assert.equal((await gov.thresholdsFor(a.tenant)).MemoryAlertThreshold, 256);
      assert.equal((await gov.thresholdsFor(b.tenant)).MemoryAlertThreshold, 1500);
      assert.deepEqual(await gov.activationThresholdsFor(a.tenant), { alertThresholdMs: 1000, retryLimit: 3 });
    });
  });

  describe("crossing a limit disables the add-in for the user", () => {
    it("memory over the tenant's threshold disables at once, with the business bar text", async () => {
      const { tenant, user, addin } = ids();
      await gov.setOverride(tenant, "MemoryAlertThreshold", 256);
      const under = await gov.recordEvent({ tenant, user, addinId: addin, addinName: "Hog", kind: "memory", measured: 200 });
      assert.equal(under.event, undefined, "within the limit nothing is stored");
      assert.equal(under.disabled, false);
      const r = await gov.recordEvent({ tenant, user, addinId: addin, addinName: "Hog", kind: "memory", measured: 512, client: "web" });
      assert.equal(r.disabledNow, true);
      assert.equal(r.event?.text, "Outpost disabled 'Hog' because it used too much memory (512 MB, limit 256 MB).");
      assert.equal(r.event?.threshold, 256);
      assert.equal(r.event?.unit, "MB");
      assert.equal(await gov.isDisabled(user, addin), true);
      const d = await gov.getDisabled(user, addin);
      assert.equal(d?.reason, "memory");
      assert.equal(d?.text, r.event?.text);
      assert.equal(d?.eventId, r.event?.id);
    });

    it("memory at the default threshold (1500 MB) is within it", async () => {
      const { tenant, user, addin } = ids();
      assert.equal((await gov.recordEvent({ tenant, user, addinId: addin, kind: "memory", measured: 1500 })).disabled, false);
      assert.equal((await gov.recordEvent({ tenant, user, addinId: addin, kind: "memory", measured: 1501 })).disabled, true);
    });

    it("UI unresponsive for 5 s disables at once; 4.9 s does not", async () => {
      const { tenant, user, addin } = ids();
      assert.equal((await gov.recordEvent({ tenant, user, addinId: addin, kind: "unresponsive", measured: 4.9 })).disabled, false);
      const r = await gov.recordEvent({ tenant, user, addinId: addin, addinName: "Loop", kind: "unresponsive", measured: 5 });
      assert.equal(r.disabledNow, true);
      assert.equal(r.event?.text, "Outpost disabled 'Loop' because it stopped responding for 5 s (limit 5 s).");
    });

    it("CPU: a core over 90 % at 3 checks of one session disables; 90 % exactly does not count", async () => {
      const { tenant, user, addin, session } = ids();
      assert.equal((await gov.recordEvent({ tenant, user, addinId: addin, session, kind: "cpu", measured: 90 })).event, undefined);
      const first = await gov.recordEvent({ tenant, user, addinId: addin, addinName: "Spin", session, kind: "cpu", measured: 99 });
      assert.equal(first.disabled, false);
      assert.equal(first.event?.text, "'Spin' kept a processor core 99 % busy (limit 90 %) (1 of 3 before it is disabled).");
      await gov.recordEvent({ tenant, user, addinId: addin, session, kind: "cpu", measured: 97 });
      const third = await gov.recordEvent({ tenant, user, addinId: addin, addinName: "Spin", session, kind: "cpu", measured: 100 });
      assert.equal(third.disabledNow, true);
      assert.equal(third.event?.text, "Outpost disabled 'Spin' because it kept a processor core busy (over 90 % at 3 checks).");
    });

    it("counts accumulate per session: two sessions under the limit do not disable", async () => {
      const { tenant, user, addin } = ids();
      for (const session of ["s1", "s2"]) {
        for (let i = 0; i < 2; i++) await gov.recordEvent({ tenant, user, addinId: addin, session, kind: "crash" });
      }
      assert.equal(await gov.isDisabled(user, addin), false);
      assert.equal(await gov.count(user, addin, "crash", "s1"), 2);
      const r = await gov.recordEvent({ tenant, user, addinId: addin, addinName: "Crashy", session: "s2", kind: "crash" });
      assert.equal(r.disabledNow, true);
      assert.equal(r.event?.text, "Outpost disabled 'Crashy' because it stopped working 3 times (limit 3).");
    });

    it("crashes honour a RestartManagerRetryLimit override", async () => {
      const { tenant, user, addin } = ids();
      await gov.setOverride(tenant, "RestartManagerRetryLimit", 1);
      assert.equal((await gov.recordEvent({ tenant, user, addinId: addin, kind: "crash", detail: "ReferenceError: x is not defined" })).disabledNow, true);
    });

    it("activation time-outs count toward ActivationRetryLimit (override 2)", async () => {
      const { tenant, user, addin, session } = ids();
      await gov.setOverride(tenant, "ActivationRetryLimit", 2);
      const a = await gov.recordEvent({ tenant, user, addinId: addin, addinName: "Regexy", session, kind: "activation-timeout", measured: 1200 });
      assert.equal(a.event?.text, "'Regexy' took too long to evaluate its activation rules (1,200 ms, limit 1,000 ms) (1 of 2 before it is disabled).");
      assert.equal(a.disabled, false);
      assert.equal((await gov.recordEvent({ tenant, user, addinId: addin, session, kind: "activation-timeout", measured: 800 })).event, undefined, "under the budget is no time-out");
      const b = await gov.recordEvent({ tenant, user, addinId: addin, addinName: "Regexy", session, kind: "activation-timeout", measured: 1500 });
      assert.equal(b.disabledNow, true);
      assert.equal(b.event?.text, "Outpost disabled 'Regexy' because its activation rules took too long to evaluate 2 times (limit 1,000 ms each).");
    });

    it("initialization: a slow start (over InitializationTimeout) and a thrown start both count", async () => {
      const { tenant, user, addin, session } = ids();
      const slow = await gov.recordEvent({ tenant, user, addinId: addin, addinName: "Sloth", session, kind: "initialization-failure", measured: 7000 });
      assert.equal(slow.event?.text, "'Sloth' did not start in time (7 s, limit 5 s) (1 of 3 before it is disabled).");
      assert.equal((await gov.recordEvent({ tenant, user, addinId: addin, session, kind: "initialization-failure", measured: 4000 })).event, undefined);
      const thrown = await gov.recordEvent({ tenant, user, addinId: addin, addinName: "Sloth", session, kind: "initialization-failure", detail: "TypeError in Office.onReady" });
      assert.equal(thrown.event?.text, "'Sloth' failed to start: TypeError in Office.onReady (2 of 3 before it is disabled).");
      const third = await gov.recordEvent({ tenant, user, addinId: addin, addinName: "Sloth", session, kind: "initialization-failure", measured: 60_000 });
      assert.equal(third.disabledNow, true);
      assert.equal(third.event?.text, "Outpost disabled 'Sloth' because it failed to start 3 times (limit 3).");
    });
  });

  describe("disabled on every client, until re-enabled", () => {
    it("a disable on one client holds on every client profile (and is listed for the user only)", async () => {
      const { tenant, user, addin } = ids();
      const other = ids().user;
      await gov.recordEvent({ tenant, user, addinId: addin, kind: "unresponsive", measured: 6, client: "windows" });
      for (const client of CLIENT_IDS) {
        // Client is not part of the key: the check is the same whatever client asks.
        assert.equal(await gov.isDisabled(user, addin), true, client);
      }
      assert.equal(await gov.isDisabled(other, addin), false);
      assert.deepEqual((await gov.listDisabled(user)).map((d) => d.addinId), [addin]);
      assert.deepEqual(await gov.listDisabled(other), []);
    });

    it("re-enable clears the disable and the counts, and is itself an event", async () => {
      const { tenant, user, addin, session } = ids();
      await gov.setOverride(tenant, "RestartManagerRetryLimit", 2);
      await gov.recordEvent({ tenant, user, addinId: addin, session, kind: "crash" });
      await gov.recordEvent({ tenant, user, addinId: addin, session, kind: "crash" });
      assert.equal(await gov.isDisabled(user, addin), true);
      assert.equal(await gov.reenable(user, addin, { addinName: "Crashy" }), true);
      assert.equal(await gov.isDisabled(user, addin), false);
      assert.equal(await gov.count(user, addin, "crash", session), 0);
      assert.equal(await gov.reenable(user, addin), false, "re-enabling an enabled add-in is a no-op");
      const r = await gov.recordEvent({ tenant, user, addinId: addin, session, kind: "crash" });
      assert.equal(r.disabled, false, "counting starts again after re-enable");
      const events = await gov.listEvents({ user, addinId: addin });
      assert.deepEqual(events.map((e) => e.kind), ["crash", "reenabled", "crash", "crash"]);
      assert.equal(events[1]!.text, "'Crashy' was re-enabled.");
      assert.equal(events[1]!.tenant, tenant);
    });

    it("explicit disable(user, addin, reason) with text; a second disable keeps the first reason", async () => {
      const { tenant, user, addin } = ids();
      const r = await gov.disable(user, addin, "the administrator blocked it", { tenant, addinName: "Blocked" });
      assert.equal(r.disabledNow, true);
      assert.equal(r.event?.text, "Outpost disabled 'Blocked' because the administrator blocked it.");
      const again = await gov.disable(user, addin, "something else", { tenant });
      assert.equal(again.disabledNow, false);
      assert.equal((await gov.getDisabled(user, addin))?.reason, "the administrator blocked it");
    });

    it("a crossing while already disabled stores an event but does not disable twice", async () => {
      const { tenant, user, addin } = ids();
      await gov.disable(user, addin, "x", { tenant });
      const r = await gov.recordEvent({ tenant, user, addinId: addin, addinName: "Hog", kind: "memory", measured: 2000 });
      assert.equal(r.disabled, true);
      assert.equal(r.disabledNow, false);
      assert.equal(r.event?.disabled, false);
      assert.equal(r.event?.text, "'Hog' is using 2,000 MB of memory (limit 1,500 MB).");
    });
  });

  describe("events and hostile input", () => {
    it("listEvents filters by tenant, user, add-in and kind, newest first, with a limit", async () => {
      const { tenant, user, addin } = ids();
      await gov.recordEvent({ tenant, user, addinId: addin, kind: "crash" });
      await gov.recordEvent({ tenant, user, addinId: addin, kind: "cpu", measured: 95 });
      await gov.recordEvent({ tenant, user, addinId: `${addin}-2`, kind: "crash" });
      assert.deepEqual((await gov.listEvents({ tenant })).map((e) => [e.addinId, e.kind]), [[`${addin}-2`, "crash"], [addin, "cpu"], [addin, "crash"]]);
      assert.equal((await gov.listEvents({ tenant, kind: "crash" })).length, 2);
      assert.equal((await gov.listEvents({ tenant, limit: 1 })).length, 1);
      assert.equal((await gov.listEvents({ user, addinId: addin })).length, 2);
      const e = (await gov.listEvents({ tenant, kind: "cpu" }))[0]!;
      assert.equal(e.measured, 95);
      assert.equal(e.session, "default");
      assert.match(e.at, /^\d{4}-\d\d-\d\dT/);
      assert.equal(typeof e.id, "string");
    });

    it("refuses malformed reports", async () => {
      const { tenant, user, addin } = ids();
      const bad: unknown[] = [
        { tenant, user, addinId: addin, kind: "explode" },
        { tenant, user: "", addinId: addin, kind: "crash" },
        { tenant, user, addinId: "x".repeat(300), kind: "crash" },
        { tenant, user, addinId: addin, kind: "memory", measured: Number.NaN },
        { tenant, user, addinId: addin, kind: "memory", measured: -1 },
        { tenant, user, addinId: addin, kind: "memory", measured: "512" },
        { user, addinId: addin, kind: "crash" },
      ];
      for (const report of bad) await assert.rejects(gov.recordEvent(report as never), GovernanceInputError, JSON.stringify(report).slice(0, 80));
      await assert.rejects(gov.listEvents({ kind: "nope" as never }), GovernanceInputError);
    });

    it("SQL-looking ids are data, not SQL", async () => {
      const { tenant } = ids();
      const user = "x'); DROP TABLE addin_disabled; --";
      await gov.disable(user, "a'b", "r", { tenant });
      assert.equal(await gov.isDisabled(user, "a'b"), true);
      assert.equal(await gov.isDisabled(user, "a"), false);
    });
  });
}
