export {
  type BackendContext,
  checkInitializedBackend,
  codeBackendType,
  declaredBackendType,
  setUpBackend,
} from "./backend-setup.js";
export {
  buildChildEnvironment,
  type ChildEnvironmentInput,
  INHERITED_ENV_NAMES,
} from "./child-environment.js";
export { cliConfigJsonToHcl, composeCliConfig } from "./cli-configuration.js";
export { fetchS3Object, materializeCode, s3ObjectUrl } from "./code-source.js";
export { type DeadlinePlan, planDeadline } from "./deadline.js";
export { RunRefusedError, RuntimeApiError, TfLambdaRuntimeError } from "./errors.js";
export { type ArchiveLimits, checkEntryPath, extractZip } from "./extract-zip.js";
export { answerFor, type InvocationAnswer, runtimeFaultAnswer } from "./invocation-response.js";
export { type RuntimeEvent, type RuntimeLogger, stdoutLogger } from "./log-event.js";
export {
  describeDiagnostic,
  diagnosticOf,
  diagnosticsFromText,
  humanLineOf,
  type MachineMessage,
  MachineOutputCollector,
  outputsOf,
  parseMachineLine,
  resourceChangeOf,
  validateDiagnosticsOf,
} from "./machine-output.js";
export { firstPathOutside, isInside, pathAttributeValues, pathLikeStrings } from "./path-safety.js";
export { cliConfigSecrets, REDACTED, Redactor, redactorFor } from "./redactor.js";
export { fitResult, redactDeep } from "./result-fit.js";
export { type RunContext, type RunTimings, runInvocation } from "./run-invocation.js";
export { CappedLog } from "./run-log.js";
export { type Invocation, RuntimeApiClient } from "./runtime-api.js";
export { type RuntimeConfig, readRuntimeConfig } from "./runtime-config.js";
export { type LoopOptions, postAnswer, type RuntimeApi, runLoop } from "./runtime-loop.js";
export { removeStaleWorkspaces, workspacePrefix } from "./stale-workspaces.js";
export { commandArguments, initArguments, workspaceArguments } from "./terraform-arguments.js";
export {
  runTerraformProcess,
  type TerraformExit,
  type TerraformProcessOptions,
} from "./terraform-process.js";
export { terraformVersion } from "./terraform-version.js";
