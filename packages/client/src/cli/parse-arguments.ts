import { type ParseArgsConfig, parseArgs } from "node:util";

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig["options"]>;

import { type Command, CommandSchema } from "@tf-lambda/protocol";
import { UsageError } from "../errors.js";

/** What the command line asks for. */
export type CliInvocation =
  | { kind: "help" }
  | { kind: "version" }
  | { kind: "serve"; flags: ServeFlags }
  | { kind: "run"; local: boolean; command: Command; flags: RunFlags };

export interface RunFlags {
  functionName: string | undefined;
  dir: string | undefined;
  backendType: string | undefined;
  backendConfig: [string, string][];
  vars: [string, string][];
  varFiles: string[];
  assumeRole: string | undefined;
  externalId: string | undefined;
  region: string | undefined;
  endpoint: string | undefined;
  json: boolean;
  detailedExitcode: boolean;
  log: boolean;
  targets: string[];
  replace: string[];
  workspace: string | undefined;
  stagingBucket: string | undefined;
  qualifier: string | undefined;
  stateDir: string | undefined;
  timeoutSeconds: number | undefined;
  noColor: boolean;
  verbose: boolean;
}

export interface ServeFlags {
  port: number | undefined;
  host: string | undefined;
  stateDir: string | undefined;
  timeoutSeconds: number | undefined;
  bundledDir: string | undefined;
}

export const USAGE = `Usage:
  tf-lambda <command> [flags]          run in a tf-lambda Lambda function (--function)
  tf-lambda local <command> [flags]    run on this machine with the local runner (no AWS account)
  tf-lambda serve [--port N] [--state-dir DIR]
                                       serve the Lambda Invoke API locally for TerraformRunnerClient({ endpoint })

Commands: plan, apply, destroy, validate, init, output

Flags:
  --function NAME           the function name or ARN (or $TF_LAMBDA_FUNCTION)
  --dir PATH                the configuration directory to pack and send (default: the image's bundled code;
                            for "local": the current directory)
  --backend-type TYPE       backend type for --backend-config (default s3)
  --backend-config K=V      a backend setting; repeat for more
  --var K=V                 an input variable (JSON for lists and objects); repeat for more
  --var-file PATH           a .tfvars or .tfvars.json file; repeat for more
  --target ADDRESS          limit to a resource; repeat for more
  --replace ADDRESS         force replacement of a resource; repeat for more
  --workspace NAME          the terraform workspace
  --assume-role ARN         assume this role (STS) and run with its credentials; --external-id ID
  --region REGION           AWS region of the function
  --endpoint URL            an Invoke API endpoint (a local runner or the emulator)
  --qualifier VERSION       a function version or alias
  --staging-bucket BUCKET   bucket for code over the 6 MB payload limit
  --state-dir DIR           local: where state is kept (default <dir>/.tf-lambda/state)
  --timeout SECONDS         local and serve: the function timeout (default 900)
  --json                    print the result as JSON
  --detailed-exitcode       exit 2 when the plan has changes
  --log                     print terraform's log
  --no-color                no colors (also NO_COLOR)
  --verbose                 local: print the runtime's own output
  -h, --help                this help;  --version  the version

Exit codes: 0 success, 1 failure (or a bad command line), 2 changes present (with --detailed-exitcode).`;

