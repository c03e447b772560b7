import { describe } from "node:test";
import { governanceSuite } from "./suite.ts";
import { pgliteBackend } from "./helpers.ts";

describe("governance on pglite", () => governanceSuite(pgliteBackend));
