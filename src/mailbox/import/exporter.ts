import { createWriteStream } from "node:fs";
import { mkdir, rename } from "node:fs/promises";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { once } from "node:events";
import { writeItemAsMime } from "../mime/build.ts";
import type { MailboxStore } from "../store/store.ts";

export interface ExportResult {
  exported: number;
  /** Items written from their imported bytes, unchanged. */
  verbatim: number;
  files: string[];
}

/**
 * Writes every item of the mailbox as `<dir>/<folder>/<item id>.eml`: imported items byte for byte from their
 * stored RFC 822 bytes, other items as fresh MIME. Files appear under their final name only once complete.
 */
export async function exportMailbox(store: MailboxStore, mailboxId: string, dir: string, onProgress?: (done: number) => void): Promise<ExportResult> {
  const folders = await store.mailboxes.listFolders(mailboxId);
  const folderPath = new Map<string, string>();
  const pathOf = (id: string): string => {
    const cached = folderPath.get(id);
    if (cached) return cached;
    const f = folders.find((x) => x.id === id)!;
    const name = safeName(f.wellKnown ?? f.displayName);
    const p = f.parentId && f.wellKnown !== "msgfolderroot" && folders.find((x) => x.id === f.parentId)?.wellKnown !== "msgfolderroot" ? join(pathOf(f.parentId), name) : name;
    folderPath.set(id, p);
    return p;
  };
  const result: ExportResult = { exported: 0, verbatim: 0, files: [] };
  let after: string | null = null;
  for (;;) {
    const ids = await store.items.listIds(mailboxId, after, 200);
    if (ids.length === 0) break;
    for (const id of ids) {
      const item = (await store.items.get(id))!;
      const folderDir = join(dir, pathOf(item.folderId));
      await mkdir(folderDir, { recursive: true });
      const file = join(folderDir, `${id}.eml`);
      const tmp = `${file}.partial`;
      const raw = await store.items.rawMime(id);
      if (raw) {
        await pipeline(store.blobs.open(raw.hash), createWriteStream(tmp));
        result.verbatim++;
      } else {
        const out = createWriteStream(tmp);
        await writeItemAsMime(
          item,
          async (attachmentId) => store.items.openAttachment((await store.items.getAttachment(id, attachmentId)) ?? { blobHash: null }),
          async (chunk) => {
            if (!out.write(chunk)) await once(out, "drain");
          },
        );
        out.end();
        await once(out, "finish");
      }
      await rename(tmp, file);
      result.exported++;
      result.files.push(file);
      onProgress?.(result.exported);
    }
    after = ids[ids.length - 1]!;
  }
  return result;
}

function safeName(s: string): string {
  return s.replace(/[^\p{L}\p{N} ._-]/gu, "_").slice(0, 100) || "folder";
}
