export type {
  Credentials,
  Diagnostic,
  PlanSummary,
  ResourceChange,
  RunResult,
  RunStatus,
} from "@tf-lambda/protocol";
export { type AssumeRoleOptions, assumeRole } from "./assume-role.js";
export {
  type BackendAssumeRole,
  type BackendEndpoints,
  type BackendInput,
  type BuiltBackend,
  backendBlock,
  hclBackend,
  renderBackend,
  type S3BackendOptions,
  s3Backend,
} from "./backend.js";
export { type CliConfigOptions, cliConfig, type ProviderInstallation } from "./cli-config.js";
export {
  AssumeRoleError,
  type ClientErrorOptions,
  FunctionError,
  FunctionTimeoutError,
  InvalidRunInputError,
  InvokeError,
  LocalRunnerError,
  PackError,
  PayloadTooLargeError,
  StagingError,
  TfLambdaClientError,
  UnexpectedResponseError,
  UsageError,
} from "./errors.js";
export {
  type AccountContext,
  type AccountOutcome,
  type AccountReport,
  type AccountTarget,
  type ForEachAccountOptions,
  forEachAccount,
} from "./for-each-account.js";
export { findTerraformBinary } from "./local-runner/find-terraform.js";
export {
  LOCAL_RUNNER_INHERITED_ENV,
  type LocalRunner,
  type LocalRunnerOptions,
  startLocalRunner,
} from "./local-runner/local-runner.js";
export { RUNTIME_NODE_OPTIONS, runtimeBundlePath, runtimeCommand } from "./local-runner/runtime-bundle.js";
export { DEFAULT_EXCLUDES, type PackedDirectory, type PackOptions, packDirectory } from "./pack-directory.js";
export type { CodeInput, CommandRunInput, InvocationType, RunInput } from "./run-input.js";
export { stagedCodeKey } from "./stage-code.js";
export {
  type AcceptedInvocation,
  type RunOutcome,
  TerraformRunnerClient,
  type TerraformRunnerClientOptions,
} from "./terraform-runner-client.js";
