import { z } from "zod";
import { Base64Schema } from "./request.js";

/**
 * The payload of the article tf-lambda grew from (`../shared/seed`): snake_case, base64 text fields.
 * A public contract: every payload the article shows runs unchanged. Empty strings mean "not given",
 * as the article's `jq -r '.field // ""'` read them.
 */
export const LegacyRequestSchema = z.strictObject({
  command: z.string().optional().describe("plan | apply | destroy | validate | init | output; default plan."),
  tf_code: Base64Schema.optional().describe("A zip of the configuration, base64."),
  backend: Base64Schema.optional().describe(
    "Backend configuration text, base64: a backend.tf or a partial config.",
  ),
  envs: Base64Schema.optional().describe("KEY=VALUE lines, base64."),
  tfvars: Base64Schema.optional().describe("terraform.tfvars contents, base64."),
  tfconfig: Base64Schema.optional().describe("Terraform CLI configuration (.terraformrc), base64."),
  aws_access_key: z.string().optional(),
  aws_secret_key: z.string().optional(),
  aws_session_token: z.string().optional(),
  debug: z.union([z.boolean(), z.enum(["true", "false"])]).optional(),
});
export type LegacyRequest = z.infer<typeof LegacyRequestSchema>;
