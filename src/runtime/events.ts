/**
 * What real add-ins expose to be invoked: function commands (ExecuteFunction's FunctionName) and launch events
 * (LaunchEvent Type → FunctionName). The event object each handler receives, and what Outlook does with the
 * completion: for OnMessageSend, the Smart Alerts outcome.
 */
import type { AddinManifest } from "../manifest/model.ts";

/** Launch event types Outlook fires, with the `event.type` their handlers see. */
export const LAUNCH_EVENTS: Record<string, { type: string; compose: boolean; item?: "message" | "appointment" }> = {
  OnNewMessageCompose: { type: "OnNewMessageCompose", compose: true, item: "message" },
  OnNewAppointmentOrganizer: { type: "OnNewAppointmentOrganizer", compose: true, item: "appointment" },
  OnMessageAttachmentsChanged: { type: "olkAttachmentsChanged", compose: true, item: "message" },
  OnAppointmentAttachmentsChanged: { type: "olkAttachmentsChanged", compose: true, item: "appointment" },
  OnMessageRecipientsChanged: { type: "olkRecipientsChanged", compose: true, item: "message" },
  OnAppointmentAttendeesChanged: { type: "olkRecipientsChanged", compose: true, item: "appointment" },
  OnAppointmentTimeChanged: { type: "olkAppointmentTimeChanged", compose: true, item: "appointment" },
  OnAppointmentRecurrenceChanged: { type: "olkRecurrenceChanged", compose: true, item: "appointment" },
  OnInfoBarDismissClicked: { type: "olkInfobarClicked", compose: true },
  OnMessageSend: { type: "OnMessageSend", compose: true, item: "message" },
  OnAppointmentSend: { type: "OnAppointmentSend", compose: true, item: "appointment" },
  OnMessageCompose: { type: "OnMessageCompose", compose: true, item: "message" },
  OnAppointmentOrganizer: { type: "OnAppointmentOrganizer", compose: true, item: "appointment" },
  OnSensitivityLabelChanged: { type: "olkSensitivityLabelChanged", compose: true },
  OnMessageFromChanged: { type: "OnMessageFromChanged", compose: true, item: "message" },
  OnAppointmentFromChanged: { type: "OnAppointmentFromChanged", compose: true, item: "appointment" },
  OnMessageReadWithCustomAttachment: { type: "OnMessageReadWithCustomAttachment", compose: false, item: "message" },
  OnMessageReadWithCustomHeader: { type: "OnMessageReadWithCustomHeader", compose: false, item: "message" },
  OnMessageRead: { type: "OnMessageRead", compose: false, item: "message" },
  OnAppointmentRead: { type: "OnAppointmentRead", compose: false, item: "appointment" },
  OnSpamReport: { type: "olkSpamReporting", compose: false, item: "message" },
};

/** Extra properties of the event object per launch event (what Outlook passes besides `type` and `completed`). */
export function launchEventData(eventType: string): Record<string, unknown> {
  const def = LAUNCH_EVENTS[eventType];
  const data: Record<string, unknown> = { type: def?.type ?? eventType };
  if (eventType === "OnMessageRecipientsChanged") data.changedRecipientFields = { to: true, cc: false, bcc: false };
  if (eventType === "OnAppointmentAttendeesChanged") data.changedRecipientFields = { requiredAttendees: true, optionalAttendees: false, resources: false };
  if (eventType === "OnMessageAttachmentsChanged" || eventType === "OnAppointmentAttachmentsChanged") data.attachmentStatus = "added";
  if (eventType === "OnSpamReport") data.options = {};
  return data;
}

export interface Invocation {
  name: string;
  kind: "function" | "event";
  eventType?: string;
  /** The manifest's SendMode for OnMessageSend/OnAppointmentSend. */
  sendMode?: string;
}

export class InvokeError extends Error {}

