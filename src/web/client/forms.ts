/**
 * Forms an add-in asked the client to open (displayNewMessageForm, displayReplyForm, displayReplyAllForm,
 * displayNewAppointmentForm, displayMessageForm, displayAppointmentForm): once the bridge accepted the call, the host
 * module hands over the add-in's parameters; the server checks the session holds that accepted call, makes the draft
 * (or the appointment prefill) and the mail or calendar view opens it — navigating there first when needed.
 */
import type { AddinFormResult } from "../../server/routes/web-mail.ts";
import { api } from "./api.ts";

export type { AddinFormResult };

let pending: AddinFormResult | null = null;

/** Which view opens a form result. */
export function viewFor(r: AddinFormResult): "mail" | "calendar" {
  return r.kind === "appointment" || (r.kind === "read" && r.itemType === "appointment") ? "calendar" : "mail";
}

/** Asks the server for the form of an accepted display*Form call and hands it to the view that opens it. */
export async function openAddinForm(session: string, member: string, args: unknown[]): Promise<AddinFormResult> {
  const r = await api<AddinFormResult>("POST", "/api/web/addin-forms", { session, member, args });
  pending = r;
  const view = viewFor(r);
  if (!location.hash.replace(/^#\/?/, "").startsWith(view) && !(view === "mail" && !/^#\/?\w/.test(location.hash))) location.hash = `#/${view}`;
  dispatchEvent(new Event("outpost:open-form"));
  return r;
}

/** The form waiting for `view`, taken once (a view calls this when it mounts and on "outpost:open-form"). */
export function takeForm(view: "mail" | "calendar"): AddinFormResult | null {
  if (!pending || viewFor(pending) !== view) return null;
  const r = pending;
  pending = null;
  return r;
}
