/**
 * Decoder for PostgreSQL's binary COPY format (`COPY … TO STDOUT (FORMAT binary)`), reduced to what the blob store
 * needs: the bytes of every non-null field, in order, as slices of the received buffers (no copy, no hex). Framing
 * may be split anywhere across chunks.
 */
const SIGNATURE = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");

export class CopyBinaryFields {
  private framing: Buffer = Buffer.alloc(0);
  /** What the next bytes are: the 19-byte header, header extension, tuple field count, field length, field data. */
  private state: "header" | "extension" | "tuple" | "length" | "data" | "end" = "header";
  private remaining = 19;
  private fieldsLeft = 0;
  /** Tuples seen so far. */
  rows = 0;

  /** Feeds one received chunk; returns the field bytes it contained. */
  push(chunk: Buffer): Buffer[] {
    const out: Buffer[] = [];
    let off = 0;
    while (off < chunk.length && this.state !== "end") {
      if (this.state === "data" || this.state === "extension") {
        const n = Math.min(this.remaining, chunk.length - off);
        if (this.state === "data") out.push(chunk.subarray(off, off + n));
        off += n;
        this.remaining -= n;
        if (this.remaining === 0) this.afterField();
        continue;
      }
      // Fixed-size framing: gather exactly `remaining` bytes, possibly across chunks.
      const need = this.remaining - this.framing.length;
      const take = chunk.subarray(off, off + need);
      off += take.length;
      this.framing = this.framing.length ? Buffer.concat([this.framing, take]) : take;
      if (this.framing.length < this.remaining) break;
      const f = this.framing;
      this.framing = Buffer.alloc(0);
      this.onFraming(f);
    }
    return out;
  }

  /** Throws unless the trailer was seen (a truncated stream must not pass for a whole blob). */
  end(): void {
    if (this.state !== "end") throw new Error("COPY binary stream ended early");
  }

  private onFraming(f: Buffer): void {
    switch (this.state) {
      case "header": {
        if (!f.subarray(0, 11).equals(SIGNATURE)) throw new Error("not a binary COPY stream");
        const ext = f.readUInt32BE(15);
        if (ext > 0) return void ((this.state = "extension"), (this.remaining = ext));
        return void ((this.state = "tuple"), (this.remaining = 2));
      }
      case "tuple": {
        const n = f.readInt16BE(0);
        if (n === -1) return void (this.state = "end");
        this.rows++;
        this.fieldsLeft = n;
        return this.nextField();
      }
      case "length": {
        const len = f.readInt32BE(0);
        if (len <= 0) return this.afterField(); // NULL (-1) or empty
        this.state = "data";
        this.remaining = len;
        return;
      }
      default:
        throw new Error(`unexpected COPY framing in state ${this.state}`);
    }
  }

  private nextField(): void {
    if (this.fieldsLeft === 0) {
      this.state = "tuple";
      this.remaining = 2;
    } else {
      this.state = "length";
      this.remaining = 4;
    }
  }

  private afterField(): void {
    if (this.state === "extension") {
      this.state = "tuple";
      this.remaining = 2;
      return;
    }
    this.fieldsLeft--;
    this.nextField();
  }
}
