/**
 * The package as an add-in developer gets it: a copy of this checkout is packed (`npm pack`, which builds dist/ in its
 * prepack), the tarball's file list is checked, and the tarball is installed into a fresh project where plain
 * JavaScript (ESM, and CommonJS through dynamic import) imports `outpost/testing`, a TypeScript test type-checks
 * against the shipped declarations, and `npx outpost` validates and runs a demo add-in.
 *
 * The copy keeps this checkout's dist/ untouched while other tests run; the fresh project starts from a copy of this
 * checkout's node_modules so that isolated-vm is not compiled a second time (npm keeps an installed package whose
 * version already matches).
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

const ROOT = join(import.meta.dirname, "..", "..");
const work = mkdtempSync(join(tmpdir(), "outpost-pack-"));
const copy = join(work, "outpost");
const project = join(work, "user-project");
let tarball = "";
let packed: string[] = [];

function run(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", env: { ...process.env, npm_config_audit: "false", npm_config_fund: "false", npm_config_update_notifier: "false" }, maxBuffer: 64 * 1024 * 1024 });
  assert.equal(r.status, 0, `${cmd} ${args.join(" ")} failed in ${cwd}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

before(() => {
  const files = execFileSync("git", ["ls-files", "-z", "-co", "--exclude-standard"], { cwd: ROOT, encoding: "utf8" }).split("\0").filter(Boolean);
  for (const f of files) {
    if (/^(node_modules|dist|data)(\/|$)/.test(f)) continue;
    mkdirSync(dirname(join(copy, f)), { recursive: true });
    try {
      cpSync(join(ROOT, f), join(copy, f));
    } catch {
      // listed by git but deleted in the work tree
    }
  }
  symlinkSync(join(ROOT, "node_modules"), join(copy, "node_modules"), "dir");
  const out = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", work], copy)) as Array<{ filename: string; files: Array<{ path: string }> }>;
  tarball = join(work, out[0]!.filename);
  packed = out[0]!.files.map((f) => f.path).sort();

  mkdirSync(project, { recursive: true });
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "my-addin-tests", version: "1.0.0", private: true, type: "module" }, null, 2));
  // cp -a keeps modification times, so npm trusts the copied hidden lockfile and leaves built packages as they are.
  run("cp", ["-a", join(ROOT, "node_modules"), join(project, "node_modules")], work);
  run("npm", ["install", "--no-save", "--prefer-offline", "--no-package-lock", tarball], project);
});

after(() => rmSync(work, { recursive: true, force: true }));

describe("the published package", () => {
  test("holds what users need and nothing else", () => {
    const top = [...new Set(packed.map((p) => p.split("/")[0]))].sort();
    assert.deepEqual(top, ["CHANGELOG.md", "LICENSE", "README.md", "bin", "dist", "examples", "package.json"]);
    for (const required of ["bin/outpost.js", "dist/cli/main.js", "dist/index.js", "dist/index.d.ts", "dist/testing/index.js", "dist/testing/index.d.ts", "dist/runtime/shim/office.js", "dist/mailbox/migrations/001_init.sql", "dist/manifest/xml/schemas/OfficeAppManifestV1_1.xsd", "dist/activation/regex-worker.mjs", "dist/web/client/app.js", "dist/web/client/app.css", "dist/web/addin-host/addin-host.js", "examples/read-item/manifest.xml"]) {
      assert.ok(packed.includes(required), `${required} is missing from the package`);
    }
    const stray = packed.filter((p) => /^(src|test|bench|tools|docs|\.ci)\//.test(p) || /\.test\.(ts|js)$/.test(p) || /(^|\/)\.env/.test(p));
    assert.deepEqual(stray, [], "tests, benchmarks, sources or tooling shipped");
    const dist = packed.filter((p) => p.startsWith("dist/"));
    const unexpected = dist.filter((p) => !/\.(js|d\.ts|js\.map|d\.ts\.map|sql|xsd|mjs|json|html|css|svg|png|md)$/.test(p));
    assert.deepEqual(unexpected, []);
  });

  test("imports outpost/testing from plain ESM and from CommonJS", () => {
    writeFileSync(join(project, "esm.mjs"), `import { createHost } from "outpost/testing";\nconsole.log(typeof createHost);\n`);
    writeFileSync(join(project, "cjs.cjs"), `import("outpost/testing").then((m) => console.log(typeof m.createHost));\n`);
    assert.equal(run(process.execPath, ["esm.mjs"], project).trim(), "function");
    assert.equal(run(process.execPath, ["cjs.cjs"], project).trim(), "function");
    const pkg = JSON.parse(readFileSync(join(project, "node_modules", "outpost", "package.json"), "utf8")) as { version: string };
    assert.match(run(process.execPath, [join(project, "node_modules", "outpost", "bin", "outpost.js"), "--version"], project), new RegExp(pkg.version.replace(/\./g, "\\.")));
  });

  test("a TypeScript test type-checks against the shipped declarations", () => {
    writeFileSync(
      join(project, "addin.test.ts"),
      [
        `import { createHost, type TraceEntry } from "outpost/testing";`,
        `const host = await createHost();`,
        `const addin = await host.loadAddin({ manifest: "node_modules/outpost/examples/read-item/manifest.xml", tier: "ReadItem" });`,
        `const trace: TraceEntry[] = [];`,
        `void addin; void trace;`,
        `await host.close();`,
        `// @ts-expect-error a tier that does not exist`,
        `await host.loadAddin({ manifest: "m.xml", tier: "Everything" });`,
        ``,
      ].join("\n"),
    );
    writeFileSync(join(project, "tsconfig.json"), JSON.stringify({ compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, skipLibCheck: true, types: ["node"], typeRoots: [join(ROOT, "node_modules", "@types")] }, files: ["addin.test.ts"] }));
    run(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", "."], project);
  });

  test("npx outpost validates and runs a demo add-in", () => {
    const validate = run("npx", ["--no-install", "outpost", "manifest", "validate", "node_modules/outpost/examples/read-item/manifest.xml"], project);
    assert.match(validate, /valid \(ReadItem\)/);
    writeFileSync(join(project, "mail.eml"), ["From: Alice <alice@contoso.example>", "To: Bob <bob@contoso.example>", "Subject: Quarterly numbers", "Date: Mon, 2 Nov 2026 10:00:00 +0000", "Message-ID: <q1@contoso.example>", "Content-Type: text/plain; charset=utf-8", "", "Please review the attached numbers before Friday.", ""].join("\r\n"));
    const out = run("npx", ["--no-install", "outpost", "run", "--json", "--manifest", "node_modules/outpost/examples/read-item/manifest.xml", "--item", "mail.eml", "node_modules/outpost/examples/read-item/index.html"], project);
    const result = JSON.parse(out) as { trace: Array<{ outcome: string }> };
    assert.ok(result.trace.length > 0);
    assert.ok(result.trace.some((c) => c.outcome === "ok"));
  });
});
