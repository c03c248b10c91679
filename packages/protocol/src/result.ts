import { z } from "zod";
import { CommandSchema, PROTOCOL_VERSION } from "./request.js";

export const RunStatusSchema = z.enum(["succeeded", "failed", "rejected", "interrupted"]);
export type RunStatus = z.infer<typeof RunStatusSchema>;

/** How far a run got: the last phase it entered. */
export const RunPhaseSchema = z.enum([
  "request",
  "workspace",
  "init",
  "workspace-select",
  "command",
  "outputs",
  "done",
]);
export type RunPhase = z.infer<typeof RunPhaseSchema>;

/** What terraform plans to do with one resource. `replace` is delete + create in either order. */
export const ResourceActionSchema = z.enum([
  "no-op",
  "create",
  "read",
  "update",
  "replace",
  "delete",
  "move",
  "import",
  "forget",
]);
export type ResourceAction = z.infer<typeof ResourceActionSchema>;

export const ResourceChangeSchema = z.object({
  /** Full address, e.g. `module.net.aws_vpc.this[0]`. */
  address: z.string(),
  /** Address before a `moved` block, when it moved. */
  previousAddress: z.string().optional(),
  mode: z.enum(["managed", "data"]),
  type: z.string(),
  name: z.string(),
  /** Module address, absent at the root. */
  module: z.string().optional(),
  action: ResourceActionSchema,
  /** Why terraform chose the action (e.g. `tainted`, `cannot_update`), when it says. */
  reason: z.string().optional(),
});
export type ResourceChange = z.infer<typeof ResourceChangeSchema>;

export const PlanSummarySchema = z.object({
  add: z.number().int().nonnegative(),
  change: z.number().int().nonnegative(),
  destroy: z.number().int().nonnegative(),
  import: z.number().int().nonnegative(),
  hasChanges: z.boolean(),
  /** Planned (or applied) changes, one per resource instance; no-ops are left out. */
  resources: z.array(ResourceChangeSchema),
  /** Changes made outside terraform since the last run (`resource_drift`). */
  drift: z.array(ResourceChangeSchema),
});
export type PlanSummary = z.infer<typeof PlanSummarySchema>;

/** One root module output. A sensitive output never carries its value. */
export const OutputValueSchema = z.discriminatedUnion("sensitive", [
  z.object({ sensitive: z.literal(false), type: z.json().optional(), value: z.json() }),
  z.object({ sensitive: z.literal(true), type: z.json().optional() }),
]);
export type OutputValue = z.infer<typeof OutputValueSchema>;

const SourcePositionSchema = z.object({
  line: z.number().int(),
  column: z.number().int(),
  byte: z.number().int().optional(),
});

export const SourceRangeSchema = z.object({
  filename: z.string(),
  start: SourcePositionSchema,
  end: SourcePositionSchema,
});
export type SourceRange = z.infer<typeof SourceRangeSchema>;

export const DiagnosticSchema = z.object({
  severity: z.enum(["error", "warning"]),
  summary: z.string(),
  detail: z.string().optional(),
  /** The resource the diagnostic concerns, when terraform names one. */
  address: z.string().optional(),
  range: SourceRangeSchema.optional(),
  /** The offending source line(s), as terraform quotes them. */
  snippet: z.string().optional(),
});
export type Diagnostic = z.infer<typeof DiagnosticSchema>;

/** Terraform's output, redacted; capped to fit the response, keeping the end. */
export const RunLogSchema = z.object({
  text: z.string(),
  truncated: z.boolean(),
  /** Size of the whole log in bytes, before the cap. */
  bytes: z.number().int().nonnegative(),
});
export type RunLog = z.infer<typeof RunLogSchema>;

/**
 * Machine-readable kinds of failure, in `error.type`. Open-ended: a newer runtime may add kinds,
 * so treat unknown values as generic failures.
 */
