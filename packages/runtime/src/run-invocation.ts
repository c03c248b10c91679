import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  type Command,
  commandOf,
  type Diagnostic,
  InvalidRequestError,
  type NormalizedRequest,
  normalizeRequest,
  type OutputValue,
  type PlanSummary,
  PROTOCOL_VERSION,
  parseRequestBody,
  RUN_ERROR_TYPES,
  type RunError,
  type RunPhase,
  type RunResult,
  type RunStatus,
} from "@tf-lambda/protocol";
import { type BackendContext, checkInitializedBackend, setUpBackend } from "./backend-setup.js";
import { buildChildEnvironment } from "./child-environment.js";
import { composeCliConfig } from "./cli-configuration.js";
import { materializeCode } from "./code-source.js";
import { type DeadlinePlan, planDeadline } from "./deadline.js";
import { RunRefusedError } from "./errors.js";
import type { RuntimeLogger } from "./log-event.js";
import {
  describeDiagnostic,
  diagnosticsFromText,
  humanLineOf,
  MachineOutputCollector,
  outputsOf,
  parseMachineLine,
  validateDiagnosticsOf,
} from "./machine-output.js";
import { Redactor, redactorFor } from "./redactor.js";
import { fitResult, redactDeep } from "./result-fit.js";
import { CappedLog } from "./run-log.js";
import type { Invocation } from "./runtime-api.js";
import type { RuntimeConfig } from "./runtime-config.js";
import { workspacePrefix } from "./stale-workspaces.js";
import { commandArguments, initArguments, workspaceArguments } from "./terraform-arguments.js";
import { runTerraformProcess, type TerraformExit } from "./terraform-process.js";
import { terraformVersion } from "./terraform-version.js";

/** What a run needs besides the invocation. */
export interface RunContext {
  config: RuntimeConfig;
  /** The runtime's own environment (read only). */
  runtimeEnv: NodeJS.ProcessEnv;
  logger: RuntimeLogger;
  /** The image's base CLI configuration text, read at start-up. */
  baseCliConfig: string | undefined;
}

/** How the run ended, before it becomes a RunResult. */
interface Outcome {
  status: RunStatus;
  error?: RunError;
}

/** Time spent inside terraform's processes, for measuring the runtime's own overhead. */
export interface RunTimings {
  totalMs: number;
  terraformMs: number;
}

/** How terraform's stdout is read: a machine-readable stream, one JSON document, or plain text. */
type OutputMode = "stream" | "document" | "text";

/**
 * Runs one invocation end to end and returns its typed result (never throws for a bad request or a failed run):
 * validate the payload, prepare a fresh workspace, init, run the command, parse, redact, cap, clean up.
 *
 * @example
 * const { result } = await runInvocation(invocation, context);
 * result.status; // "succeeded" | "failed" | "rejected" | "interrupted"
 */
export async function runInvocation(
  invocation: Invocation,
  context: RunContext,
): Promise<{ result: RunResult; timings: RunTimings }> {
  const run = new InvocationRun(invocation, context);
  const result = await run.execute();
  return { result, timings: { totalMs: performance.now() - run.started, terraformMs: run.terraformMs } };
}

class InvocationRun {
  readonly started = performance.now();
  terraformMs = 0;
  private phase: RunPhase = "request";
  private phaseStarted = performance.now();
  private command: Command | null = null;
  private exitCode: number | null = null;
  private version: string | null = null;
  private plan: PlanSummary | null = null;
  private outputs: Record<string, OutputValue> = {};
  private diagnostics: Diagnostic[] = [];
  private readonly log: CappedLog;
  private redactor = new Redactor();
  private readonly deadline: DeadlinePlan;
  private completed: string[] = [];
  private workspaceRoot: string | undefined;

  constructor(
    private readonly invocation: Invocation,
    private readonly context: RunContext,
  ) {
    this.log = new CappedLog(context.config.logBytes);
    this.deadline = planDeadline(invocation.deadlineMs, Date.now(), context.config.deadlineGraceMs);
  }

