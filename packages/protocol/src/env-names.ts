/** What a variable name in `env` must look like: a POSIX identifier. */
export const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Names a request may never set: they would change how the runtime, Node, the dynamic loader or terraform
 * itself behave (where it reads its CLI configuration, where it keeps its data, extra CLI arguments), or
 * they carry credentials that belong in `credentials`.
 */
export const DENIED_ENV_NAMES: ReadonlySet<string> = new Set([
  "PATH",
  "HOME",
  "SHELL",
  "ENV",
  "BASH_ENV",
  "IFS",
  "PWD",
  "TMPDIR",
  "NODE_OPTIONS",
  "NODE_PATH",
  "NODE_EXTRA_CA_CERTS",
  "TF_CLI_CONFIG_FILE",
  "TF_DATA_DIR",
  "TF_PLUGIN_CACHE_DIR",
  "TF_PLUGIN_CACHE_MAY_BREAK_DEPENDENCY_LOCK_FILE",
  "TF_WORKSPACE",
  "TF_INPUT",
  "TF_IN_AUTOMATION",
  "TF_LOG",
  "TF_LOG_CORE",
  "TF_LOG_PROVIDER",
  "TF_LOG_PATH",
  "TF_REATTACH_PROVIDERS",
  "TF_STATE_PERSIST_INTERVAL",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_SHARED_CREDENTIALS_FILE",
  "AWS_CONFIG_FILE",
  "AWS_CONTAINER_CREDENTIALS_FULL_URI",
  "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
  "AWS_CONTAINER_AUTHORIZATION_TOKEN",
  "_HANDLER",
  "_X_AMZN_TRACE_ID",
]);

/** Prefixes a request may never set (`LD_PRELOAD`, `AWS_LAMBDA_RUNTIME_API`, `TF_CLI_ARGS_plan`, ...). */
export const DENIED_ENV_PREFIXES: readonly string[] = [
  "LD_",
  "DYLD_",
  "AWS_LAMBDA_",
  "LAMBDA_",
  "TF_CLI_ARGS",
  "TF_LAMBDA_",
  "GODEBUG",
];

/** Why `name` may not be set by a request, or undefined when it may. */
export function envNameProblem(name: string): string | undefined {
  if (!ENV_NAME_PATTERN.test(name)) {
    return "is not a valid environment variable name (letters, digits and '_', not starting with a digit)";
  }
  const upper = name.toUpperCase();
  if (upper === "AWS_ACCESS_KEY_ID" || upper === "AWS_SECRET_ACCESS_KEY" || upper === "AWS_SESSION_TOKEN") {
    return "carries credentials: pass them in `credentials` (or the legacy aws_access_key / aws_secret_key / aws_session_token) instead";
  }
  if (DENIED_ENV_NAMES.has(upper) || DENIED_ENV_PREFIXES.some((prefix) => upper.startsWith(prefix))) {
    return "may not be set by a request: it controls the runtime or terraform itself";
  }
  return undefined;
}

/** True for names whose values are treated as secrets and redacted (`*_TOKEN`, `*PASSWORD*`, `*_SECRET*`...). */
export function isSecretLookingEnvName(name: string): boolean {
  return /(SECRET|PASSWORD|PASSWD|TOKEN|CREDENTIAL|PRIVATE|API_?KEY|ACCESS_?KEY|AUTH)/i.test(name);
}
