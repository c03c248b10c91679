import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { FunctionErrorBodySchema, type RunResult, RunResultSchema } from "@tf-lambda/protocol";
import { type Emulator, requireTool, startEmulator } from "@tf-lambda/testing";

/** The built bundle the tests run (tests/global-setup.ts rebuilds it when a source file is newer). */
export const BUNDLE = resolve(import.meta.dirname, "..", "..", "dist", "bootstrap.mjs");

/** The typed answer of one invoke, whichever Runtime API route the runtime posted it to. */
export interface RuntimeAnswer {
  result: RunResult;
  /** The raw invoke response body. */
  text: string;
  errorType: string | undefined;
}

/** A runtime started by the real emulator, with every directory it may write under one private root. */
export interface RuntimeUnderTest {
  emulator: Emulator;
  /** The private root: `work/` (the default TF_LAMBDA_WORK_ROOT) and `plugin-cache/` live here. */
  root: string;
  /** TF_LAMBDA_WORK_ROOT as the runtime got it. */
  workRoot: string;
  pluginCache: string;
  /** Invokes and returns the typed result, checked against RunResultSchema (an /error body is unwrapped).
   * A string payload is sent as it is, so malformed JSON reaches the runtime. */
  run(payload: unknown): Promise<RuntimeAnswer>;
  /** Stops the emulator and removes the private root. */
  stop(): Promise<void>;
}

/** Parses an invoke response body: a RunResult, or a FunctionErrorBody carrying one. */
export function answerOf(text: string): RuntimeAnswer {
  const body = JSON.parse(text) as Record<string, unknown>;
  if ("errorType" in body) {
    const error = FunctionErrorBodySchema.parse(body);
    if (!error.result) throw new Error(`an error without a result: ${text.slice(0, 2000)}`);
    return { result: error.result, text, errorType: error.errorType };
  }
  return { result: RunResultSchema.parse(body), text, errorType: undefined };
}

/** Starts the bundle under the emulator with the real terraform and a private root (`env` overrides). */
export async function startRuntime(
  env: Record<string, string> = {},
  timeoutSeconds = 120,
): Promise<RuntimeUnderTest> {
  const root = mkdtempSync(join(tmpdir(), "tf-lambda-runtime-it-"));
  const runtimeEnv: Record<string, string> = {
    TF_LAMBDA_TERRAFORM_BIN: requireTool("terraform"),
    TF_LAMBDA_WORK_ROOT: join(root, "work"),
    TF_LAMBDA_PLUGIN_CACHE_DIR: join(root, "plugin-cache"),
    AWS_REGION: "us-east-1",
    ...env,
  };
  const emulator = await startEmulator({
    bootstrap: [process.execPath, BUNDLE],
    inheritEnv: false,
    timeoutSeconds,
    env: runtimeEnv,
  });
  return {
    emulator,
    root,
    workRoot: runtimeEnv.TF_LAMBDA_WORK_ROOT as string,
    pluginCache: runtimeEnv.TF_LAMBDA_PLUGIN_CACHE_DIR as string,
    async run(payload) {
      const response = await emulator.invoke(payload);
      return answerOf(response.text);
    },
    async stop() {
      await emulator.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
