import { describe } from "node:test";
import { storageSuite } from "./storage-suite.ts";
import { pgliteBackend } from "./helpers.ts";

describe("storage on PGlite (embedded)", () => storageSuite(pgliteBackend));