export const RUN_ERROR_TYPES = {
  /** The request failed validation: see `error.issues`. */
  invalidRequest: "InvalidRequest",
  /** The code archive was refused (path escape, symlink, too large, bomb-like). */
  unsafeArchive: "UnsafeArchive",
  /** The code could not be fetched (S3 object missing, checksum mismatch, no bundled code). */
  codeUnavailable: "CodeUnavailable",
  /** apply / destroy with state that would vanish with the ephemeral workspace. */
  stateWouldBeLost: "StateWouldBeLost",
  /** A path in the backend or CLI configuration points outside what the runner allows. */
  unsafeConfiguration: "UnsafeConfiguration",
  /** terraform init failed. */
  initFailed: "InitFailed",
  /** The terraform command exited with an error. */
  terraformFailed: "TerraformFailed",
  /** terraform was killed by a signal it did not ask for. */
  terraformKilled: "TerraformKilled",
  /** The invocation deadline came: terraform was interrupted. */
  deadlineExceeded: "DeadlineExceeded",
  /** The workspace could not be prepared (e.g. /tmp is full). */
  workspaceUnavailable: "WorkspaceUnavailable",
  /** A fault in the runtime itself. */
  internal: "Internal",
} as const;
export type RunErrorType = (typeof RUN_ERROR_TYPES)[keyof typeof RUN_ERROR_TYPES];

export const RunErrorSchema = z.object({
  type: z.string(),
  message: z.string(),
  /** For `InvalidRequest`: each problem, by field. */
  issues: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});
export type RunError = z.infer<typeof RunErrorSchema>;

const runResultFields = {
  protocol: z.literal(PROTOCOL_VERSION),
  requestId: z.string(),
  command: CommandSchema,
  /** terraform's exit code for the last command run, null when none ran or it was killed. */
  exitCode: z.number().int().nullable(),
  durationMs: z.number().nonnegative(),
  /** e.g. `OpenTofu v1.6.2` or `Terraform v1.11.4`; null when terraform never ran. */
  terraformVersion: z.string().nullable(),
  phase: RunPhaseSchema,
  /** Plan summary for plan, apply and destroy; null for other commands or when planning did not finish. */
  plan: PlanSummarySchema.nullable(),
  outputs: z.record(z.string(), OutputValueSchema),
  diagnostics: z.array(DiagnosticSchema),
  log: RunLogSchema,
};

export const SucceededRunResultSchema = z.object({ status: z.literal("succeeded"), ...runResultFields });
export const FailedRunResultSchema = z.object({
  status: z.literal("failed"),
  ...runResultFields,
  error: RunErrorSchema,
});
export const InterruptedRunResultSchema = z.object({
  status: z.literal("interrupted"),
  ...runResultFields,
  error: RunErrorSchema,
});
/** A request refused before terraform ran. `command` is null when the request named none that is valid. */
export const RejectedRunResultSchema = z.object({
  status: z.literal("rejected"),
  ...runResultFields,
  command: CommandSchema.nullable(),
  error: RunErrorSchema,
});

/** The typed outcome of one run. Discriminate on `status`. */
export const RunResultSchema = z.discriminatedUnion("status", [
  SucceededRunResultSchema,
  FailedRunResultSchema,
  RejectedRunResultSchema,
  InterruptedRunResultSchema,
]);
export type RunResult = z.infer<typeof RunResultSchema>;
export type SucceededRunResult = z.infer<typeof SucceededRunResultSchema>;
export type FailedRunResult = z.infer<typeof FailedRunResultSchema>;
export type RejectedRunResult = z.infer<typeof RejectedRunResultSchema>;
export type InterruptedRunResult = z.infer<typeof InterruptedRunResultSchema>;

/** Lambda `errorType` values the runtime reports with a non-succeeded result. */
export const FUNCTION_ERROR_TYPES = {
  failed: "TfLambda.Failed",
  rejected: "TfLambda.Rejected",
  interrupted: "TfLambda.Interrupted",
  /** The runtime itself failed; the body may carry no result. */
  runtime: "TfLambda.RuntimeError",
} as const;

/** The `errorType` for a non-succeeded status. */
export function functionErrorTypeFor(status: Exclude<RunStatus, "succeeded">): string {
  return FUNCTION_ERROR_TYPES[status];
}

/**
 * The body the runtime posts to the Runtime API's `/error` for a run that did not succeed: Lambda's
 * `errorType` / `errorMessage`, plus the full typed result, so alarms and failure destinations see an
 * error while a caller still reads the typed result.
 */
export const FunctionErrorBodySchema = z.object({
  errorType: z.string(),
  errorMessage: z.string(),
  result: RunResultSchema.optional(),
});
export type FunctionErrorBody = z.infer<typeof FunctionErrorBodySchema>;
