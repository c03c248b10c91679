import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Emulator, requireTool, startEmulator } from "@tf-lambda/testing";
import { runtimeBundlePath } from "../../src/index.js";

/** The emulator running the real runtime bundle, with scratch directories that `stop()` removes. */
export interface RuntimeUnderTest {
  emulator: Emulator;
  stateDir: string;
  stop(): Promise<void>;
}

/** Starts the RIE with the runtime bundle and the real terraform; local mode when `localState` is true. */
export async function startRuntimeInEmulator(
  options: { localState?: boolean; env?: Record<string, string> } = {},
): Promise<RuntimeUnderTest> {
  const scratch = mkdtempSync(join(tmpdir(), "tf-lambda-client-it-"));
  const stateDir = join(scratch, "state");
  const emulator = await startEmulator({
    bootstrap: [process.execPath, runtimeBundlePath()],
    timeoutSeconds: 120,
    env: {
      TF_LAMBDA_TERRAFORM_BIN: requireTool("terraform"),
      TF_LAMBDA_WORK_ROOT: join(scratch, "work"),
      ...(options.localState === false ? {} : { TF_LAMBDA_LOCAL_STATE_DIR: stateDir }),
      ...options.env,
    },
  });
  return {
    emulator,
    stateDir,
    async stop() {
      await emulator.stop();
      if (existsSync(scratch)) rmSync(scratch, { recursive: true, force: true });
    },
  };
}

export const CONFIGS = join(import.meta.dirname, "..", "fixtures", "configs");
