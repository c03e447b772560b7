/** Writes office-enums.json from @types/office-js: `node --import tsx src/runtime/shim/gen-enums.ts`. */
import { writeFileSync } from "node:fs";
import { readOfficeTypes } from "./office-types.ts";

const { enums } = await readOfficeTypes();
writeFileSync(new URL("./office-enums.json", import.meta.url), `${JSON.stringify(enums, null, 1)}\n`);
process.stdout.write(`${Object.keys(enums).length} enums written\n`);
