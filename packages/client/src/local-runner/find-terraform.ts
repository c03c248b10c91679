import { accessSync, constants } from "node:fs";
import { homedir } from "node:os";
import { delimiter, join } from "node:path";
import { LocalRunnerError } from "../errors.js";

/** The OpenTofu version `scripts/install-tools.sh` builds into the cache. */
const CACHED_OPENTOFU = "opentofu-v1.6.2";

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Where tf-lambda caches tools: `$TF_LAMBDA_CACHE_DIR`, else `$XDG_CACHE_HOME/tf-lambda`, else `~/.cache/tf-lambda`. */
export function toolCacheDirectory(env: NodeJS.ProcessEnv = process.env): string {
  return env.TF_LAMBDA_CACHE_DIR ?? join(env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "tf-lambda");
}

/**
 * The terraform binary the local runner uses: `$TF_LAMBDA_TERRAFORM_BIN`, else `tofu` or `terraform` on PATH,
 * else the OpenTofu that `scripts/install-tools.sh` caches. Throws {@link LocalRunnerError} when none exists.
 *
 * @example
 * const terraform = findTerraformBinary(); // "/usr/local/bin/terraform"
 */
export function findTerraformBinary(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.TF_LAMBDA_TERRAFORM_BIN;
  if (configured) {
    if (isExecutable(configured)) return configured;
    throw new LocalRunnerError(`TF_LAMBDA_TERRAFORM_BIN=${configured} is not an executable file`);
  }
  for (const name of ["tofu", "terraform"]) {
    for (const directory of (env.PATH ?? "").split(delimiter)) {
      if (directory && isExecutable(join(directory, name))) return join(directory, name);
    }
  }
  const cached = join(toolCacheDirectory(env), CACHED_OPENTOFU, "tofu");
  if (isExecutable(cached)) return cached;
  throw new LocalRunnerError(
    `no terraform binary found: set TF_LAMBDA_TERRAFORM_BIN, put tofu or terraform on PATH, or run ` +
      `\`bash scripts/install-tools.sh terraform\` to build OpenTofu into ${cached}`,
  );
}
