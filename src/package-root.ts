/**
 * The folder holding Outpost's package.json, found from this module's own location: the same answer whether Outpost
 * runs from its TypeScript sources (src/) or from the compiled package (dist/), in the repository or installed under
 * someone's node_modules. Files shipped beside the code (the demo add-ins under examples/) are found from here.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

function findPackageRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, "package.json");
    if (existsSync(candidate)) {
      try {
        if ((JSON.parse(readFileSync(candidate, "utf8")) as { name?: string }).name === "outpost") return dir;
      } catch {
        // not ours: keep walking up
      }
    }
    if (dirname(dir) === dir) throw new Error(`outpost: cannot find Outpost's package.json above ${start}`);
  }
}

export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

/** Outpost's own version, as package.json declares it. */
export const PACKAGE_VERSION: string = (JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string }).version;
