/** Every demo add-in under examples/: a valid manifest declaring the tier its folder names, a page and a script that parse. */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { Script } from "node:vm";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { validateManifestFile } from "../../src/manifest/validate.ts";
import type { Supplementary, Tier } from "../../src/permissions/tiers.ts";

const EXAMPLES = fileURLToPath(new URL("../../examples/", import.meta.url));

/** What each folder promises. */
const EXPECTED: Record<string, { tier: Tier; supplementary: Supplementary[] }> = {
  restricted: { tier: "Restricted", supplementary: [] },
  "read-item": { tier: "ReadItem", supplementary: [] },
  "read-write-item": { tier: "ReadWriteItem", supplementary: [] },
  "read-write-mailbox": { tier: "ReadWriteMailbox", supplementary: [] },
  "append-on-send": { tier: "ReadWriteItem", supplementary: ["AppendOnSend"] },
  "shared-folder": { tier: "ReadWriteItem", supplementary: ["SharedFolder"] },
  "misbehaving/infinite-loop": { tier: "ReadItem", supplementary: [] },
  "misbehaving/memory-hog": { tier: "ReadItem", supplementary: [] },
  "misbehaving/slow-init": { tier: "ReadItem", supplementary: [] },
  "misbehaving/crash": { tier: "ReadItem", supplementary: [] },
};

function addinFolders(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (!statSync(path).isDirectory()) continue;
    if (existsSync(join(path, "app.js"))) out.push(relative(EXAMPLES, path).split("\\").join("/"));
    else out.push(...addinFolders(path));
  }
  return out.sort();
}

const folders = addinFolders(EXAMPLES);

describe("examples", () => {
  it("every add-in folder is one the test knows, and every known one exists", () => {
    assert.deepEqual(folders, Object.keys(EXPECTED).sort());
  });

  for (const name of folders) {
    describe(name, () => {
      const dir = join(EXAMPLES, name);
      const manifests = readdirSync(dir).filter((f) => /^manifest\.(xml|json)$/.test(f));

      it("has at least one manifest", () => assert.ok(manifests.length >= 1));

      for (const file of manifests) {
        it(`${file} is valid and declares ${EXPECTED[name]!.tier}${EXPECTED[name]!.supplementary.map((s) => ` + ${s}`).join("")}`, async () => {
          const result = await validateManifestFile(join(dir, file));
          assert.deepEqual(result.findings.filter((f) => f.severity === "error"), []);
          assert.equal(result.valid, true);
          assert.equal(result.manifest?.tier, EXPECTED[name]!.tier);
          assert.deepEqual([...(result.manifest?.supplementary ?? [])].sort(), EXPECTED[name]!.supplementary);
        });

        it(`${file} points only at https://localhost:3000/examples/ and opens its own page`, () => {
          const text = readFileSync(join(dir, file), "utf8");
          const urls = [...text.matchAll(/https?:\/\/[^"'\s<]+/g)].map((m) => m[0]).filter((u) => !/schemas\.microsoft\.com|w3\.org|developer\.microsoft\.com\/json-schemas/.test(u));
          assert.ok(urls.length > 0);
          for (const url of urls) assert.ok(url.startsWith("https://localhost:3000/examples/"), url);
          assert.ok(urls.includes(`https://localhost:3000/examples/${name}/index.html`));
        });
      }

      it("index.html loads Outpost's /office.js then app.js, and has every element app.js writes to", () => {
        const html = readFileSync(join(dir, "index.html"), "utf8");
        const office = html.indexOf('src="/office.js"');
        const app = html.indexOf('src="app.js"');
        assert.ok(office > 0 && app > office);
        const script = readFileSync(join(dir, "app.js"), "utf8");
        for (const m of script.matchAll(/(?:show\("|getElementById\(")([\w-]+)"/g)) assert.ok(html.includes(`id="${m[1]}"`), m[1]);
      });

      it("app.js parses, registers with Office, and uses no DOM beyond getElementById", () => {
        const script = readFileSync(join(dir, "app.js"), "utf8");
        assert.doesNotThrow(() => new Script(script, { filename: `${name}/app.js` }));
        assert.match(script, /Office\.(onReady|initialize)/);
        assert.doesNotMatch(script, /querySelector|innerHTML|createElement|window\.|addEventListener|\balert\(/);
        assert.doesNotMatch(script, /appsforoffice\.microsoft\.com/);
      });
    });
  }
});
