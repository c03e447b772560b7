import { randomBytes } from "node:crypto";

/**
 * REST attachment upload bodies (JSON, base64 ContentBytes) of `size` random bytes: each call returns the body with a
 * counter written into its first 8 base64 digits, so every upload carries different bytes of the same length and
 * none is answered from an identical stored copy. One buffer, rewritten: send it before asking for the next.
 */
export function uploadBodies(size: number): () => Buffer<ArrayBuffer> {
  const body = Buffer.from(JSON.stringify({ "@odata.type": "#Microsoft.OutlookServices.FileAttachment", Name: "up.bin", ContentBytes: randomBytes(size).toString("base64") }));
  const at = body.indexOf('"ContentBytes":"') + '"ContentBytes":"'.length;
  let counter = 0;
  return () => {
    body.write((counter++).toString(36).padStart(8, "A").slice(-8), at, "latin1");
    return body;
  };
}
