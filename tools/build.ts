/**
 * `npm run build`: the published package under dist/.
 * 1. tsc compiles src/ to JavaScript with declarations and source maps (imports rewritten from .ts to .js);
 * 2. the files the code reads at run time beside itself (SQL migrations, XSDs, the regex worker) are copied alongside;
 * 3. the browser bundles (web client, add-in host page) are built by their own scripts when they exist.
 */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { dirname, extname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const src = join(root, "src");
const dist = join(root, "dist");
const ASSET_EXTENSIONS = new Set([".sql", ".xsd", ".mjs", ".json", ".html", ".css", ".svg", ".png"]);

function step(label: string, run: () => void): void {
  const started = performance.now();
  run();
  console.error(`build: ${label} (${Math.round(performance.now() - started)} ms)`);
}

function assets(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...assets(full));
    else if (ASSET_EXTENSIONS.has(extname(name))) out.push(full);
  }
  return out;
}

step("clean dist/", () => rmSync(dist, { recursive: true, force: true }));
step("tsc -p tsconfig.build.json", () => {
  execFileSync(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", join(root, "tsconfig.build.json")], { stdio: ["ignore", 2, 2] });
});
step("copy run-time assets", () => {
  for (const file of assets(src)) cpSync(file, join(dist, relative(src, file)));
});
const scripts = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
for (const name of Object.keys(scripts).filter((s) => s.startsWith("build:")).sort()) {
  step(`npm run ${name}`, () => execFileSync("npm", ["run", "-s", name], { cwd: root, stdio: ["ignore", 2, 2] }));
}
if (!existsSync(join(dist, "cli", "main.js"))) throw new Error("build: dist/cli/main.js was not produced");
