/** The short fuzz run of `npm test`: a fixed seed, a few hundred inputs per target, no crash and no hang. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { fuzz, targets } from "./fuzz/targets.ts";

for (const t of await targets()) {
  test(`fuzz (seed 1234, 300 inputs): ${t.name}`, async () => {
    const r = await fuzz(t, 300, 1234);
    assert.equal(r.inputs, 300);
    assert.equal(r.crashes, 0, r.firstFailure);
    assert.equal(r.hangs, 0);
  });
}
