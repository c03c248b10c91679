import { z } from "zod";
import { LegacyRequestSchema } from "./legacy-request.js";
import { RunRequestSchema } from "./request.js";
import { RunResultSchema } from "./result.js";

/**
 * JSON Schemas of the wire format, for callers in other languages and for EventBridge inputs.
 * Written to `schema/*.json` by `pnpm --filter @tf-lambda/protocol generate:schema`; a test keeps them in sync.
 */
export function jsonSchemas(): Record<string, Record<string, unknown>> {
  const base = "https://tf-lambda.dev/schema/v1";
  const generate = (schema: z.ZodType, id: string, title: string, io: "input" | "output") => ({
    ...z.toJSONSchema(schema, { io, target: "draft-2020-12", unrepresentable: "any" }),
    $id: `${base}/${id}`,
    title,
  });
  return {
    "run-request.json": generate(RunRequestSchema, "run-request.json", "tf-lambda run request (v1)", "input"),
    "legacy-request.json": generate(
      LegacyRequestSchema,
      "legacy-request.json",
      "tf-lambda legacy article payload",
      "input",
    ),
    "run-result.json": generate(RunResultSchema, "run-result.json", "tf-lambda run result (v1)", "output"),
  };
}