  async execute(): Promise<RunResult> {
    let outcome: Outcome;
    try {
      outcome = await this.steps();
    } catch (error) {
      outcome = this.outcomeOfError(error);
    } finally {
      await this.removeWorkspace();
    }
    this.enterPhase(outcome.status === "succeeded" ? "done" : this.phase);
    return this.result(outcome);
  }

  private outcomeOfError(error: unknown): Outcome {
    if (InvalidRequestError.isInstance(error)) {
      return {
        status: "rejected",
        error: { type: RUN_ERROR_TYPES.invalidRequest, message: error.message, issues: [...error.issues] },
      };
    }
    if (RunRefusedError.isInstance(error)) {
      return {
        status: "rejected",
        error: {
          type: error.type,
          message: error.message,
          ...(error.issues ? { issues: [...error.issues] } : {}),
        },
      };
    }
    const message = error instanceof Error ? error.message : String(error);
    this.context.logger.event({
      event: "runtime-fault",
      requestId: this.invocation.requestId,
      phase: this.phase,
      message: this.redactor.redact(message),
    });
    const type = this.phase === "workspace" ? RUN_ERROR_TYPES.workspaceUnavailable : RUN_ERROR_TYPES.internal;
    return {
      status: "failed",
      error: { type, message: `the runtime failed during ${this.phase}: ${message}` },
    };
  }

  private enterPhase(phase: RunPhase): void {
    const now = performance.now();
    this.context.logger.event({
      event: "phase-end",
      requestId: this.invocation.requestId,
      command: this.command,
      phase: this.phase,
      durationMs: Math.round(now - this.phaseStarted),
    });
    this.phase = phase;
    this.phaseStarted = now;
  }

