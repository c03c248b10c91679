import { z } from "zod";
import { base64Problem } from "./base64.js";
import { envNameProblem } from "./env-names.js";
import { REQUEST_LIMITS } from "./limits.js";

/** The version tag of the current request and result format. A request without it is a legacy article payload. */
export const PROTOCOL_VERSION = "tf-lambda/v1" as const;

/** The terraform commands a run may ask for. A closed set: nothing else is ever passed to terraform. */
export const CommandSchema = z.enum(["plan", "apply", "destroy", "validate", "init", "output"]);
export type Command = z.infer<typeof CommandSchema>;

/** Commands that change real infrastructure or state. */
export const MUTATING_COMMANDS: ReadonlySet<Command> = new Set(["apply", "destroy"]);

/** Standard base64 (line breaks allowed). */
export const Base64Schema = z.string().superRefine((value, context) => {
  const problem = base64Problem(value);
  if (problem) context.addIssue({ code: "custom", message: problem });
});

/** A lowercase hex SHA-256 digest. */
export const Sha256Schema = z
  .string()
  .regex(/^[a-f0-9]{64}$/, { message: "must be a lowercase hex SHA-256 digest (64 characters)" });

/** Code sent inline: a zip archive, base64-encoded. */
export const InlineZipCodeSchema = z.strictObject({
  zip: Base64Schema.describe("The zip archive of the configuration directory, base64-encoded."),
  sha256: Sha256Schema.optional().describe(
    "SHA-256 of the zip bytes; the runtime refuses the archive if it differs.",
  ),
});

/** A reference to an S3 object. */
export const S3ObjectSchema = z.strictObject({
  bucket: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { message: "is not a valid S3 bucket name" }),
  key: z.string().min(1).max(1024),
  versionId: z.string().min(1).max(1024).optional(),
  sha256: Sha256Schema.optional().describe("SHA-256 of the object; the runtime refuses it if it differs."),
});
export type S3Object = z.infer<typeof S3ObjectSchema>;

/** Code staged in S3 (a zip archive), for code over the synchronous payload limit. */
export const S3CodeSchema = z.strictObject({ s3: S3ObjectSchema });

/** Code baked into the image at build time. */
export const BundledCodeSchema = z.strictObject({ bundled: z.literal(true) });

/** Where the configuration comes from. Absent means bundled. */
export const CodeSourceSchema = z.union([InlineZipCodeSchema, S3CodeSchema, BundledCodeSchema], {
  error: "must be { zip: <base64> }, { s3: { bucket, key, versionId? } } or { bundled: true }",
});
export type CodeSource = z.infer<typeof CodeSourceSchema>;

/** An HCL identifier, as used for attribute and variable names. */
export const IDENTIFIER_PATTERN = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const IdentifierSchema = z.string().max(128).regex(IDENTIFIER_PATTERN, {
  message: "must be an identifier (letters, digits, '_' and '-', not starting with a digit)",
});

/** The backend types terraform and OpenTofu ship. */
export const BackendTypeSchema = z.enum([
  "s3",
  "gcs",
  "azurerm",
  "http",
  "consul",
  "pg",
  "kubernetes",
  "oss",
  "cos",
  "remote",
  "local",
]);
export type BackendType = z.infer<typeof BackendTypeSchema>;

/** A typed backend block: rendered as `terraform { backend "<type>" { ... } }` by the runtime. */
export const BackendBlockSchema = z.strictObject({
  type: BackendTypeSchema,
  config: z.record(IdentifierSchema, z.json()).default({}),
});
export type BackendBlock = z.infer<typeof BackendBlockSchema>;

/**
 * Backend configuration as HCL text. A text holding a `terraform { ... }` block is written as a file beside the
 * code; any other text is a partial configuration (`bucket = "..."` lines) passed with `-backend-config`.
 */
export const RawBackendSchema = z.strictObject({
  hcl: z.string().min(1).max(REQUEST_LIMITS.maxTextLength),
});
export type RawBackend = z.infer<typeof RawBackendSchema>;

export const BackendSchema = z.union([BackendBlockSchema, RawBackendSchema], {
  error: 'must be { type: "s3", config: { ... } } or { hcl: "<HCL text>" }',
});
export type Backend = z.infer<typeof BackendSchema>;

