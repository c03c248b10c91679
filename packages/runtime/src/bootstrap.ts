import { readFileSync } from "node:fs";
import { FUNCTION_ERROR_TYPES } from "@tf-lambda/protocol";
import { runtimeFaultAnswer } from "./invocation-response.js";
import { stdoutLogger } from "./log-event.js";
import { type RunContext, runInvocation } from "./run-invocation.js";
import { RuntimeApiClient } from "./runtime-api.js";
import { readRuntimeConfig } from "./runtime-config.js";
import { postAnswer, runLoop } from "./runtime-loop.js";
import { removeStaleWorkspaces } from "./stale-workspaces.js";

/**
 * The entry point Lambda runs (`/opt/tf-lambda/bootstrap.mjs`): reads the configuration, then serves invocations
 * until the Runtime API goes away. Start-up faults go to /runtime/init/error; an uncaught error answers the
 * invocation in flight before the process exits.
 */
async function main(): Promise<void> {
  // A closed stdout or stderr (EPIPE) loses log lines, never the run: without a handler it would be an
  // uncaught exception that ends the runtime mid-invocation.
  for (const stream of [process.stdout, process.stderr]) stream.on("error", () => undefined);
  const address = process.env.AWS_LAMBDA_RUNTIME_API;
  if (!address) {
    stdoutLogger.event({ event: "init-failed", message: "AWS_LAMBDA_RUNTIME_API is not set" });
    process.exit(1);
  }
  const api = new RuntimeApiClient(address);
  let context: RunContext;
  try {
    const config = readRuntimeConfig(process.env);
    const baseCliConfig = config.baseCliConfigFile
      ? readFileSync(config.baseCliConfigFile, "utf8")
      : undefined;
    context = { config, runtimeEnv: process.env, logger: stdoutLogger, baseCliConfig };
    const removed = removeStaleWorkspaces(config.workRoot);
    if (removed.length > 0) stdoutLogger.event({ event: "stale-workspaces-removed", count: removed.length });
  } catch (error) {
    const message = (error as Error).message;
    stdoutLogger.event({ event: "init-failed", message });
    await api
      .postInitError(
        FUNCTION_ERROR_TYPES.runtime,
        JSON.stringify({ errorType: FUNCTION_ERROR_TYPES.runtime, errorMessage: message }),
      )
      .catch(() => undefined);
    process.exit(1);
  }

  let inFlight: string | undefined;
  const crash = (error: unknown) => {
    stdoutLogger.event({
      event: "uncaught-error",
      requestId: inFlight,
      message: (error as Error)?.message ?? String(error),
    });
    const requestId = inFlight;
    const done = () => process.exit(1);
    if (!requestId) return done();
    postAnswer(api, requestId, runtimeFaultAnswer(requestId, error), 2, 100).then(done, done);
  };
  process.on("uncaughtException", crash);
  process.on("unhandledRejection", crash);

  stdoutLogger.event({ event: "runtime-ready", terraform: context.config.terraformBinary });
  try {
    await runLoop({
      api,
      logger: stdoutLogger,
      handle: (invocation) => runInvocation(invocation, context),
      onInvocation: (requestId) => {
        inFlight = requestId;
      },
    });
  } catch (error) {
    stdoutLogger.event({ event: "runtime-api-lost", message: (error as Error).message });
    process.exit(1);
  }
}

void main();
