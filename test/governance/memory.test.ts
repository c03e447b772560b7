import { describe } from "node:test";
import { governanceSuite } from "./suite.ts";
import { memoryBackend } from "./helpers.ts";

describe("governance on memory", () => governanceSuite(memoryBackend));