/** Static credentials for the run (e.g. from STS AssumeRole for another account). Never logged or returned. */
export const CredentialsSchema = z.strictObject({
  accessKeyId: z.string().min(1).max(128),
  secretAccessKey: z.string().min(1).max(256),
  sessionToken: z.string().min(1).max(8192).optional(),
});
export type Credentials = z.infer<typeof CredentialsSchema>;

/** Environment for terraform: validated names, denied names refused. */
export const EnvSchema = z
  .record(z.string(), z.string().max(REQUEST_LIMITS.maxEnvValueLength))
  .superRefine((env, context) => {
    const names = Object.keys(env);
    if (names.length > REQUEST_LIMITS.maxEnvEntries) {
      context.addIssue({
        code: "custom",
        message: `has ${names.length} entries; at most ${REQUEST_LIMITS.maxEnvEntries}`,
      });
    }
    for (const name of names) {
      const problem = envNameProblem(name);
      if (problem) context.addIssue({ code: "custom", path: [name], message: `'${name}' ${problem}` });
      if ((env[name] ?? "").includes("\0")) {
        context.addIssue({ code: "custom", path: [name], message: "contains a NUL character" });
      }
    }
  });

/** Input variables, written as `tf-lambda.auto.tfvars.json`. */
export const VarsSchema = z.record(IdentifierSchema, z.json()).superRefine((vars, context) => {
  const count = Object.keys(vars).length;
  if (count > REQUEST_LIMITS.maxVars) {
    context.addIssue({ code: "custom", message: `has ${count} entries; at most ${REQUEST_LIMITS.maxVars}` });
  }
});

/**
 * A resource address for `-target` / `-replace`: `aws_s3_bucket.logs`, `module.net["eu"].aws_vpc.this[0]`.
 * It may not start with '-' (flag injection) nor contain control characters.
 */
export const ResourceAddressSchema = z
  .string()
  .max(REQUEST_LIMITS.maxAddressLength)
  .regex(/^[A-Za-z_]\P{Cc}*$/u, {
    message: "is not a resource address (it must start with a letter or '_' and hold no control characters)",
  });

/** A terraform duration such as `30s`, `5m`, `0s`. */
export const DurationSchema = z
  .string()
  .regex(/^\d{1,6}(ms|s|m|h)$/, { message: "must be a duration such as '30s', '5m' or '0s'" });

/** A terraform workspace name. */
export const WorkspaceNameSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,89}$/, {
  message: "must be 1-90 characters of letters, digits, '_', '.', '-', starting with a letter or digit",
});

/** Options of the terraform command. Each maps to one flag; none is passed through a shell. */
export const RunOptionsSchema = z.strictObject({
  targets: z.array(ResourceAddressSchema).max(REQUEST_LIMITS.maxAddresses).optional(),
  replace: z.array(ResourceAddressSchema).max(REQUEST_LIMITS.maxAddresses).optional(),
  refresh: z.boolean().optional().describe("false passes -refresh=false"),
  refreshOnly: z.boolean().optional().describe("plan/apply -refresh-only"),
  parallelism: z
    .number()
    .int()
    .min(REQUEST_LIMITS.minParallelism)
    .max(REQUEST_LIMITS.maxParallelism)
    .optional(),
  lockTimeout: DurationSchema.optional(),
  lock: z.boolean().optional().describe("false passes -lock=false"),
  upgrade: z.boolean().optional().describe("init -upgrade"),
});
export type RunOptions = z.infer<typeof RunOptionsSchema>;

/** A run request in the current (v1) format. */
export const RunRequestSchema = z.strictObject({
  protocol: z.literal(PROTOCOL_VERSION),
  command: CommandSchema,
  code: CodeSourceSchema.optional(),
  backend: BackendSchema.optional(),
  vars: VarsSchema.optional(),
  env: EnvSchema.optional(),
  credentials: CredentialsSchema.optional(),
  cliConfig: z
    .string()
    .max(REQUEST_LIMITS.maxTextLength)
    .optional()
    .describe("Terraform CLI configuration (HCL)."),
  workspace: WorkspaceNameSchema.optional(),
  options: RunOptionsSchema.optional(),
  debug: z.boolean().optional(),
});
export type RunRequest = z.infer<typeof RunRequestSchema>;
/** A run request as a caller writes it (defaults not yet applied). */
export type RunRequestInput = z.input<typeof RunRequestSchema>;