/**
 * `--invoke <FunctionName|LaunchEventType>` against a manifest: a launch event type names its handler through the
 * manifest's LaunchEvent; a function name is an event handler if a LaunchEvent names it, else a function command
 * (ExecuteFunction), which also covers the spam-reporting button (ReportPhishingCommandSurface).
 */
export function resolveInvocation(manifest: AddinManifest | undefined, what: string): Invocation {
  const events = (manifest?.extensionPoints ?? []).flatMap((ep) => ep.events ?? []);
  const byType = events.find((e) => e.type === what);
  if (byType) return { name: byType.functionName, kind: "event", eventType: byType.type, ...(byType.sendMode ? { sendMode: byType.sendMode } : {}) };
  if (LAUNCH_EVENTS[what]) throw new InvokeError(`The manifest declares no LaunchEvent of type ${what} (declared: ${events.map((e) => e.type).join(", ") || "none"}).`);
  const byName = events.find((e) => e.functionName === what);
  if (byName) return { name: what, kind: "event", eventType: byName.type, ...(byName.sendMode ? { sendMode: byName.sendMode } : {}) };
  const spam = (manifest?.extensionPoints ?? []).find((ep) => ep.type === "ReportPhishingCommandSurface" && ep.groups.some((g) => g.controls.some((c) => c.action?.functionName === what)));
  if (spam) return { name: what, kind: "event", eventType: "OnSpamReport" };
  if (manifest) {
    const functions = (manifest.extensionPoints ?? []).flatMap((ep) => ep.groups.flatMap((g) => g.controls.flatMap((c) => [c, ...(c.items ?? [])]))).map((c) => c.action?.functionName).filter((n): n is string => !!n);
    if (functions.length > 0 && !functions.includes(what)) throw new InvokeError(`${what} is neither a launch event type nor a FunctionName of the manifest (function commands: ${functions.join(", ")}).`);
  }
  return { name: what, kind: "function" };
}

export interface SmartAlertOutcome {
  /** "send": the message goes; "blocked": Outlook keeps it with the dialog; "prompt": the dialog offers Send Anyway. */
  send: "send" | "blocked" | "prompt";
  sendMode: string;
  errorMessage?: string;
  cancelLabel?: string;
  commandId?: string;
  reason: string;
}

/**
 * OnMessageSend/OnAppointmentSend: what Outlook does with the handler's completion, under the manifest's SendMode
 * (PromptUser, SoftBlock, Block; a completion's sendModeOverride replaces it). Without a completion the add-in is
 * "unavailable": PromptUser and SoftBlock let the user send, Block does not.
 */
export function smartAlertOutcome(sendMode: string | undefined, completion: { completed: boolean; options: Record<string, unknown> } | undefined): SmartAlertOutcome {
  const declared = normalizeSendMode(sendMode ?? "SoftBlock");
  if (!completion?.completed) {
    return { send: declared === "block" ? "blocked" : "prompt", sendMode: declared, reason: "The handler did not complete; Outlook treats the add-in as unavailable." };
  }
  const o = completion.options;
  const mode = typeof o.sendModeOverride === "string" ? normalizeSendMode(o.sendModeOverride) : declared;
  const extra = {
    ...(typeof o.errorMessage === "string" ? { errorMessage: o.errorMessage } : {}),
    ...(typeof o.cancelLabel === "string" ? { cancelLabel: o.cancelLabel } : {}),
    ...(typeof o.commandId === "string" ? { commandId: o.commandId } : {}),
  };
  if (o.allowEvent !== false) return { send: "send", sendMode: mode, ...extra, reason: "The handler allowed the send." };
  return { send: mode === "promptUser" ? "prompt" : "blocked", sendMode: mode, ...extra, reason: "The handler blocked the send." };
}

function normalizeSendMode(m: string): string {
  const k = m.toLowerCase();
  return k === "promptuser" ? "promptUser" : k === "block" ? "block" : "softBlock";
}
