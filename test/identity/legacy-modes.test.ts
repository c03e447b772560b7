/**
 * Legacy Exchange tokens in their three modes, per legacy member, through the real dispatch: enabled (tokens issued),
 * disabled and removed (Outlook's errors: 9018 on the web and new Outlook, 9042 in classic Outlook for
 * getCallbackTokenAsync; 9017 for getUserIdentityTokenAsync), the token status each mode reports, and "removed" final.
 */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { ON_PREMISES_POLICY } from "../../src/permissions/index.ts";
import { LEGACY_TOKEN_MODES, legacyTokenMode, setLegacyTokenMode } from "../../src/identity/index.ts";
import { makeFixture } from "../runtime/fixtures.ts";

const fx = await makeFixture();
after(() => fx.host.close());
const M = "Office.context.mailbox";
const db = fx.host.store.db;
const tenantId = fx.user.tenantId;
const open = (client: string) => fx.host.openSession({ user: fx.user, mailbox: fx.mailbox, addinId: `legacy-${client}`, item: fx.message, form: "read", tier: "ReadItem", tenant: ON_PREMISES_POLICY, client } as never);

const EXPECTED = {
  enabled: { web: { cb: "ok", id: "ok" }, windows: { cb: "ok", id: "ok" }, status: 1 },
  disabled: { web: { cb: 9018, id: 9017 }, windows: { cb: 9042, id: 9017 }, status: 0 },
  removed: { web: { cb: 9018, id: 9017 }, windows: { cb: 9042, id: 9017 }, status: 2 },
} as const;

for (const mode of LEGACY_TOKEN_MODES) {
  test(`legacy tokens ${mode}: getCallbackTokenAsync, getUserIdentityTokenAsync and the token status as Outlook gives them`, async () => {
    await setLegacyTokenMode(db, tenantId, mode, { force: true });
    assert.equal(await legacyTokenMode(db, tenantId), mode);
    for (const client of ["web", "windows"] as const) {
      const { client: c } = await open(client);
      const cb = await c.call(`${M}.getCallbackTokenAsync`, [{ isRest: true }]);
      const id = await c.call(`${M}.getUserIdentityTokenAsync`, []);
      const want = EXPECTED[mode][client];
      if (want.cb === "ok") {
        assert.equal(cb.outcome, "ok", JSON.stringify(cb));
        assert.equal(typeof cb.value, "string");
        assert.equal(id.outcome, "ok");
      } else {
        assert.equal(cb.outcome, "failed");
        assert.equal(cb.error?.code, want.cb, `${mode} ${client} callback token`);
        assert.equal(id.error?.code, want.id, `${mode} ${client} identity token`);
      }
      if (want.id === 9017) assert.match(id.error!.message, /-2147467259/);
      const status = await c.call(`${M}.diagnostics.ews.getTokenStatusAsync`, []);
      assert.equal(status.value, EXPECTED[mode].status);
    }
  });
}

test("removed is final unless forced", async () => {
  await setLegacyTokenMode(db, tenantId, "removed", { force: true });
  await assert.rejects(setLegacyTokenMode(db, tenantId, "enabled"), /cannot be turned back on/);
  await setLegacyTokenMode(db, tenantId, "enabled", { force: true });
});
