/**
 * The JavaScript-only runtime (isolated-vm), as classic Outlook on Windows runs event handlers and function files:
 * Office.actions.associate, event objects whose completed() reaches the host's completion records, Smart Alerts
 * that block and allow, spam reporting, OnNewMessageCompose. Plus the runner's edges: item-less runs, .ics items,
 * Exchange on-premises, the crash stack, and the lost-final-callback race under CPU load.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { createHost, type TestAddin, type TestHost } from "../../src/testing/index.ts";
import { parseIcs } from "../../src/runtime/ics.ts";

const COMMANDS = join(import.meta.dirname, "contoso/commands/commands.js");
const EML =
  "From: Spammer <win@lottery.example>\r\nTo: Adele <adele@contoso.example>\r\nSubject: You won\r\nMessage-ID: <spam1@lottery.example>\r\nDate: Mon, 2 Mar 2026 10:00:00 +0000\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nClaim your prize.\r\n";

let host: TestHost;
let addin: TestAddin;

before(async () => {
  host = await createHost();
  addin = await host.loadAddin({ manifest: join(import.meta.dirname, "contoso/manifest.xml") });
});
after(() => host.close());

const draft = (subject: string) => host.addItem({ fields: { subject, bodyText: "Hello", isDraft: true, to: [{ name: "", address: "x@fabrikam.example" }] } });

test("OnMessageSend Smart Alert that blocks: completed({allowEvent: false, errorMessage}) under SoftBlock", async () => {
  const run = await addin.fire("OnMessageSend", { entry: COMMANDS, item: await draft("Confidential: Q3 plan") });
  assert.equal(run.runtime, "js");
  assert.equal(run.completion?.event, "MailboxEvent");
  assert.deepEqual(run.completion?.options, { allowEvent: false, errorMessage: "Messages marked confidential can't be sent outside Contoso.", cancelLabel: "Fix it" });
  assert.deepEqual(run.smartAlert, { send: "blocked", sendMode: "softBlock", errorMessage: "Messages marked confidential can't be sent outside Contoso.", cancelLabel: "Fix it", reason: "The handler blocked the send." });
  const session = (await host.runtime.sessions.get(run.session.id)) as unknown as { state: { host: { completions: Array<{ event: string; options: Record<string, unknown> }> } } };
  assert.equal(session.state.host.completions[0]?.options.allowEvent, false, "the completion reached the host's records");
});

test("OnMessageSend Smart Alert that allows", async () => {
  const run = await addin.fire("OnMessageSend", { entry: COMMANDS, item: await draft("Lunch on Friday") });
  assert.equal(run.smartAlert?.send, "send");
  assert.deepEqual(run.trace.map((t) => [t.member, t.outcome]), [["item.subject.getAsync", "ok"], ["Office.MailboxEvent.completed", "ok"]]);
});

test("OnNewMessageCompose writes the signature into the new message", async () => {
  const item = await draft("");
  const run = await addin.fire("OnNewMessageCompose", { entry: COMMANDS, item });
  assert.equal(run.completion?.completed, true);
  assert.deepEqual(run.console, ["signature succeeded"]);
  assert.match((await host.getItem(item.id))?.bodyText ?? "", /-- Sent with Contoso/);
});

test("a spam-reporting handler reads the message as a file and moves it to Junk", async () => {
  const item = await host.addItem({ eml: EML });
  const run = await addin.invoke("onSpamReport", { entry: COMMANDS, item });
  assert.equal(run.completion?.event, "MailboxEvent");
  assert.deepEqual(run.completion?.options, { onErrorDeleteItem: true, moveItemTo: "junkFolder", showPostProcessingDialog: { title: "Contoso spam reporting", description: "Thank you for reporting this message." } });
  assert.match(run.console[0] ?? "", /^reported \d+ base64 chars$/);
});

test("a function command in the JavaScript-only runtime; an unknown name is the host's error, not a crash", async () => {
  const item = await host.addItem({ eml: EML.replace("spam1@", "spam2@") });
  const run = await addin.invoke("markAsReviewed", { entry: COMMANDS, item });
  assert.equal(run.completion?.event, "AddinCommands.Event");
  assert.equal(run.completion?.completed, true);
  const bare = await (await host.loadAddin({ id: "bare", tier: "ReadItem" })).invoke("noSuchFunction", { entry: COMMANDS, item, runtime: "js" });
  assert.equal(bare.completion?.completed, false);
  assert.equal(bare.crash, undefined);
  assert.match(bare.console.join("\n"), /no function named noSuchFunction/);
});

test("a crash prints the add-in's exception and its stack from the add-in's own code", async () => {
  const a = await host.loadAddin({ id: "crashy", tier: "ReadItem" });
  const run = await a.run({ code: "function explode() { null.x; }\nOffice.onReady(function () { explode(); });" }, { item: await host.addItem({ eml: EML.replace("spam1@", "spam3@") }) });
  assert.match(run.crash?.message ?? "", /Cannot read properties of null/);
  assert.match(run.crash?.stack ?? "", /at explode \(inline\.js:1/);
});

test("item-less runs (Module extensions): mailbox APIs, no item", async () => {
  const a = await host.loadAddin({ id: "module", tier: "ReadItem" });
  const run = await a.run({ code: `Office.onReady(function () { document.getElementById("o").textContent = String(Office.context.mailbox.item) + " " + Office.context.mailbox.userProfile.emailAddress; });` }, { item: null });
  assert.equal(run.page.o, `null ${host.user.email}`);
});

test("Exchange on-premises turns legacy tokens on; online keeps them off (9042 / 9041-class refusal)", async () => {
  const item = await host.addItem({ eml: EML.replace("spam1@", "spam4@") });
  const code = `Office.onReady(function () { Office.context.mailbox.getCallbackTokenAsync(function (r) { document.getElementById("o").textContent = r.status + (r.error ? " " + r.error.code : ""); }); });`;
  const onPrem = await (await host.loadAddin({ id: "legacy", tier: "ReadItem", exchange: "on-premises" })).run({ code }, { item });
  assert.equal(onPrem.page.o, "succeeded");
  const online = await (await host.loadAddin({ id: "legacy2", tier: "ReadItem", exchange: "online" })).run({ code }, { item });
  assert.match(online.page.o ?? "", /^failed \d+$/);
});

test(".ics items become appointments", () => {
  const item = parseIcs("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:Planning\\, Q3\r\nDTSTART:20260303T090000Z\r\nDTEND:20260303T100000Z\r\nLOCATION:Room 1\r\nORGANIZER;CN=Adele:mailto:adele@contoso.example\r\nATTENDEE;ROLE=OPT-PARTICIPANT;CN=Bob:mailto:bob@fabrikam.example\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
  assert.equal(item.itemType, "appointment");
  assert.equal(item.subject, "Planning, Q3");
  assert.equal(item.start?.toISOString(), "2026-03-03T09:00:00.000Z");
  assert.deepEqual(item.optionalAttendees, [{ name: "Bob", address: "bob@fabrikam.example" }]);
  assert.throws(() => parseIcs("BEGIN:VCALENDAR\r\nEND:VCALENDAR"), /no VEVENT/);
});

test("the add-in's last callback is not lost under CPU load", async () => {
  // Busy threads starve the isolate: the host's pending count reaches zero before the isolate runs the callback.
  const spin = "const end = Date.now() + 60000; while (Date.now() < end) {}";
  const workers = [0, 1, 2].map(() => new Worker(spin, { eval: true }));
  try {
    const a = await host.loadAddin({ id: "race", tier: "ReadItem" });
    const item = await host.addItem({ eml: EML.replace("spam1@", "spam5@") });
    const code = `Office.onReady(function () {
      var item = Office.context.mailbox.item;
      item.body.getAsync("text", function () { item.body.getAsync("text", function () { item.loadCustomPropertiesAsync(function () {
        document.getElementById("last").textContent = "done";
      }); }); });
    });`;
    for (let i = 0; i < 12; i++) {
      const run = await a.run({ code }, { item });
      assert.equal(run.page.last, "done", `run ${i}: the final callback ran`);
    }
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
});
