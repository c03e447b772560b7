import { createReadStream } from "node:fs";

/**
 * Splits an mbox file into raw messages, streaming: a message starts at a "From " line at the start of the file
 * or after an empty line. mboxrd quoting (">From ", ">>From " …) loses one ">". Line endings are kept as found.
 */
export async function* readMbox(path: string): AsyncGenerator<Uint8Array> {
  let carry = Buffer.alloc(0);
  let current: Buffer[] = [];
  let previousBlank = true;
  let started = false;
  const flush = function* () {
    if (!started) return;
    let msg = Buffer.concat(current);
    // The separator's preceding blank line belongs to the mbox format, not to the message.
    if (msg.subarray(-2).toString() === "\n\n") msg = msg.subarray(0, -1);
    else if (msg.subarray(-4).toString() === "\r\n\r\n") msg = msg.subarray(0, -2);
    if (msg.byteLength > 0) yield new Uint8Array(msg);
  };
  const onLine = function* (line: Buffer) {
    const isSeparator = previousBlank && line.subarray(0, 5).toString("latin1") === "From ";
    if (isSeparator) {
      yield* flush();
      current = [];
      started = true;
    } else if (started) {
      current.push(/^>+From /.test(line.subarray(0, 64).toString("latin1")) ? line.subarray(1) : line);
    }
    const text = line.toString("latin1");
    previousBlank = text === "\n" || text === "\r\n";
  };
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    let buf = carry.byteLength ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
    let start = 0;
    for (let nl = buf.indexOf(10, start); nl !== -1; nl = buf.indexOf(10, start)) {
      yield* onLine(buf.subarray(start, nl + 1));
      start = nl + 1;
    }
    carry = Buffer.from(buf.subarray(start));
    buf = carry;
  }
  if (carry.byteLength) yield* onLine(carry);
  yield* flush();
}
