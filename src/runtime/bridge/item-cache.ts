/**
 * The session's item, cached per (session, epoch). Every write through the bridge bumps the session's epoch (in
 * the session store, so every server sees it), which makes every cached copy stale at once; a read member then
 * costs no database round trip for the item. Bounded: least recently used entries go first.
 */
import type { Item } from "../../mailbox/index.ts";

export const DEFAULT_ITEM_CACHE_ENTRIES = 2000;

export class ItemCache {
  private readonly entries = new Map<string, { epoch: number; item: Promise<Item> }>();
  constructor(private readonly max = DEFAULT_ITEM_CACHE_ENTRIES) {}

  get(sessionId: string, epoch: number, load: () => Promise<Item>): Promise<Item> {
    const hit = this.entries.get(sessionId);
    if (hit && hit.epoch === epoch) {
      this.entries.delete(sessionId);
      this.entries.set(sessionId, hit);
      return hit.item;
    }
    const item = load();
    const entry = { epoch, item };
    this.entries.delete(sessionId);
    this.entries.set(sessionId, entry);
    // A failed load is not remembered: the next call tries again.
    item.catch(() => {
      if (this.entries.get(sessionId) === entry) this.entries.delete(sessionId);
    });
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
    return item;
  }

  delete(sessionId: string): void {
    this.entries.delete(sessionId);
  }

  get size(): number {
    return this.entries.size;
  }
}

/**
 * Members that cannot change the item (or anything a cached copy holds). Anything else — set/add/remove/save,
 * makeEwsRequestAsync, an unknown future member — counts as a write and invalidates: erring towards a reload.
 */
const READ_ONLY = /\.(get\w*|load\w*|is\w*|convert\w*|display\w*|addHandlerAsync|removeHandlerAsync)$/;

export function invalidatesItem(path: string): boolean {
  return !READ_ONLY.test(path) && path !== "Outpost.bootstrap";
}
