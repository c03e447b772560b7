/**
 * getRegExMatches / getRegExMatchesByName / getEntities*: answered by the activation module, which runs the
 * manifest's regexes in its ReDoS-guarded worker pool with Outlook's per-client body limits and time budget,
 * and extracts entities from the part of the body Exchange scans. The session carries only the parts of the
 * manifest activation reads (a snapshot), so it can be stored with the session.
 */
import { evaluateActivation, htmlToText, type ActivationItem, type ActivationResult, type ClientId, isClientId } from "../../activation/index.ts";
import type { AddinManifest, ExtensionPoint, Rule } from "../../manifest/model.ts";
import type { Item } from "../../mailbox/index.ts";
import { officeError } from "../../permissions/index.ts";
import { OfficeCallError, type CallContext } from "./context.ts";

export interface ActivationSnapshot {
  id: string;
  name: string;
  format: AddinManifest["format"];
  rules?: Rule;
  /** DetectedEntity extension points and their rules (getFilteredEntitiesByName, highlighted matches). */
  extensionPoints: Pick<ExtensionPoint, "type" | "rule" | "formFactor" | "origin">[];
  /** AppDomains / validDomains: the only origins addFileAttachmentAsync may fetch from (members/attachment-fetch.ts). */
  appDomains?: string[];
}

export function activationSnapshot(manifest: AddinManifest | undefined): ActivationSnapshot | undefined {
  if (!manifest) return undefined;
  return {
    id: manifest.id,
    name: manifest.name.value,
    format: manifest.format,
    ...(manifest.rules ? { rules: manifest.rules } : {}),
    extensionPoints: manifest.extensionPoints
      .filter((e) => e.type === "DetectedEntity" && e.rule)
      .map((e) => ({ type: e.type, rule: e.rule, formFactor: e.formFactor, origin: e.origin })),
    ...(manifest.appDomains.length ? { appDomains: [...manifest.appDomains] } : {}),
  };
}

/** Builds the view of a stored item that activation reads. */
export function activationItem(item: Item, inSentItems = false): ActivationItem {
  const bodyText = item.bodyText ?? (item.bodyHtml ? htmlToText(item.bodyHtml) : "");
  return {
    itemType: item.itemType === "appointment" ? "Appointment" : "Message",
    itemClass: item.itemClass,
    subject: item.subject,
    bodyText,
    ...(item.bodyHtml !== null && item.bodyHtml !== undefined ? { bodyHtml: item.bodyHtml } : {}),
    ...(item.from?.address ? { senderSmtp: item.from.address, senderName: item.from.name } : {}),
    to: item.recipients.to,
    cc: item.recipients.cc,
    hasAttachment: item.attachments.length > 0,
    inSentItems,
    irmProtected: item.isIrmProtected,
    signed: item.isSigned,
    date: item.sentAt ?? item.receivedAt ?? item.createdAt,
  };
}

/** Evaluation result per (session, epoch): the same item is evaluated once however many sync members ask. */
const cache = new WeakMap<object, { epoch: number; result: Promise<ActivationResult> }>();

export async function activationFor(ctx: CallContext): Promise<ActivationResult> {
  const { session } = ctx;
  const hit = cache.get(session);
  if (hit && hit.epoch === session.epoch) return hit.result;
  const result = (async () => {
    const item = await ctx.item();
    const folder = await ctx.store.mailboxes.getFolder(item.folderId).catch(() => undefined);
    const snapshot = session.spec.activation ?? { id: session.spec.addinId, name: session.spec.addinName ?? session.spec.addinId, format: "xml" as const, extensionPoints: [] };
    // Activation reads only these fields; the session's granted tier (not the manifest's) decides what it may see.
    const manifest = { ...snapshot, name: { value: snapshot.name }, tier: session.spec.tier } as unknown as AddinManifest;
    const client: ClientId = isClientId(session.spec.client) ? session.spec.client : "web";
    return evaluateActivation(manifest, activationItem(item, folder?.wellKnown === "sentitems"), { client, form: session.spec.form });
  })();
  cache.set(session, { epoch: session.epoch, result });
  result.catch(() => cache.delete(session));
  return result;
}

/** A regex that ran out of its time budget: the call fails (Outlook would not have activated the add-in at all). */
export async function regexMatchesFor(ctx: CallContext): Promise<Record<string, string[]>> {
  const result = await activationFor(ctx);
  const timedOut = result.limits.find((l) => l.kind === "regex-timeout");
  if (timedOut) throw new OfficeCallError(officeError(5001).code, []);
  return result.regexMatches;
}
