/**
 * The streaming reader of JSON upload bodies: whatever way the body is cut into pieces, the members and the streamed
 * string come out exactly as JSON.parse gives them; bad bodies get a 400 (413 past the size) naming the problem;
 * the streamed text is handed on before the body has ended.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { JsonBodyError, StreamedJsonObject } from "../../src/server/rest/streamed-json.ts";
import { base64Pieces } from "../../src/mailbox/index.ts";

async function* cut(text: string, sizes: () => number) {
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; ) {
    const n = Math.max(1, sizes());
    yield bytes.subarray(i, i + n);
    i += n;
  }
}

async function read(text: string, sizes: () => number, maxBytes = 1 << 30) {
  const body = new StreamedJsonObject(cut(text, sizes), { streamed: "ContentBytes", maxBytes });
  let streamed = "";
  for await (const piece of body.streamedText()) streamed += piece;
  const fields = await body.rest();
  return { fields: { ...fields }, streamed, has: body.hasStreamed };
}

const random = (max: number) => () => 1 + Math.floor(Math.random() * max);

describe("streamed JSON body", () => {
  test("any cut of a body gives JSON.parse's members and string", async () => {
    const values = [1, -2.5e3, true, false, null, "x", "é\u2028\ud83d\ude00", 'a"b\\c/d', { a: [1, { b: "}" }] }, [[], {}, "]"], ""];
    for (let t = 0; t < 400; t++) {
      const obj: Record<string, unknown> = {};
      for (let k = 0; k < 1 + (t % 5); k++) obj[`k${k}${t % 3 ? "" : "\"\\"}`] = values[(t + k) % values.length];
      const content = randomBytes(t % 50).toString("base64") + (t % 7 === 0 ? "\u00e9\n\"\\\ud83d\ude00" : "");
      const entries = Object.entries(obj);
      entries.splice(t % (entries.length + 1), 0, ["ContentBytes", content]);
      let text = JSON.stringify(Object.fromEntries(entries), null, t % 2 ? 2 : undefined);
      if (t % 4 === 0) text = text.replaceAll("/", "\\/"); // some serializers escape every slash
      const { fields, streamed, has } = await read(text, random(t % 3 ? 7 : 200));
      const want = JSON.parse(text) as Record<string, unknown>;
      assert.equal(streamed, want.ContentBytes);
      assert.ok(has);
      delete want.ContentBytes;
      assert.deepEqual(fields, want);
    }
  });

  test("a body without the streamed member yields nothing and keeps the others", async () => {
    const r = await read('{"Name":"a.txt","IsInline":false}', random(3));
    assert.equal(r.streamed, "");
    assert.equal(r.has, false);
    assert.deepEqual(r.fields, { Name: "a.txt", IsInline: false });
    assert.deepEqual((await read("{}", random(1))).fields, {});
  });

  test("bad bodies are refused with what is wrong", async () => {
    const cases: Array<[string, RegExp]> = [
      ["", /not a JSON object/],
      ["[1]", /not a JSON object/],
      ['{"Name":"a"', /ends before its JSON object is closed/],
      ['{"ContentBytes":"QUJD', /ends inside "ContentBytes"/],
      ['{"ContentBytes":12}', /"ContentBytes" must be a string/],
      ['{"ContentBytes":"QQ==","ContentBytes":"QQ=="}', /appears more than once/],
      ['{"Name":"a"} x', /more after its JSON object/],
      ['{"Name" "a"}', /expected ":"/],
      ['{"Name":}', /is missing/],
      ['{"Name":"a",}', /"," before "}"/],
      ['{"Name":tru}', /not valid JSON/],
      ['{"ContentBytes":"QQ\\x"}', /invalid escape/],
      ['{Name:1}', /expected a member name/],
    ];
    for (const [text, message] of cases) {
      await assert.rejects(read(text, random(4)), (e: unknown) => e instanceof JsonBodyError && e.statusCode === 400 && message.test(e.message), text);
    }
    await assert.rejects(read(`{"Name":"${"n".repeat(70_000)}"}`, random(5000)), /longer than 65536 characters/);
    await assert.rejects(read(`{"ContentBytes":"${"A".repeat(10_000)}"}`, random(1000), 5000), (e: unknown) => e instanceof JsonBodyError && e.statusCode === 413);
  });

  test("the streamed text is handed on while the body is still arriving", async () => {
    const content = randomBytes(300_000).toString("base64");
    let sent = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    async function* slow() {
      const bytes = Buffer.from(`{"ContentBytes":"${content}","Name":"late.bin"}`);
      for (let i = 0; i < bytes.length; i += 16_384) {
        if (i >= bytes.length / 2) await gate; // the second half waits until the reader has had some text
        sent = i + 16_384;
        yield bytes.subarray(i, i + 16_384);
      }
    }
    const body = new StreamedJsonObject(slow(), { streamed: "ContentBytes", maxBytes: 1 << 30 });
    let streamed = "";
    for await (const piece of body.streamedText()) {
      if (!streamed) assert.ok(sent < content.length, "first text before the whole body was sent");
      streamed += piece;
      if (streamed.length > 10_000) release();
    }
    assert.equal(streamed, content);
    assert.equal((await body.rest()).Name, "late.bin");
  });

  test("base64 pieces decode to Buffer.from's bytes however the text is cut", () => {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ \r\n!*";
    for (let t = 0; t < 20_000; t++) {
      let s: string;
      if (t % 2) {
        s = randomBytes(t % 200).toString("base64");
        if (t % 3 === 0) s = s.replace(/(.{7})/g, "$1\r\n");
        if (t % 5 === 0) s = `${s}=${s}`;
      } else {
        s = Array.from({ length: t % 60 }, () => alphabet[Math.floor(Math.random() * alphabet.length)]).join("");
      }
      assert.deepEqual(Buffer.concat([...base64Pieces(s, 1 + (t % 9))]), Buffer.from(s, "base64"), JSON.stringify(s));
    }
  });
});
