/**
 * Messages between an add-in frame (Outpost's office.js inside it) and the host page, over postMessage.
 * Every message carries `outpost: 1`. The frame never holds the session secret: it asks, the host page signs.
 *
 * frame → host: call {id, member, args} · ready · error {error} · refused {refused: {member, message}}
 * host → frame: result {id, result} · fire {fire: {type, args, rebootstrap}} · invoke {invoke} · dialog events
 */

export interface CallResultLike {
  outcome: "ok" | "denied" | "failed";
  value?: unknown;
  error?: { code: number; name: string; message: string };
  reason?: string;
}

export interface FrameCall {
  outpost: 1;
  id: number;
  member: string;
  args: unknown[];
}

export interface FrameReady {
  outpost: 1;
  ready: true;
}

export interface FrameError {
  outpost: 1;
  error: string;
  stack?: string;
}

export interface FrameRefused {
  outpost: 1;
  refused: { member: string; message: string };
}

export type FrameMessage = FrameCall | FrameReady | FrameError | FrameRefused;

/** What the host asks a function-command or event-handler frame to run. */
export interface InvokeRequest {
  /** The manifest's FunctionName (ExecuteFunction) or the handler a LaunchEvent names. */
  name: string;
  kind: "function" | "event";
  /** Launch event type (OnMessageSend, …) for `kind: "event"`. */
  eventType?: string;
  /** Extra event properties (e.g. `source: {id}` of the button, `changedRecipientFields`). */
  event?: Record<string, unknown>;
}

/** Members the host page answers itself (dialogs, closing the container); they never reach the server. */
export const UI_PREFIX = "Outpost.ui.";
export const BOOTSTRAP_MEMBER = "Outpost.bootstrap";
export const COMPLETED_MEMBERS = ["Office.MailboxEvent.completed", "Office.AddinCommands.Event.completed"] as const;

export function isFrameMessage(d: unknown): d is FrameMessage {
  return typeof d === "object" && d !== null && (d as { outpost?: unknown }).outpost === 1;
}
