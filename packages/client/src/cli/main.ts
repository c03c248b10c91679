import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, join, resolve } from "node:path";
import type { Command, JsonValue, RunResult } from "@tf-lambda/protocol";
import { assumeRole } from "../assume-role.js";
import { type BackendInput, backendBlock } from "../backend.js";
import { TfLambdaClientError, UsageError } from "../errors.js";
import { type LocalRunner, startLocalRunner } from "../local-runner/local-runner.js";
import type { RunInput } from "../run-input.js";
import { TerraformRunnerClient } from "../terraform-runner-client.js";
import {
  type CliInvocation,
  parseCommandLine,
  type RunFlags,
  type ServeFlags,
  USAGE,
} from "./parse-arguments.js";
import { startProgress } from "./progress.js";
import { COLORS, NO_COLORS, renderResult, type Style } from "./render-result.js";

/** Where the CLI writes and what it reads from its environment. */
export interface CliIo {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
}

const PRESENT_TENSE: Record<string, string> = {
  plan: "planning",
  apply: "applying",
  destroy: "destroying",
  validate: "validating",
  init: "initializing",
  output: "reading outputs",
};

/**
 * Runs the `tf-lambda` command line and resolves to its exit code: 0 success, 1 failure or a bad command
 * line, 2 changes present with `--detailed-exitcode`.
 *
 * @example
 * process.exitCode = await runCli(process.argv.slice(2));
 */
export async function runCli(
  argv: readonly string[],
  io: CliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env },
): Promise<number> {
  let invocation: CliInvocation;
  try {
    invocation = parseCommandLine(argv);
  } catch (error) {
    return reportError(error, io);
  }
  try {
    switch (invocation.kind) {
      case "help":
        io.stdout.write(`${USAGE}\n`);
        return 0;
      case "version":
        io.stdout.write(`${packageVersion()}\n`);
        return 0;
      case "serve":
        return await serve(invocation.flags, io);
      case "run":
        return await runCommand(invocation.local, invocation.command, invocation.flags, io);
    }
  } catch (error) {
    return reportError(error, io);
  }
}

function reportError(error: unknown, io: CliIo): number {
  const style = styleFor(io, false, io.stderr);
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(`${style.red(style.bold("Error:"))} ${message}\n`);
  if (UsageError.isInstance(error)) io.stderr.write("Run `tf-lambda --help` for usage.\n");
  else if (!TfLambdaClientError.isInstance(error) && error instanceof Error && error.stack) {
    io.stderr.write(`${style.dim(error.stack)}\n`);
  }
  return 1;
}

/** Colors for what goes to `stream` (stdout by default): only on a terminal, never with NO_COLOR. */
function styleFor(io: CliIo, noColor: boolean, stream: NodeJS.WriteStream = io.stdout): Style {
  const forced = io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== "0";
  if (noColor || io.env.NO_COLOR) return NO_COLORS;
  return forced || stream.isTTY ? COLORS : NO_COLORS;
}

function packageVersion(): string {
  const manifest = createRequire(import.meta.url)("../package.json") as { version: string };
  return manifest.version;
}

async function serve(flags: ServeFlags, io: CliIo): Promise<number> {
  const runner = await startLocalRunner({
    ...(flags.port === undefined ? {} : { port: flags.port }),
    ...(flags.host === undefined ? {} : { host: flags.host }),
    ...(flags.stateDir === undefined ? {} : { stateDir: flags.stateDir }),
    ...(flags.timeoutSeconds === undefined ? {} : { timeoutSeconds: flags.timeoutSeconds }),
    ...(flags.bundledDir === undefined ? {} : { bundledCodeDir: flags.bundledDir }),
    onRuntimeOutput: (text) => io.stderr.write(text),
  });
  io.stdout.write(
    `tf-lambda local runner listening on ${runner.endpoint}\n` +
      `  Invoke API: POST ${runner.endpoint}/2015-03-31/functions/<any name>/invocations\n` +
      `  state: ${flags.stateDir ? resolve(flags.stateDir) : "none (apply and destroy need a backend)"}\n`,
  );
  await new Promise<void>((resolveSignal) => {
    process.once("SIGINT", () => resolveSignal());
    process.once("SIGTERM", () => resolveSignal());
  });
  await runner.stop();
  return 0;
}

