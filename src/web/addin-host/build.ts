/**
 * Bundles the host-page module with esbuild: `addinHostBundle()` for servers that serve it (the browser runtime's
 * /host.html), or `node --import tsx src/web/addin-host/build.ts <out-dir>` to write addin-host.js and host.html.
 * The web client imports src/web/addin-host/index.ts directly into its own bundle instead.
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

let cached: Promise<string> | undefined;

/** The IIFE bundle that puts the module on window.outpostHost. */
export function addinHostBundle(): Promise<string> {
  cached ??= (async () => {
    // The published package ships the bundle prebuilt beside this file (npm run build:addin-host).
    const source = fileURLToPath(new URL("./page.ts", import.meta.url));
    if (!existsSync(source)) return readFile(new URL("./addin-host.js", import.meta.url), "utf8");
    const esbuild = await import("esbuild");
    const result = await esbuild.build({
      entryPoints: [source],
      bundle: true,
      format: "iife",
      platform: "browser",
      target: "es2020",
      write: false,
      minify: true,
      legalComments: "none",
    });
    return result.outputFiles[0]!.text;
  })();
  return cached;
}

/** The standalone host page: an empty container the runtime mounts add-ins into, and the bundle. */
export function hostPageHtml(scriptUrl = "/addin-host.js"): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Outpost add-in host</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'; frame-src *; style-src 'self' 'unsafe-inline'; connect-src 'self'">
<style>html,body{margin:0;height:100%}#addin{position:absolute;inset:0}</style></head>
<body><div id="addin"></div><script src="${scriptUrl}"></script></body></html>
`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = process.argv[2] ?? "dist/addin-host";
  await mkdir(out, { recursive: true });
  await writeFile(join(out, "addin-host.js"), await addinHostBundle());
  await writeFile(join(out, "host.html"), hostPageHtml());
  process.stdout.write(`wrote ${join(out, "addin-host.js")} and ${join(out, "host.html")}\n`);
}
