/**
 * Per-request work limits of the EWS surface, each named after what it stops. A GetItem listing one id 3,000
 * times (117 KB, well under the 5 MB size limit) used to take 13.8 s and stall every other request with it.
 *
 * Exchange documents no fixed number of ids per batch: it throttles by budget (EWSFindCountLimit, 1,000 items
 * per FindItem/FindFolder response by default, is the one documented count) and advises small batches. Outpost
 * takes that 1,000 as the total work of one request, and half of it as the number of ids one request may list.
 * Repeated ids are looked up once (see GetItem/GetAttachment), and answered once per listing, as Exchange does.
 */
import { SoapLimitError, type El } from "./xml.ts";

/** Ids one request may list: ItemId, AttachmentId, FolderId/DistinguishedFolderId, ItemChange, Conversation, created items. */
export const MAX_EWS_IDS_PER_REQUEST = 500;
/** Work units per request: every id as above, plus every field update; EWSFindCountLimit's 1,000. */
export const MAX_EWS_WORK_PER_REQUEST = 1000;

const ID_ELEMENTS = new Set(["ItemId", "AttachmentId", "FolderId", "DistinguishedFolderId", "ItemChange", "FolderChange", "Conversation"]);
const UPDATE_ELEMENTS = new Set(["SetItemField", "AppendToItemField", "DeleteItemField", "SetFolderField", "DeleteFolderField"]);

export interface EwsWork {
  ids: number;
  work: number;
}

/** Counts ids and work in an operation (already bounded in elements by parseSoap), with a loop. */
export function measureWork(op: El): EwsWork {
  let ids = 0;
  let updates = 0;
  const stack: Array<[El, El | null]> = [[op, null]];
  while (stack.length) {
    const [el, parent] = stack.pop()!;
    const name = el.localName ?? "";
    // Items created by CreateItem (children of m:Items) count as ids: each is a row written.
    if (ID_ELEMENTS.has(name) || (parent?.localName === "Items" && parent.parentNode === op)) ids++;
    else if (UPDATE_ELEMENTS.has(name)) updates++;
    for (let c = el.firstChild; c; c = c.nextSibling) if (c.nodeType === 1) stack.push([c as El, el]);
  }
  return { ids, work: ids + updates };
}

/** Throws SoapLimitError (answered 400 with an ErrorInvalidRequest fault) when a request lists too much. */
export function checkWork(op: El): void {
  const { ids, work } = measureWork(op);
  if (ids > MAX_EWS_IDS_PER_REQUEST)
    throw new SoapLimitError(`The request lists ${ids.toLocaleString("en-US")} ids; at most ${MAX_EWS_IDS_PER_REQUEST} are allowed in one request. Send them in smaller batches.`);
  if (work > MAX_EWS_WORK_PER_REQUEST)
    throw new SoapLimitError(`The request asks for ${work.toLocaleString("en-US")} units of work (ids and field updates); at most ${MAX_EWS_WORK_PER_REQUEST} are allowed in one request.`);
}
