import { accessSync, constants } from "node:fs";
import { homedir } from "node:os";
import { delimiter, join } from "node:path";

/** The real components the integration tests run against. */
export type ToolName = "terraform" | "emulator" | "moto";

/** Versions pinned in scripts/lib.sh; keep the two in step. */
const OPENTOFU_VERSION = "v1.6.2";
const RIE_VERSION = "v0.0.0-20261030222936-bef5c4ba774d";

const INSTALL_HINT = "run `pnpm tools` (bash scripts/install-tools.sh) to install it";

export function cacheDirectory(): string {
  return (
    process.env.TF_LAMBDA_CACHE_DIR ??
    join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "tf-lambda")
  );
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string): string | undefined {
  for (const directory of (process.env.PATH ?? "").split(delimiter)) {
    if (!directory) continue;
    const candidate = join(directory, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

const lookups: Record<ToolName, { envVar: string; names: string[]; cached: () => string; what: string }> = {
  terraform: {
    envVar: "TF_LAMBDA_TERRAFORM_BIN",
    names: ["tofu", "terraform"],
    cached: () => join(cacheDirectory(), `opentofu-${OPENTOFU_VERSION}`, "tofu"),
    what: "a Terraform-compatible CLI (tofu or terraform)",
  },
  emulator: {
    envVar: "TF_LAMBDA_RIE_BIN",
    names: ["aws-lambda-rie"],
    cached: () => join(cacheDirectory(), `rie-${RIE_VERSION}`, "aws-lambda-rie"),
    what: "the AWS Lambda Runtime Interface Emulator (aws-lambda-rie)",
  },
  moto: {
    envVar: "TF_LAMBDA_MOTO_SERVER_BIN",
    names: ["moto_server"],
    cached: () => join(cacheDirectory(), "moto-venv", "bin", "moto_server"),
    what: "moto's server (moto_server)",
  },
};

/** Where a tool is: its env var, then PATH, then the cache the install script fills. Undefined when missing. */
export function findTool(name: ToolName): string | undefined {
  const lookup = lookups[name];
  const fromEnv = process.env[lookup.envVar];
  if (fromEnv && isExecutable(fromEnv)) return fromEnv;
  for (const candidate of lookup.names) {
    const found = onPath(candidate);
    if (found) return found;
  }
  const cached = lookup.cached();
  return isExecutable(cached) ? cached : undefined;
}

/** The message for a missing tool: what is missing and how to get it. */
export function missingToolMessage(name: ToolName): string {
  const lookup = lookups[name];
  return `${lookup.what} was not found (checked $${lookup.envVar}, PATH and ${lookup.cached()}): ${INSTALL_HINT}`;
}

const warned = new Set<ToolName>();

/**
 * The tool's path, or undefined when it is missing. Under CI=true a missing tool throws: CI must never
 * pass by skipping. Elsewhere the caller skips its tests, and the reason is printed loudly once.
 *
 * @example
 * const terraform = toolOrSkip("terraform");
 * describe.runIf(terraform)("plan", () => { ... });
 */
export function toolOrSkip(name: ToolName): string | undefined {
  const path = findTool(name);
  if (path) return path;
  const message = missingToolMessage(name);
  if (process.env.CI === "true") throw new Error(`CI=true and ${message}`);
  if (!warned.has(name)) {
    warned.add(name);
    console.warn(`\n\u001b[33m[tf-lambda tests] SKIPPING tests that need ${name}: ${message}\u001b[0m\n`);
  }
  return undefined;
}

/** The tool's path; throws with the install hint when it is missing. */
export function requireTool(name: ToolName): string {
  const path = findTool(name);
  if (!path) throw new Error(missingToolMessage(name));
  return path;
}
