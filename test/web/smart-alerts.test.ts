/**
 * Smart Alerts as the client decides them from the OnMessageSend completions (no browser: the decision is a pure
 * function of the handlers' completions and the manifest's SendMode): PromptUser offers "Send anyway", SoftBlock and
 * Block only "Don't send"; a handler that did not complete blocks only in Block mode; sendModeOverride wins.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { smartAlertDecision, type EventRun } from "../../src/web/client/addins.tsx";

const entry = { addinId: "a", name: "Checker", tier: "ReadWriteItem", supplementary: [], buttons: [], events: [], highlights: [] } as unknown as EventRun["entry"];
const run = (sendMode: string | undefined, completion: EventRun["completion"]): EventRun => ({ entry, type: "OnMessageSend", ...(sendMode ? { sendMode } : {}), completion, session: "s" });
const refused = (options: Record<string, unknown> = {}): EventRun["completion"] => ({ event: "MailboxEvent", completed: true, options: { allowEvent: false, errorMessage: "Add a subject.", ...options } });
const allowed: EventRun["completion"] = { event: "MailboxEvent", completed: true, options: { allowEvent: true } };
const silent: EventRun["completion"] = { event: "MailboxEvent", completed: false, options: {}, error: "The handler did not call event.completed() in time." };

test("an allowing handler lets the send go on, whatever the mode", () => {
  for (const mode of ["PromptUser", "SoftBlock", "Block", undefined]) assert.deepEqual(smartAlertDecision([run(mode, allowed)]), { send: true });
});

test("a refusing handler: PromptUser offers Send anyway; SoftBlock and Block do not; the message is the handler's", () => {
  assert.deepEqual(smartAlertDecision([run("PromptUser", refused())]), { send: false, dialog: { addin: "Checker", message: "Add a subject.", canSendAnyway: true } });
  for (const mode of ["SoftBlock", "Block", undefined]) {
    const d = smartAlertDecision([run(mode, refused())]);
    assert.equal(d.send, false);
    assert.equal(d.dialog?.canSendAnyway, false, String(mode));
  }
});

test("sendModeOverride in the completion wins over the manifest's SendMode", () => {
  assert.equal(smartAlertDecision([run("Block", refused({ sendModeOverride: "promptUser" }))]).dialog?.canSendAnyway, true);
  assert.equal(smartAlertDecision([run("PromptUser", refused({ sendModeOverride: "block" }))]).dialog?.canSendAnyway, false);
});

test("a handler that never completed blocks only in Block mode", () => {
  assert.deepEqual(smartAlertDecision([run("SoftBlock", silent)]), { send: true });
  assert.deepEqual(smartAlertDecision([run("PromptUser", silent)]), { send: true });
  const block = smartAlertDecision([run("Block", silent)]);
  assert.equal(block.send, false);
  assert.match(block.dialog!.message, /Checker is unavailable/);
  assert.equal(block.dialog!.canSendAnyway, false);
});

test("without a message the dialog names the add-in", () => {
  assert.match(smartAlertDecision([run("SoftBlock", { event: "MailboxEvent", completed: true, options: { allowEvent: false } })]).dialog!.message, /Checker stopped this message/);
});
