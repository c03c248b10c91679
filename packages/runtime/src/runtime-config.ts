import { accessSync, constants } from "node:fs";
import { delimiter, isAbsolute, join, resolve } from "node:path";
import { RESULT_LIMITS } from "@tf-lambda/protocol";
import { TfLambdaRuntimeError } from "./errors.js";

/** How the runtime is set up. Read once from the runtime's own environment, never from a payload. */
export interface RuntimeConfig {
  /** `host:port` of the Lambda Runtime API. */
  runtimeApi: string;
  /** Path (or PATH name) of terraform / tofu. */
  terraformBinary: string;
  /** The configuration baked into the image, used when a request brings no code. */
  bundledCodeDirectory: string;
  /** A CLI configuration baked into the image (e.g. a provider mirror); the request's is appended after it. */
  baseCliConfigFile: string | undefined;
  /** The provider plugin cache, the only thing shared across warm invocations. */
  pluginCacheDirectory: string;
  /** Where each invocation's workspace is created. */
  workRoot: string;
  /** Local mode: the persistent state directory. Undefined in Lambda. */
  localStateDirectory: string | undefined;
  /** Fixed deadline grace in ms, or undefined for the default that scales with the invocation's time. */
  deadlineGraceMs: number | undefined;
  /** Log bytes kept in a result. */
  logBytes: number;
}

function executableOnPath(name: string, path: string | undefined): string | undefined {
  for (const directory of (path ?? "").split(delimiter)) {
    if (!directory) continue;
    const candidate = join(directory, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const text = env[name];
  if (text === undefined || text === "") return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) {
    throw new TfLambdaRuntimeError(`${name} must be a non-negative integer, got ${JSON.stringify(text)}`);
  }
  return value;
}

function absoluteDirectory(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const value = env[name];
  if (value === undefined || value === "") return fallback;
  if (!isAbsolute(value)) throw new TfLambdaRuntimeError(`${name} must be an absolute path, got ${value}`);
  return resolve(value);
}

/**
 * Reads the runtime configuration from its environment (`TF_LAMBDA_*`). Throws TfLambdaRuntimeError on a bad value.
 *
 * @example
 * const config = readRuntimeConfig(process.env);
 * config.workRoot; // "/tmp"
 */
export function readRuntimeConfig(env: NodeJS.ProcessEnv): RuntimeConfig {
  const runtimeApi = env.AWS_LAMBDA_RUNTIME_API;
  if (!runtimeApi)
    throw new TfLambdaRuntimeError("AWS_LAMBDA_RUNTIME_API is not set: not running under Lambda");
  const terraformBinary =
    env.TF_LAMBDA_TERRAFORM_BIN ||
    executableOnPath("terraform", env.PATH) ||
    executableOnPath("tofu", env.PATH) ||
    "terraform";
  const localState = env.TF_LAMBDA_LOCAL_STATE_DIR;
  return {
    runtimeApi,
    terraformBinary,
    bundledCodeDirectory: absoluteDirectory(env, "TF_LAMBDA_BUNDLED_CODE_DIR", "/opt/tf-lambda/code"),
    baseCliConfigFile: env.TF_LAMBDA_CLI_CONFIG_FILE || undefined,
    pluginCacheDirectory: absoluteDirectory(env, "TF_LAMBDA_PLUGIN_CACHE_DIR", "/tmp/tf-lambda-plugin-cache"),
    workRoot: absoluteDirectory(env, "TF_LAMBDA_WORK_ROOT", "/tmp"),
    localStateDirectory: localState ? absoluteDirectory(env, "TF_LAMBDA_LOCAL_STATE_DIR", "") : undefined,
    deadlineGraceMs: positiveInteger(env, "TF_LAMBDA_DEADLINE_GRACE_MS"),
    logBytes: positiveInteger(env, "TF_LAMBDA_LOG_BYTES") ?? RESULT_LIMITS.defaultLogBytes,
  };
}