  private async steps(): Promise<Outcome> {
    const { config, runtimeEnv } = this.context;
    let payload: unknown;
    try {
      payload = parseRequestBody(this.invocation.body);
    } finally {
      this.command = payload === undefined ? null : commandOf(payload);
    }
    const request = normalizeRequest(payload);
    this.command = request.command;
    this.redactor = redactorFor(request, runtimeEnv);
    const versionPromise = terraformVersion(config.terraformBinary, runtimeEnv);

    this.enterPhase("workspace");
    await mkdir(config.workRoot, { recursive: true });
    const root = await mkdtemp(join(config.workRoot, workspacePrefix()));
    this.workspaceRoot = root;
    const codeDirectory = join(root, "code");
    const homeDirectory = join(root, "home");
    const temporaryDirectory = join(root, "tmp");
    await Promise.all([
      mkdir(homeDirectory),
      mkdir(temporaryDirectory),
      mkdir(config.pluginCacheDirectory, { recursive: true }),
    ]);
    await materializeCode(request.code, codeDirectory, {
      bundledCodeDirectory: config.bundledCodeDirectory,
      env: runtimeEnv,
    });
    await mkdir(codeDirectory, { recursive: true });

    const backendContext: BackendContext = {
      command: request.command,
      workspaceRoot: root,
      codeDirectory,
      homeDirectory,
      localStateDirectory: config.localStateDirectory,
    };
    const backendConfigFile = await setUpBackend(request.backend, backendContext);
    const cliConfigFile = join(root, "cli-config.tfrc");
    await writeFile(
      cliConfigFile,
      composeCliConfig({
        base: this.context.baseCliConfig,
        request: request.cliConfig,
        allowedRoots: [root, config.pluginCacheDirectory],
        workingDirectory: codeDirectory,
        homeDirectory,
      }),
    );
    await this.writeVariables(request, codeDirectory);
    const env = buildChildEnvironment({
      runtimeEnv,
      requestEnv: request.env,
      credentials: request.credentials,
      homeDirectory,
      temporaryDirectory,
      cliConfigFile,
      pluginCacheDirectory: config.pluginCacheDirectory,
      traceId: this.invocation.traceId,
      debug: request.debug,
    });
    if (request.debug) await this.listWorkspace(root);
    this.version = await versionPromise;

    this.enterPhase("init");
    const init = await this.terraform(
      initArguments(request.command, request.options, backendConfigFile),
      codeDirectory,
      env,
      "text",
    );
    if (init.exit.interrupted) return this.interrupted();
    if (init.exit.exitCode !== 0) {
      this.diagnostics.push(...diagnosticsFromText(init.text));
      return this.failure(init.exit, RUN_ERROR_TYPES.initFailed, "terraform init failed");
    }
    if (request.command !== "validate") await checkInitializedBackend(backendContext);
    if (request.command === "init") return { status: "succeeded" };

    if (request.workspace !== undefined && request.command !== "validate") {
      this.enterPhase("workspace-select");
      const selected = await this.terraform(
        workspaceArguments(request.workspace),
        codeDirectory,
        env,
        "text",
      );
      if (selected.exit.interrupted) return this.interrupted();
      if (selected.exit.exitCode !== 0) {
        this.diagnostics.push(...diagnosticsFromText(selected.text));
        return this.failure(
          selected.exit,
          RUN_ERROR_TYPES.terraformFailed,
          `terraform could not select workspace ${request.workspace}`,
        );
      }
    }

    this.enterPhase("command");
    const mode: OutputMode =
      request.command === "validate" || request.command === "output" ? "document" : "stream";
    const collector = new MachineOutputCollector();
    const step = await this.terraform(
      commandArguments(request.command, request.options),
      codeDirectory,
      env,
      mode,
      collector,
    );
    this.diagnostics.push(...collector.diagnostics);
    this.completed = collector.completed;
    if (request.command === "plan" || request.command === "apply" || request.command === "destroy") {
      this.plan = collector.planSummary(
        request.command === "plan" && step.exit.exitCode !== null ? step.exit.exitCode === 2 : undefined,
      );
    }
    if (step.exit.interrupted) return this.interrupted();
    if (request.command === "validate") this.readValidateDocument(step.text);
    if (request.command === "output") this.readOutputsDocument(step.text);
    const succeeded = step.exit.exitCode === 0 || (request.command === "plan" && step.exit.exitCode === 2);
    if (!succeeded) {
      const first = this.diagnostics.find((diagnostic) => diagnostic.severity === "error");
      return this.failure(
        step.exit,
        RUN_ERROR_TYPES.terraformFailed,
        `terraform ${request.command} failed${first ? `: ${first.summary}` : ""}`,
      );
    }

    if (request.command === "apply") {
      // The apply stream's `outputs` message carries every non-sensitive value. Only when an output is sensitive
      // is `output -json` run as well: it is the one place terraform reveals those values, and the redactor must
      // know them to keep them out of the result even if a provisioner printed one. Skipping it otherwise saves
      // a terraform process (about 40 ms) per apply.
      this.outputs = collector.outputs;
      if (!Object.values(collector.outputs).some((output) => output.sensitive))
        return { status: "succeeded" };
      this.enterPhase("outputs");
      const output = await this.terraform(commandArguments("output", {}), codeDirectory, env, "document");
      if (output.exit.interrupted) return this.interrupted();
      if (output.exit.exitCode !== 0)
        return this.failure(
          output.exit,
          RUN_ERROR_TYPES.terraformFailed,
          "terraform output failed after the apply",
        );
      this.readOutputsDocument(output.text);
    }
    return { status: "succeeded" };
  }

  private async writeVariables(request: NormalizedRequest, codeDirectory: string): Promise<void> {
    if (Object.keys(request.vars).length > 0) {
      await writeFile(
        join(codeDirectory, "tf-lambda.auto.tfvars.json"),
        `${JSON.stringify(request.vars, null, 2)}\n`,
      );
    }
    if (request.tfvarsText !== undefined)
      await writeFile(join(codeDirectory, "terraform.tfvars"), request.tfvarsText);
  }

  private async listWorkspace(root: string): Promise<void> {
    const entries = await readdir(root, { recursive: true });
    for (const entry of entries.sort()) {
      const info = await stat(join(root, entry)).catch(() => undefined);
      if (info?.isFile()) this.addLogLine(`[tf-lambda debug] workspace file ${entry} (${info.size} bytes)`);
    }
  }

