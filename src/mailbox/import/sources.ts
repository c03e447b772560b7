import { readdir, readFile, stat } from "node:fs/promises";
import { extname, join } from "node:path";
import { readMbox } from "../mime/mbox.ts";

export interface RawMessage {
  raw: Uint8Array;
  /** Where it came from, for error messages: file path, plus "#n" inside an mbox. */
  origin: string;
}

/** Messages larger than this are refused (Exchange's own maximum message size is 150 MB). */
export const MAX_MESSAGE_BYTES = 150 * 1024 * 1024;

/** Every message under `path`: an .eml file, an .mbox file, or a folder of them (recursively, in name order). */
export async function* readMessages(path: string): AsyncGenerator<RawMessage> {
  const s = await stat(path);
  if (s.isDirectory()) {
    const entries = (await readdir(path, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      const child = join(path, e.name);
      if (e.isDirectory()) yield* readMessages(child);
      else if (isMessageFile(e.name)) yield* readMessages(child);
    }
    return;
  }
  if (isMbox(path)) {
    let n = 0;
    for await (const raw of readMbox(path)) yield { raw, origin: `${path}#${++n}` };
    return;
  }
  if (s.size > MAX_MESSAGE_BYTES) throw new Error(`${path}: message larger than ${MAX_MESSAGE_BYTES} bytes`);
  yield { raw: new Uint8Array(await readFile(path)), origin: path };
}

/** Counts the messages (for the progress bar) without keeping them. */
export async function countMessages(path: string): Promise<number> {
  let n = 0;
  const s = await stat(path);
  if (!s.isDirectory() && !isMbox(path)) return 1;
  if (s.isDirectory()) {
    for (const e of await readdir(path, { withFileTypes: true })) {
      if (e.isDirectory()) n += await countMessages(join(path, e.name));
      else if (isMessageFile(e.name)) n += await countMessages(join(path, e.name));
    }
    return n;
  }
  for await (const _ of readMbox(path)) n++;
  return n;
}

const isMbox = (name: string) => [".mbox", ".mbx"].includes(extname(name).toLowerCase()) || name.toLowerCase().endsWith("/mbox");
const isMessageFile = (name: string) => [".eml", ".mbox", ".mbx", ".msg822"].includes(extname(name).toLowerCase());
