/**
 * The headless sandbox: the demo add-ins run; the four misbehaving ones are each stopped and reported with the right
 * governance event, while the HTTP server keeps answering (a request is sent and answered during each run).
 */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "../../src/server/app.ts";
import { createHost } from "../../src/testing/index.ts";
import { MESSAGE_EML } from "./fixtures.ts";

const host = await createHost();
const item = await host.addItem({ eml: MESSAGE_EML });
const app = await createServer({ store: host.store });
after(async () => {
  await app.close();
  await host.close();
});

const LIMITS = { busyLimitMs: 400, initTimeoutMs: 800, memoryMb: 32 };

const cases = [
  { name: "infinite-loop", event: "unresponsive" },
  { name: "memory-hog", event: "memory" },
  { name: "slow-init", event: "initialization-failure" },
  { name: "crash", event: "crash" },
] as const;

for (const c of cases) {
  test(`misbehaving/${c.name} is stopped with a ${c.event} event while the server answers`, async () => {
    const addin = await host.loadAddin({ manifest: `examples/misbehaving/${c.name}/manifest.xml` });
    let finished = false;
    const running = addin.run(`examples/misbehaving/${c.name}/index.html`, { item, limits: LIMITS, runtime: "js" }).finally(() => {
      finished = true;
    });
    const res = await app.inject({ method: "GET", url: "/office.js" });
    assert.equal(res.statusCode, 200);
    const answeredDuringRun = !finished;
    const result = await running;
    assert.ok(answeredDuringRun || c.event === "memory" || c.event === "crash", "the server answered while the add-in was running");
    assert.ok(result.governance.length > 0);
    assert.ok(result.governance.every((g) => g.event === c.event), JSON.stringify(result.governance));
    const stored = await host.governanceEvents();
    assert.ok(stored.some((e) => e.addinId === addin.id && e.kind === c.event));
    assert.equal(result.disabled, true, "disabled for the user");
    if (c.event === "initialization-failure") {
      // Activation is retried within the run, each failure counted, until the tenant's InitializationRetryLimit.
      const limit = (await host.runtime.governance.thresholdsFor(host.user.tenantId)).InitializationRetryLimit;
      assert.equal(result.headless?.runs.length, limit);
      assert.equal(result.governance.length, limit);
      assert.equal(result.governance.at(-1)?.disabled, true);
    }
  });
}

test("a disabled add-in is not started again", async () => {
  const addin = await host.loadAddin({ manifest: "examples/misbehaving/memory-hog/manifest.xml" });
  const again = await addin.run("examples/misbehaving/memory-hog/index.html", { item, limits: LIMITS, runtime: "js" });
  assert.deepEqual(again.governance.map((g) => g.event), ["disabled"]);
  assert.equal(again.headless?.runs.length, 0);
});

test("the ReadItem demo runs headless: reads pass, its trace lists each call", async () => {
  const addin = await host.loadAddin({ manifest: "examples/read-item/manifest.xml" });
  const r = await addin.run("examples/read-item/index.html", { item });
  assert.deepEqual(r.governance, []);
  assert.deepEqual(
    r.trace.map((t) => [t.member, t.outcome]),
    [
      ["item.body.getAsync", "ok"],
      ["item.loadCustomPropertiesAsync", "ok"],
      ["item.notificationMessages.replaceAsync", "ok"],
      ["Office.CustomProperties.saveAsync", "ok"],
    ],
  );
  assert.match(r.page.subject ?? "", /Quarterly numbers/);
});

test("the Restricted demo: reading item.body throws Outlook's protected-members error on the page (the table's row 48)", async () => {
  const addin = await host.loadAddin({ manifest: "examples/restricted/manifest.xml" });
  const r = await addin.run("examples/restricted/index.html", { item });
  assert.match(r.page.body ?? "", /Elevated permission is required to access protected members of the JavaScript API for Office\./);
  assert.ok(r.trace.every((t) => "where" in t || t.outcome !== "denied" || !t.member.startsWith("item.body")), "refused on the page, before any round trip");
  assert.ok(r.refusals.some((t) => t.where === "page" && t.member === "item.body"), "the page's refusal is in the trace");
});

test("the ReadWriteItem demo in compose writes the item through the bridge", async () => {
  const draft = await host.addItem({ fields: { subject: "Draft", bodyText: "hello", isDraft: true, to: [{ name: "", address: "x@y.example" }] } });
  const addin = await host.loadAddin({ manifest: "examples/read-write-item/manifest.xml" });
  const r = await addin.run("examples/read-write-item/index.html", { item: draft, form: "compose" });
  assert.deepEqual(r.governance, []);
  assert.ok(r.trace.some((t) => t.member === "item.subject.setAsync" && t.outcome === "ok"), JSON.stringify(r.trace.map((t) => [t.member, t.outcome])));
  assert.notEqual((await host.getItem(draft.id))?.subject, "Draft");
});

test("every demo add-in runs headless without a governance event", async () => {
  for (const [name, form] of [["read-write-mailbox", "read"], ["append-on-send", "compose"], ["shared-folder", "compose"]] as const) {
    const it = form === "compose" ? await host.addItem({ fields: { subject: "d", bodyText: "b", isDraft: true } }) : item;
    const addin = await host.loadAddin({ manifest: `examples/${name}/manifest.xml` });
    const r = await addin.run(`examples/${name}/index.html`, { item: it, form });
    assert.deepEqual(r.governance, [], name);
    assert.ok(r.trace.length > 0, name);
  }
});

test("ItemChanged handlers registered with addHandlerAsync are fired by the host", async () => {
  const addin = await host.loadAddin({ id: "events", tier: "ReadItem" });
  const code = `Office.onReady(function () {
    Office.context.mailbox.addHandlerAsync(Office.EventType.ItemChanged, function (e) { document.getElementById("changed").textContent = "changed:" + e.type; });
  });`;
  const r = await addin.run({ code }, { item, onReady: (control) => control.fire("olkItemSelectedChanged") });
  assert.equal(r.page.changed, "changed:olkItemSelectedChanged");
  assert.deepEqual(r.trace.map((t) => t.member), ["addHandlerAsync"]);
});
