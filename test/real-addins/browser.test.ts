/**
 * Add-ins written the way real ones are, run unmodified in the browser runtime (one Chromium for the whole file):
 * jQuery from a CDN URL mapped to the npm package, a Visual Studio-template layout, an ES-module bundle, a function
 * command, a dialog with messageParent, localStorage and fetch to a mapped backend, ItemChanged, OnMessageSend.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { createHost, type TestAddin, type TestHost } from "../../src/testing/index.ts";
import type { Item } from "../../src/mailbox/index.ts";

const DIR = join(import.meta.dirname, "contoso");
const JQUERY = { "https://code.jquery.com/jquery-3.7.1.min.js": "node_modules/jquery/dist/jquery.min.js" };
const EML =
  "From: Adele Vance <adele@contoso.example>\r\nTo: Bob <bob@fabrikam.example>, Carol <carol@fabrikam.example>\r\nSubject: Quarterly numbers\r\nMessage-ID: <q3@contoso.example>\r\nDate: Mon, 2 Mar 2026 10:00:00 +0000\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHello Bob, the numbers are in.\r\n";

let host: TestHost;
let addin: TestAddin;
let item: Item;

before(async () => {
  host = await createHost({ displayName: "Adele Vance" });
  item = await host.addItem({ eml: EML });
  addin = await host.loadAddin({ manifest: join(DIR, "manifest.xml") });
});
after(() => host.close());

test("jQuery from a CDN URL, mapped to the npm package; a commented-out script tag is not loaded", async () => {
  const run = await addin.run(join(DIR, "jquery/taskpane.html"), { item, map: JQUERY });
  assert.equal(run.runtime, "browser");
  assert.deepEqual(run.requestErrors, [], "nothing unmapped was requested");
  assert.match(run.page.jquery ?? "", /^jQuery 3\.\d+\.\d+$/);
  assert.equal(run.page.subject, "Quarterly numbers");
  assert.equal(run.page.from, "adele@contoso.example");
  assert.equal(run.page.recipients, "bob@fabrikam.examplecarol@fabrikam.example");
  assert.equal(run.page.body, "Hello Bob, the numbe");
  assert.deepEqual(run.trace.map((t) => [t.member, t.outcome]), [["item.body.getAsync", "ok"]]);
});

test("an unmapped CDN script is refused with an error naming the URL and --map; the page's exception is reported", async () => {
  const run = await addin.run(join(DIR, "jquery/taskpane.html"), { item });
  const refused = (run.requestErrors ?? []).find((e) => e.startsWith("https://code.jquery.com/jquery-3.7.1.min.js was not fetched"));
  assert.ok(refused, JSON.stringify(run.requestErrors));
  assert.match(refused!, /no --map covers it/);
  assert.match(refused!, /--map https:\/\/code\.jquery\.com\/jquery-3\.7\.1\.min\.js=<file>/);
  const error = run.browser?.errors.find((e) => /\$ is not defined/.test(e.message));
  assert.ok(error, JSON.stringify(run.browser?.errors));
  assert.match(error!.stack ?? "", /taskpane\.js/, "the stack points into the add-in's own file");
});

test("Visual Studio template layout: ../Scripts and root-relative paths resolve inside the add-in root", async () => {
  const run = await addin.run(join(DIR, "vs/AddinWeb/Pages/Home.html"), { item, root: join(DIR, "vs") });
  assert.deepEqual(run.requestErrors, []);
  assert.equal(run.page["item-subject"], "Quarterly numbers");
  assert.equal(run.page.shared, "shared helper loaded");
});

test("an ES-module bundle with imports and top-level await", async () => {
  const run = await addin.run(join(DIR, "esm/taskpane.html"), { item });
  assert.equal(run.crash, undefined, JSON.stringify(run.crash));
  assert.equal(run.page.out, "message: Quarterly numbers (v1.2.3)");
  assert.equal(run.page.count, "attachments 0");
});

test("a function command (Office.actions.associate) runs in a hidden frame and its event.completed() reaches the host", async () => {
  const run = await addin.invoke("markAsReviewed", { entry: join(DIR, "commands/commands.html"), item });
  assert.equal(run.completion?.event, "AddinCommands.Event");
  assert.equal(run.completion?.completed, true);
  assert.deepEqual(
    run.trace.map((t) => [t.member, t.outcome]),
    [["item.notificationMessages.replaceAsync", "ok"], ["Office.AddinCommands.Event.completed", "ok"]],
  );
  const session = (await host.runtime.sessions.get(run.session.id)) as { state: { host: { completions: unknown[] } } };
  assert.deepEqual(session.state.host.completions.map((c) => [(c as { event: string }).event, (c as { options: unknown }).options]), [["AddinCommands.Event", {}]]);
});

test("OnMessageSend on the web (browser runtime): a confidential subject is blocked with the Smart Alert", async () => {
  const draft = await host.addItem({ fields: { subject: "Confidential: numbers", bodyText: "x", isDraft: true, to: [{ name: "", address: "x@fabrikam.example" }] } });
  const run = await addin.fire("OnMessageSend", { entry: join(DIR, "commands/commands.html"), item: draft });
  assert.equal(run.completion?.event, "MailboxEvent");
  assert.equal(run.smartAlert?.send, "blocked");
  assert.equal(run.smartAlert?.sendMode, "softBlock");
  assert.equal(run.smartAlert?.errorMessage, "Messages marked confidential can't be sent outside Contoso.");
});

test("a dialog: displayDialogAsync on the add-in's origin, messageParent back, close; a foreign domain gets 12004", async () => {
  const run = await addin.run(join(DIR, "dialog/taskpane.html"), { item });
  assert.equal(run.page.status, "closed");
  assert.deepEqual(JSON.parse(run.page.message ?? "{}"), { signedIn: true, user: "adele@contoso.example", mailbox: "none" });
  assert.equal(run.page.foreign, "failed 12004");
  assert.equal(run.browser?.dialogs.filter((d) => d.opened).length, 1);
  assert.equal(run.browser?.dialogs.filter((d) => d.closed).length, 1);
  // Dialog traffic never reaches the server: the mailbox trace is empty.
  assert.deepEqual(run.trace, []);
});

test("localStorage, btoa, crypto and fetch to a mapped backend; the frame cannot reach the host page", async () => {
  const map = { "https://api.contoso.example/v1/": join(import.meta.dirname, "backend/api") };
  const run = await addin.run(join(DIR, "storage/taskpane.html"), { item, map });
  assert.deepEqual(run.requestErrors, []);
  assert.equal(run.page.visits, "visits 1 b2s= 4", JSON.stringify({ page: run.page, errors: run.browser?.errors, console: run.browser?.console, crash: run.crash }));
  assert.equal(run.page.profile, "Enterprise for Contoso Sales");
  assert.equal(run.page.parent, "parent blocked");
  assert.equal(run.page.secret, "[]", run.page.secret);
});

test("ItemChanged: the page moves to another item's session and reads it", async () => {
  const other = await host.addItem({ eml: EML.replace("Quarterly numbers", "Second message").replace("q3@", "q4@").replace("Hello Bob", "Hi again") });
  const run = await addin.run(join(DIR, "itemchanged/taskpane.html"), { item, onReady: (c) => c.changeItem(other) });
  assert.equal(run.page.subject, "Second message");
  assert.equal(run.page.body, "Hi again, the numbers are in.");
  assert.deepEqual(run.trace.map((t) => [t.member, t.outcome]), [["addHandlerAsync", "ok"], ["item.body.getAsync", "ok"]]);
});

test("a page whose work is spread over quiet gaps (timers) runs to its end: the runner asks the frame before ending", async () => {
  const run = await addin.run(join(DIR, "timers/taskpane.html"), { item });
  assert.equal(run.page.late, "late: Hello Bob");
  assert.deepEqual(run.trace.map((t) => [t.member, t.outcome]), [["item.body.getAsync", "ok"]]);
});

test("governance in the browser runtime: a page that spins is unresponsive, counted, and not started once disabled", async () => {
  const spinner = await host.loadAddin({ manifest: join(DIR, "manifest.xml"), id: "0f6b7d3e-5a8c-4e61-9d0a-5b2c1e7f9a01" });
  const first = await spinner.run(join(DIR, "spin/taskpane.html"), { item });
  assert.deepEqual(first.governance.map((g) => g.event), ["unresponsive"]);
  assert.ok(first.governance[0].text, "the governance text Outlook shows is attached");
  let last = first;
  for (let i = 0; i < 5 && !last.disabled; i++) last = await spinner.run(join(DIR, "spin/taskpane.html"), { item });
  assert.equal(last.disabled, true, "disabled at the tenant's limit");
  const after = await spinner.run(join(DIR, "spin/taskpane.html"), { item });
  assert.deepEqual(after.governance.map((g) => g.event), ["disabled"]);
  assert.deepEqual(after.trace, []);
});