async function runCommand(local: boolean, command: Command, flags: RunFlags, io: CliIo): Promise<number> {
  const style = styleFor(io, flags.noColor);
  const dir = flags.dir ?? (local ? "." : undefined);
  const input = await runInputFrom(flags, dir);
  let runner: LocalRunner | undefined;
  let functionName = flags.functionName ?? io.env.TF_LAMBDA_FUNCTION;
  let endpoint = flags.endpoint;
  if (local) {
    const stateDir = flags.stateDir ?? join(dir ?? ".", ".tf-lambda", "state");
    runner = await startLocalRunner({
      stateDir,
      ...(flags.timeoutSeconds === undefined ? {} : { timeoutSeconds: flags.timeoutSeconds }),
      ...(flags.verbose
        ? {
            onRuntimeOutput: (text: string) =>
              io.stderr.write(styleFor(io, flags.noColor, io.stderr).dim(text)),
          }
        : {}),
    });
    endpoint = runner.endpoint;
    functionName ??= "tf-lambda-local";
  }
  if (!functionName) {
    throw new UsageError(
      "name the function with --function NAME (or $TF_LAMBDA_FUNCTION), or use `tf-lambda local`",
    );
  }
  const client = new TerraformRunnerClient({
    functionName,
    ...(flags.region === undefined ? {} : { region: flags.region }),
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(flags.qualifier === undefined ? {} : { qualifier: flags.qualifier }),
    ...(flags.stagingBucket === undefined ? {} : { stagingBucket: flags.stagingBucket }),
  });
  const progress = startProgress(
    io.stderr,
    `${PRESENT_TENSE[command] ?? command} ${local ? "locally" : `with ${functionName}`}`,
  );
  let result: RunResult;
  try {
    if (flags.assumeRole) {
      input.credentials = await assumeRole({
        roleArn: flags.assumeRole,
        ...(flags.externalId === undefined ? {} : { externalId: flags.externalId }),
        ...(flags.region === undefined ? {} : { region: flags.region }),
      });
    }
    result = await client.run({ ...input, command });
  } finally {
    progress.stop();
    client.destroyClients();
    await runner?.stop();
  }
  io.stdout.write(
    flags.json ? `${JSON.stringify(result, null, 2)}\n` : renderResult(result, style, { log: flags.log }),
  );
  if (result.status !== "succeeded") return 1;
  return flags.detailedExitcode && result.plan?.hasChanges ? 2 : 0;
}

async function runInputFrom(flags: RunFlags, dir: string | undefined): Promise<RunInput> {
  const input: RunInput = {};
  const extraFiles: Record<string, Uint8Array> = {};
  const vars: Record<string, JsonValue> = {};
  for (const [index, file] of flags.varFiles.entries()) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      throw new UsageError(`--var-file ${file}: ${(error as Error).message}`, { cause: error });
    }
    if (file.endsWith(".json")) {
      Object.assign(vars, parseJsonObject(`--var-file ${file}`, text));
    } else if (dir !== undefined) {
      // HCL var files travel inside the archive, loaded by terraform as *.auto.tfvars in the order given.
      extraFiles[
        `tf-lambda-var-file-${String(index).padStart(2, "0")}-${basename(file).replace(/\.tfvars$/, "")}.auto.tfvars`
      ] = Buffer.from(text, "utf8");
    } else {
      throw new UsageError(`--var-file ${file}: an HCL var file needs --dir (or convert it to .tfvars.json)`);
    }
  }
  for (const [name, value] of flags.vars) vars[name] = parseVarValue(value);
  if (dir !== undefined) {
    input.dir = dir;
    if (Object.keys(extraFiles).length > 0) input.pack = { extraFiles };
  }
  if (Object.keys(vars).length > 0) input.vars = vars;
  if (flags.backendConfig.length > 0 || flags.backendType) {
    const config: Record<string, JsonValue> = {};
    for (const [name, value] of flags.backendConfig)
      config[name] = value === "true" ? true : value === "false" ? false : value;
    input.backend = backendBlock(
      (flags.backendType ?? "s3") as Parameters<typeof backendBlock>[0],
      config,
    ) as BackendInput;
  }
  if (flags.targets.length > 0) input.targets = flags.targets;
  if (flags.replace.length > 0) input.replace = flags.replace;
  if (flags.workspace) input.workspace = flags.workspace;
  return input;
}

function parseJsonObject(what: string, text: string): Record<string, JsonValue> {
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed))
      return parsed as Record<string, JsonValue>;
  } catch (error) {
    throw new UsageError(`${what} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  throw new UsageError(`${what} must hold a JSON object of variables`);
}

/** `--var` values are strings, except JSON lists and objects (as terraform reads complex `-var` values). */
function parseVarValue(value: string): JsonValue {
  if (/^\s*[[{]/.test(value)) {
    try {
      return JSON.parse(value) as JsonValue;
    } catch {
      return value;
    }
  }
  return value;
}