const RUN_OPTIONS = {
  function: { type: "string" },
  dir: { type: "string" },
  "backend-type": { type: "string" },
  "backend-config": { type: "string", multiple: true },
  var: { type: "string", multiple: true },
  "var-file": { type: "string", multiple: true },
  "assume-role": { type: "string" },
  "external-id": { type: "string" },
  region: { type: "string" },
  endpoint: { type: "string" },
  json: { type: "boolean" },
  "detailed-exitcode": { type: "boolean" },
  log: { type: "boolean" },
  target: { type: "string", multiple: true },
  replace: { type: "string", multiple: true },
  workspace: { type: "string" },
  "staging-bucket": { type: "string" },
  qualifier: { type: "string" },
  "state-dir": { type: "string" },
  timeout: { type: "string" },
  "no-color": { type: "boolean" },
  verbose: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

const SERVE_OPTIONS = {
  port: { type: "string" },
  host: { type: "string" },
  "state-dir": { type: "string" },
  timeout: { type: "string" },
  "bundled-dir": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/**
 * Reads the `tf-lambda` command line. Throws {@link UsageError} with a message naming the problem.
 *
 * @example
 * parseCommandLine(["plan", "--function", "tf-lambda", "--dir", "./infra"]);
 */
export function parseCommandLine(argv: readonly string[]): CliInvocation {
  const [first, ...rest] = argv;
  if (first === undefined || first === "help" || first === "--help" || first === "-h")
    return { kind: "help" };
  if (first === "--version" || first === "version") return { kind: "version" };
  if (first === "serve") {
    const { values } = parseStrict(rest, SERVE_OPTIONS, "serve");
    if (values.help) return { kind: "help" };
    return {
      kind: "serve",
      flags: {
        port: values.port === undefined ? undefined : integer("--port", values.port, 0, 65_535),
        host: values.host,
        stateDir: values["state-dir"],
        timeoutSeconds:
          values.timeout === undefined ? undefined : integer("--timeout", values.timeout, 1, 900),
        bundledDir: values["bundled-dir"],
      },
    };
  }
  const local = first === "local";
  const [commandName, ...flags] = local ? rest : [first, ...rest];
  if (commandName === undefined)
    throw new UsageError("tf-lambda local needs a command: plan, apply, destroy, validate, init or output");
  const command = CommandSchema.safeParse(commandName);
  if (!command.success) {
    throw new UsageError(
      `unknown command '${commandName}': expected plan, apply, destroy, validate, init, output, local or serve`,
    );
  }
  const { values } = parseStrict(flags, RUN_OPTIONS, commandName);
  if (values.help) return { kind: "help" };
  return {
    kind: "run",
    local,
    command: command.data,
    flags: {
      functionName: values.function,
      dir: values.dir,
      backendType: values["backend-type"],
      backendConfig: (values["backend-config"] ?? []).map((pair) => keyValue("--backend-config", pair)),
      vars: (values.var ?? []).map((pair) => keyValue("--var", pair)),
      varFiles: values["var-file"] ?? [],
      assumeRole: values["assume-role"],
      externalId: values["external-id"],
      region: values.region,
      endpoint: values.endpoint,
      json: values.json ?? false,
      detailedExitcode: values["detailed-exitcode"] ?? false,
      log: values.log ?? false,
      targets: values.target ?? [],
      replace: values.replace ?? [],
      workspace: values.workspace,
      stagingBucket: values["staging-bucket"],
      qualifier: values.qualifier,
      stateDir: values["state-dir"],
      timeoutSeconds: values.timeout === undefined ? undefined : integer("--timeout", values.timeout, 1, 900),
      noColor: values["no-color"] ?? false,
      verbose: values.verbose ?? false,
    },
  };
}

function parseStrict<T extends ParseArgsOptionsConfig>(args: readonly string[], options: T, command: string) {
  try {
    return parseArgs({ args: [...args], options, strict: true, allowPositionals: false });
  } catch (error) {
    const message = (error as Error).message.replace(/\. To specify a positional argument.*$/s, "");
    throw new UsageError(`${command}: ${message}`, { cause: error });
  }
}

function keyValue(flag: string, pair: string): [string, string] {
  const index = pair.indexOf("=");
  if (index <= 0) throw new UsageError(`${flag} takes KEY=VALUE, got '${pair}'`);
  return [pair.slice(0, index), pair.slice(index + 1)];
}

function integer(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`${flag} takes a whole number from ${min} to ${max}, got '${text}'`);
  }
  return value;
}
