#!/usr/bin/env node
// Entry point for the `outpost` command. An installed package runs its compiled code (dist/); a source checkout,
// which has src/ beside bin/, runs the TypeScript sources through tsx so that it never runs a stale build.
import { existsSync } from "node:fs";

const source = new URL("../src/cli/main.ts", import.meta.url);
if (existsSync(source)) {
  const { register } = await import("tsx/esm/api");
  register();
  await import(source.href);
} else {
  await import(new URL("../dist/cli/main.js", import.meta.url).href);
}
