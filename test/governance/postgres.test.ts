import { describe } from "node:test";
import { governanceSuite } from "./suite.ts";
import { postgresBackend } from "./helpers.ts";

describe("governance on postgres", () => governanceSuite(postgresBackend));
