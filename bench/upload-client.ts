/**
 * Uploads from another process (`node bench/upload-client.ts <url> <auth header> <bytes> <count>`): REST attachment
 * uploads (JSON, base64 ContentBytes) one after another, so that the server process's memory can be watched without
 * the client's own copies of the body in it. Prints one JSON line {ms} (the mean per upload).
 */
import { request } from "node:http";
import { randomBytes } from "node:crypto";

const [url, auth, sizeArg, countArg] = process.argv.slice(2);
const body = Buffer.from(JSON.stringify({ "@odata.type": "#Microsoft.OutlookServices.FileAttachment", Name: "mem.bin", ContentBytes: randomBytes(Number(sizeArg)).toString("base64") }));

function upload(): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(url!, { method: "POST", headers: { authorization: auth!, "content-type": "application/json", "content-length": body.length } }, (res) => {
      res.on("data", () => undefined);
      res.on("end", () => (res.statusCode === 201 ? resolve() : reject(new Error(`status ${res.statusCode}`))));
    });
    req.on("error", reject);
    req.end(body);
  });
}

const count = Number(countArg);
const started = performance.now();
for (let i = 0; i < count; i++) await upload();
console.log(JSON.stringify({ ms: (performance.now() - started) / count }));
