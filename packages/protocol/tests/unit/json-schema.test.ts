import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { jsonSchemas } from "../../src/index.js";

describe("the committed JSON Schemas", () => {
  it.each(Object.entries(jsonSchemas()))("schema/%s is in sync with the zod schemas", (name, schema) => {
    const committed = JSON.parse(readFileSync(join(import.meta.dirname, "..", "..", "schema", name), "utf8"));

    expect(
      committed,
      "run `pnpm --filter @tf-lambda/protocol generate:schema` and commit the result",
    ).toEqual(JSON.parse(JSON.stringify(schema)));
  });

  it("describes the request's required fields and closed command set", () => {
    const schema = jsonSchemas()["run-request.json"] as {
      required: string[];
      properties: { command: { enum: string[] } };
    };

    expect(schema.required).toEqual(expect.arrayContaining(["protocol", "command"]));
    expect(schema.properties.command.enum).toEqual([
      "plan",
      "apply",
      "destroy",
      "validate",
      "init",
      "output",
    ]);
  });
});
