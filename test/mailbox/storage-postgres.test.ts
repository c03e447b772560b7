import { describe } from "node:test";
import { storageSuite } from "./storage-suite.ts";
import { postgresBackend } from "./helpers.ts";

describe("storage on PostgreSQL", () => storageSuite(postgresBackend));
