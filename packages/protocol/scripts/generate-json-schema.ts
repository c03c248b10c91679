import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { jsonSchemas } from "../src/json-schema.js";

const directory = join(import.meta.dirname, "..", "schema");
for (const [name, schema] of Object.entries(jsonSchemas())) {
  writeFileSync(join(directory, name), `${JSON.stringify(schema, null, 2)}\n`);
  console.log(`wrote schema/${name}`);
}
