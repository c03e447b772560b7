/**
 * The web client's bundle: src/web/client/main.tsx (Preact, TypeScript) and its CSS, bundled by esbuild at build
 * time — in memory when the server starts from sources, or to a folder by `npm run build:web` (the packaged
 * dist/ serves the prebuilt files). Nothing is fetched at run time: no CDN.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

export const CLIENT_ENTRY = join(dirname(fileURLToPath(import.meta.url)), "client", "main.tsx");

export interface ClientBundle {
  js: string;
  css: string;
}

export async function buildWebClient(options: { minify?: boolean } = {}): Promise<ClientBundle> {
  const result = await build({
    entryPoints: [CLIENT_ENTRY],
    bundle: true,
    write: false,
    outdir: "/bundle",
    format: "esm",
    platform: "browser",
    target: ["chrome110", "firefox110", "safari16"],
    jsx: "automatic",
    jsxImportSource: "preact",
    minify: options.minify ?? true,
    legalComments: "none",
    logLevel: "silent",
    define: { "process.env.NODE_ENV": '"production"' },
  });
  const js = result.outputFiles.find((f) => f.path.endsWith(".js"))?.text ?? "";
  const css = result.outputFiles.find((f) => f.path.endsWith(".css"))?.text ?? "";
  return { js, css };
}

// `node --import tsx src/web/build.ts <outdir>`: writes app.js and app.css.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = process.argv[2] ?? "dist/web/client";
  const bundle = await buildWebClient();
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, "app.js"), bundle.js);
  writeFileSync(join(out, "app.css"), bundle.css);
  console.log(`web client: ${out}/app.js ${bundle.js.length} bytes, app.css ${bundle.css.length} bytes`);
}