  private readValidateDocument(text: string): void {
    const diagnostics = validateDiagnosticsOf(text);
    if (!diagnostics) {
      this.addLogLine(text);
      return;
    }
    for (const diagnostic of diagnostics) {
      this.diagnostics.push(diagnostic);
      this.addLogLine(describeDiagnostic(diagnostic));
    }
  }

  private readOutputsDocument(text: string): void {
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch {
      return;
    }
    const { outputs, sensitiveValues } = outputsOf(document);
    for (const value of sensitiveValues) this.redactor.addValue(value);
    this.outputs = outputs;
  }

  private addLogLine(line: string): void {
    const redacted = this.redactor.redact(line);
    this.log.append(redacted);
    this.context.logger.terraformLine(redacted);
  }

  private async terraform(
    args: string[],
    cwd: string,
    env: Record<string, string>,
    mode: OutputMode,
    collector?: MachineOutputCollector,
  ): Promise<{ exit: TerraformExit; text: string }> {
    let document = "";
    let text = "";
    const exit = await runTerraformProcess({
      binary: this.context.config.terraformBinary,
      args,
      cwd,
      env,
      deadline: this.deadline,
      onLine: (line, stream) => {
        if (mode === "text") {
          // init and workspace select write their errors to stderr: their diagnostics are read from both streams.
          text += `${line}\n`;
          return this.addLogLine(line);
        }
        if (stream === "stderr") return this.addLogLine(line);
        if (mode === "document") {
          document += `${line}\n`;
          return;
        }
        const message = parseMachineLine(line);
        if (!message) return this.addLogLine(line);
        collector?.add(message);
        const human = humanLineOf(message);
        if (human !== undefined) for (const part of human.split("\n")) this.addLogLine(part);
      },
    });
    this.terraformMs += exit.durationMs;
    this.exitCode = exit.exitCode;
    return { exit, text: mode === "document" ? document : text };
  }

  private interrupted(): Outcome {
    const completed =
      this.completed.length > 0
        ? ` Resources completed before the interruption: ${this.completed.join(", ")}.`
        : "";
    return {
      status: "interrupted",
      error: {
        type: RUN_ERROR_TYPES.deadlineExceeded,
        message: `the invocation deadline was near: terraform was interrupted ${this.deadline.graceMs} ms before it, during ${this.phase}.${completed} Remote state holds what terraform persisted.`,
      },
    };
  }

  private failure(exit: TerraformExit, type: string, message: string): Outcome {
    if (exit.signal !== null) {
      return {
        status: "failed",
        error: { type: RUN_ERROR_TYPES.terraformKilled, message: `terraform was killed by ${exit.signal}` },
      };
    }
    return { status: "failed", error: { type, message } };
  }

  private async removeWorkspace(): Promise<void> {
    if (!this.workspaceRoot) return;
    await rm(this.workspaceRoot, { recursive: true, force: true, maxRetries: 3 }).catch((error: Error) =>
      this.context.logger.event({
        event: "workspace-cleanup-failed",
        requestId: this.invocation.requestId,
        message: error.message,
      }),
    );
  }

  private result(outcome: Outcome): RunResult {
    const common = {
      protocol: PROTOCOL_VERSION,
      requestId: this.invocation.requestId,
      exitCode: this.exitCode,
      durationMs: Math.round(performance.now() - this.started),
      terraformVersion: this.version,
      phase: this.phase,
      plan: this.plan,
      outputs: this.outputs,
      diagnostics: this.diagnostics,
      log: this.log.toRunLog((text) => this.redactor.redact(text)),
    };
    const error = outcome.error ?? { type: RUN_ERROR_TYPES.internal, message: "the run did not succeed" };
    let result: RunResult;
    if (outcome.status === "succeeded") {
      result = { status: "succeeded", ...common, command: this.command ?? "plan" };
    } else if (outcome.status === "rejected") {
      result = { status: "rejected", ...common, command: this.command, error };
    } else {
      result = { status: outcome.status, ...common, command: this.command ?? "plan", error };
    }
    return fitResult(redactDeep(result, this.redactor));
  }
}
