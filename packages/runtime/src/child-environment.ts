import type { Credentials } from "@tf-lambda/protocol";

/** Names copied from the runtime's environment into terraform's, when set. Nothing else is inherited. */
export const INHERITED_ENV_NAMES: readonly string[] = [
  "PATH",
  "LANG",
  "LC_ALL",
  "TZ",
  "AWS_REGION",
  "AWS_DEFAULT_REGION",
  "AWS_LAMBDA_FUNCTION_NAME",
  "AWS_LAMBDA_FUNCTION_VERSION",
  "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
  "SSL_CERT_FILE",
  "SSL_CERT_DIR",
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "NO_PROXY",
];

/** Prefixes copied from the runtime's environment: endpoint overrides (tests point them at moto). */
const INHERITED_ENV_PREFIXES: readonly string[] = ["AWS_ENDPOINT_URL"];

/** The function's own role credentials, passed on only when the request brings none. */
const ROLE_CREDENTIAL_NAMES: readonly string[] = [
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
];

export interface ChildEnvironmentInput {
  /** The runtime's own environment (read, never changed). */
  runtimeEnv: NodeJS.ProcessEnv;
  /** The request's env (names already validated by the protocol). */
  requestEnv: Readonly<Record<string, string>>;
  credentials: Credentials | undefined;
  homeDirectory: string;
  temporaryDirectory: string;
  cliConfigFile: string;
  pluginCacheDirectory: string;
  traceId: string | undefined;
  debug: boolean;
}

/**
 * Terraform's environment, built from scratch: an allowlist of the runtime's variables, the request's env and
 * credentials, then the variables the runtime controls (which a request cannot override).
 *
 * @example
 * const env = buildChildEnvironment({ runtimeEnv: process.env, requestEnv: { TF_VAR_x: "1" }, ... });
 * env.TF_IN_AUTOMATION; // "1"
 */
export function buildChildEnvironment(input: ChildEnvironmentInput): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.runtimeEnv)) {
    if (value === undefined) continue;
    if (
      INHERITED_ENV_NAMES.includes(name) ||
      INHERITED_ENV_PREFIXES.some((prefix) => name.startsWith(prefix))
    ) {
      env[name] = value;
    }
  }
  if (!input.credentials) {
    for (const name of ROLE_CREDENTIAL_NAMES) {
      const value = input.runtimeEnv[name];
      if (value) env[name] = value;
    }
  }
  Object.assign(env, input.requestEnv);
  if (input.credentials) {
    env.AWS_ACCESS_KEY_ID = input.credentials.accessKeyId;
    env.AWS_SECRET_ACCESS_KEY = input.credentials.secretAccessKey;
    if (input.credentials.sessionToken) env.AWS_SESSION_TOKEN = input.credentials.sessionToken;
  }
  env.PATH ??= "/usr/local/bin:/usr/bin:/bin";
  env.HOME = input.homeDirectory;
  env.TMPDIR = input.temporaryDirectory;
  env.TF_IN_AUTOMATION = "1";
  env.TF_INPUT = "0";
  env.CHECKPOINT_DISABLE = "1";
  env.TF_CLI_CONFIG_FILE = input.cliConfigFile;
  env.TF_PLUGIN_CACHE_DIR = input.pluginCacheDirectory;
  if (input.traceId) env._X_AMZN_TRACE_ID = input.traceId;
  if (input.debug) env.TF_LOG = "DEBUG";
  return env;
}
