import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  type Command,
  type JsonValue,
  MUTATING_COMMANDS,
  type NormalizedBackend,
  RUN_ERROR_TYPES,
  renderBackendFile,
} from "@tf-lambda/protocol";
import { RunRefusedError } from "./errors.js";
import {
  firstPathOutside,
  isInside,
  isPathAttributeName,
  pathAttributeValues,
  resolveConfigPath,
} from "./path-safety.js";

/** The override file that carries a typed backend block (it replaces a backend the code declares). */
export const BACKEND_OVERRIDE_FILE = "tf_lambda_backend_override.tf";
/** Where the legacy backend text holding a `terraform` block goes, as the article wrote it. */
export const LEGACY_BACKEND_FILE = "backend.tf";

export interface BackendContext {
  command: Command;
  workspaceRoot: string;
  codeDirectory: string;
  homeDirectory: string;
  /** Local mode's persistent state directory. */
  localStateDirectory: string | undefined;
}

function stateWouldBeLost(detail: string): RunRefusedError {
  return new RunRefusedError(
    RUN_ERROR_TYPES.stateWouldBeLost,
    `refusing to ${"apply or destroy"} ${detail}: the state would be written inside the run's ephemeral workspace and lost when the invocation ends. Configure a remote backend (for example s3, in the code or in the request's backend).`,
  );
}

function pathsOfBlock(config: Record<string, JsonValue>): string[] {
  const paths: string[] = [];
  for (const [name, value] of Object.entries(config)) {
    if (!isPathAttributeName(name)) continue;
    for (const item of Array.isArray(value) ? value : [value]) if (typeof item === "string") paths.push(item);
  }
  return paths;
}

/** The backend type a text declares (`backend "s3" {`), if any. */
export function declaredBackendType(text: string): string | undefined {
  return (
    /\bbackend\s*"([A-Za-z0-9_-]+)"/.exec(text)?.[1] ??
    /"backend"\s*:\s*\{\s*"([A-Za-z0-9_-]+)"/.exec(text)?.[1]
  );
}

/** The backend the root module's code declares (`backend "TYPE"` or a `cloud` block), if any. */
export async function codeBackendType(codeDirectory: string): Promise<string | undefined> {
  const names = await readdir(codeDirectory).catch(() => [] as string[]);
  for (const name of names.filter((file) => file.endsWith(".tf") || file.endsWith(".tf.json")).sort()) {
    const text = await readFile(join(codeDirectory, name), "utf8").catch(() => "");
    const type = declaredBackendType(text);
    if (type) return type;
    if (/(^|\n)\s*cloud\s*\{/.test(text) || /"cloud"\s*:/.test(text)) return "cloud";
  }
  return undefined;
}

/**
 * Writes the request's backend into the workspace and checks it is safe: paths stay inside the workspace (or local
 * mode's state directory), and apply / destroy never keep state in the ephemeral workspace. Returns the
 * `-backend-config` file to pass to init, if any. Throws RunRefusedError.
 *
 * @example
 * await setUpBackend({ type: "block", backendType: "s3", config: { bucket: "b", key: "k" } }, context);
 */
export async function setUpBackend(
  backend: NormalizedBackend,
  context: BackendContext,
): Promise<string | undefined> {
  const mutating = MUTATING_COMMANDS.has(context.command);
  const allowed = [
    context.workspaceRoot,
    ...(context.localStateDirectory ? [context.localStateDirectory] : []),
  ];
  const checkPaths = (paths: string[]) => {
    const outside = firstPathOutside(paths, allowed, context.codeDirectory, context.homeDirectory);
    if (outside !== undefined) {
      throw new RunRefusedError(
        RUN_ERROR_TYPES.unsafeConfiguration,
        `the backend configuration names the path ${JSON.stringify(outside)}, outside the run's workspace${context.localStateDirectory ? " and the local state directory" : ""}`,
      );
    }
  };

  switch (backend.type) {
    case "block": {
      checkPaths(pathsOfBlock(backend.config));
      await writeFile(
        join(context.codeDirectory, BACKEND_OVERRIDE_FILE),
        renderBackendFile(backend.backendType, backend.config),
      );
      return undefined;
    }
    case "file": {
      checkPaths(pathAttributeValues(backend.hcl));
      await writeFile(join(context.codeDirectory, LEGACY_BACKEND_FILE), backend.hcl);
      return undefined;
    }
    case "partial": {
      checkPaths(pathAttributeValues(backend.hcl));
      const file = join(context.workspaceRoot, "backend.tfbackend");
      await writeFile(file, backend.hcl);
      return file;
    }
    case "none": {
      const declared = await codeBackendType(context.codeDirectory);
      if (declared !== undefined) return undefined;
      if (context.localStateDirectory) {
        await writeFile(
          join(context.codeDirectory, BACKEND_OVERRIDE_FILE),
          renderBackendFile("local", {
            path: join(context.localStateDirectory, "terraform.tfstate"),
            workspace_dir: join(context.localStateDirectory, "terraform.tfstate.d"),
          }),
        );
        return undefined;
      }
      if (mutating) throw stateWouldBeLost("with no backend");
      return undefined;
    }
  }
}

/**
 * After init, checks the backend terraform actually configured (`.terraform/terraform.tfstate`): a local backend's
 * paths must stay inside the workspace or the local state directory, and apply / destroy need state that outlives
 * the workspace. Throws RunRefusedError.
 */
export async function checkInitializedBackend(context: BackendContext): Promise<void> {
  let type = "local";
  let config: Record<string, unknown> = {};
  try {
    const saved = JSON.parse(
      await readFile(join(context.codeDirectory, ".terraform", "terraform.tfstate"), "utf8"),
    ) as {
      backend?: { type?: string; config?: Record<string, unknown> };
    };
    if (saved.backend?.type) {
      type = saved.backend.type;
      config = saved.backend.config ?? {};
    }
  } catch {
    // no backend recorded: terraform's default local state in the working directory
  }
  if (type !== "local") return;
  const resolve = (path: unknown, fallback: string) =>
    resolveConfigPath(
      typeof path === "string" && path !== "" ? path : fallback,
      context.codeDirectory,
      context.homeDirectory,
    );
  const paths = [
    resolve(config.path, "terraform.tfstate"),
    resolve(config.workspace_dir, "terraform.tfstate.d"),
  ];
  const inState = (path: string) =>
    context.localStateDirectory !== undefined && isInside(path, context.localStateDirectory);
  for (const path of paths) {
    if (!isInside(path, context.workspaceRoot) && !inState(path)) {
      throw new RunRefusedError(
        RUN_ERROR_TYPES.unsafeConfiguration,
        `the local backend keeps state at ${path}, outside the run's workspace${context.localStateDirectory ? " and the local state directory" : ""}`,
      );
    }
  }
  if (MUTATING_COMMANDS.has(context.command) && !paths.every(inState)) {
    throw stateWouldBeLost(
      context.localStateDirectory
        ? "with a local backend outside the local state directory"
        : "with a local backend",
    );
  }
}
