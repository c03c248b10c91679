import type { Command, RunOptions } from "@tf-lambda/protocol";

/** The `init` arguments. `validate` initialises without a backend: it needs no state. */
export function initArguments(
  command: Command,
  options: RunOptions,
  backendConfigFile: string | undefined,
): string[] {
  const args = ["init", "-input=false", "-no-color"];
  if (command === "validate") args.push("-backend=false");
  else if (backendConfigFile) args.push(`-backend-config=${backendConfigFile}`);
  if (options.upgrade) args.push("-upgrade");
  if (command !== "validate") args.push(...lockArguments(options));
  return args;
}

function lockArguments(options: RunOptions): string[] {
  const args: string[] = [];
  if (options.lock === false) args.push("-lock=false");
  if (options.lockTimeout !== undefined) args.push(`-lock-timeout=${options.lockTimeout}`);
  return args;
}

/**
 * The arguments of the command itself, one flag per option. Values come from schema-checked fields (addresses
 * cannot start with '-') and are passed as single `-flag=value` arguments, never through a shell.
 *
 * @example
 * commandArguments("plan", { targets: ["terraform_data.a"], refresh: false });
 * // ["plan", "-input=false", "-no-color", "-json", "-detailed-exitcode", "-target=terraform_data.a", "-refresh=false"]
 */
export function commandArguments(command: Command, options: RunOptions): string[] {
  switch (command) {
    case "plan":
      return [
        "plan",
        "-input=false",
        "-no-color",
        "-json",
        "-detailed-exitcode",
        ...changeArguments(options),
      ];
    case "apply":
      return ["apply", "-input=false", "-no-color", "-json", "-auto-approve", ...changeArguments(options)];
    case "destroy":
      return ["destroy", "-input=false", "-no-color", "-json", "-auto-approve", ...changeArguments(options)];
    case "validate":
      return ["validate", "-no-color", "-json"];
    case "output":
      return ["output", "-no-color", "-json"];
    case "init":
      return [];
  }
}

function changeArguments(options: RunOptions): string[] {
  const args: string[] = [];
  for (const target of options.targets ?? []) args.push(`-target=${target}`);
  for (const address of options.replace ?? []) args.push(`-replace=${address}`);
  if (options.refresh === false) args.push("-refresh=false");
  if (options.refreshOnly) args.push("-refresh-only");
  if (options.parallelism !== undefined) args.push(`-parallelism=${options.parallelism}`);
  args.push(...lockArguments(options));
  return args;
}

/** `workspace select -or-create NAME` (terraform >= 1.4, OpenTofu >= 1.6). */
export function workspaceArguments(workspace: string): string[] {
  return ["workspace", "select", "-no-color", "-or-create", workspace];
}
