import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { FunctionErrorBodySchema, type RunResult, RunResultSchema } from "@tf-lambda/protocol";
import { type Emulator, requireTool, startEmulator } from "@tf-lambda/testing";

/** The built bundle the integration tests run (tests/global-setup.ts builds it). */
export const BUNDLE = resolve(import.meta.dirname, "..", "..", "dist", "bootstrap.mjs");

/** A runtime started by the real emulator, with a private work root and plugin cache. */
export interface RuntimeUnderTest {
  emulator: Emulator;
  workRoot: string;
  /** Invokes and returns the typed result, checked against RunResultSchema (an /error body is unwrapped). */
  run(payload: unknown): Promise<{ result: RunResult; text: string; errorType?: string }>;
  stop(): Promise<void>;
}

export async function startRuntime(
  env: Record<string, string> = {},
  timeoutSeconds = 120,
): Promise<RuntimeUnderTest> {
  const workRoot = mkdtempSync(join(tmpdir(), "tf-lambda-runtime-it-"));
  const emulator = await startEmulator({
    bootstrap: [process.execPath, BUNDLE],
    inheritEnv: false,
    timeoutSeconds,
    env: {
      TF_LAMBDA_TERRAFORM_BIN: requireTool("terraform"),
      TF_LAMBDA_WORK_ROOT: join(workRoot, "work"),
      TF_LAMBDA_PLUGIN_CACHE_DIR: join(workRoot, "plugin-cache"),
      AWS_REGION: "us-east-1",
      ...env,
    },
  });
  return {
    emulator,
    workRoot,
    async run(payload) {
      const response = await emulator.invoke(payload);
      const body = response.json() as Record<string, unknown>;
      if ("errorType" in body) {
        const error = FunctionErrorBodySchema.parse(body);
        if (!error.result) throw new Error(`an error without a result: ${response.text}`);
        return { result: error.result, text: response.text, errorType: error.errorType };
      }
      return { result: RunResultSchema.parse(body), text: response.text };
    },
    stop: () => emulator.stop(),
  };
}
