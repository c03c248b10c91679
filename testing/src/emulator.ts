import { type ChildProcess, spawn } from "node:child_process";
import { freePort, waitForPort } from "./ports.js";
import { requireTool } from "./tools.js";

export interface EmulatorOptions {
  /** The bootstrap to run, as an argument array, e.g. `[process.execPath, "dist/bootstrap.mjs"]`. */
  bootstrap: readonly string[];
  /** Environment of the emulator, which passes it on to the bootstrap (as Lambda's function configuration would). */
  env?: Readonly<Record<string, string | undefined>>;
  /** The function timeout, `AWS_LAMBDA_FUNCTION_TIMEOUT` (default 300). */
  timeoutSeconds?: number;
  cwd?: string;
  /** Start from `process.env` (default true); false gives the bootstrap only PATH plus `env`. */
  inheritEnv?: boolean;
}

export interface InvokeResponse {
  statusCode: number;
  text: string;
  /** The body parsed as JSON; throws with the text when it is not JSON. */
  json(): unknown;
}

/** A running AWS Lambda Runtime Interface Emulator serving the Invoke API on 127.0.0.1. */
export interface Emulator {
  /** Base URL of the Invoke API, usable as the Lambda client's `endpoint`. */
  endpoint: string;
  /** The name the emulator answers to in `/2015-03-31/functions/{name}/invocations`. */
  functionName: string;
  invoke(payload: unknown): Promise<InvokeResponse>;
  /** Everything the emulator and the bootstrap printed so far. */
  output(): string;
  /** PID of the emulator process. */
  pid: number;
  stop(): Promise<void>;
}

/**
 * Starts the emulator with a bootstrap. It serves one synchronous invoke at a time: start one emulator per
 * concurrent test.
 */
export async function startEmulator(options: EmulatorOptions): Promise<Emulator> {
  const binary = requireTool("emulator");
  const [invokePort, runtimeApiPort] = [await freePort(), await freePort()];
  const base =
    options.inheritEnv === false ? { PATH: process.env.PATH ?? "/usr/bin:/bin" } : { ...process.env };
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries({ ...base, ...options.env })) {
    if (value !== undefined) env[name] = value;
  }
  env.AWS_LAMBDA_FUNCTION_TIMEOUT = String(options.timeoutSeconds ?? 300);
  env.LOG_LEVEL = env.LOG_LEVEL ?? "error";

  const child: ChildProcess = spawn(
    binary,
    [
      "--runtime-interface-emulator-address",
      `127.0.0.1:${invokePort}`,
      "--runtime-api-address",
      `127.0.0.1:${runtimeApiPort}`,
      ...options.bootstrap,
    ],
    { stdio: ["ignore", "pipe", "pipe"], env, cwd: options.cwd, detached: false },
  );
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  let alive = true;
  child.once("exit", () => {
    alive = false;
  });
  try {
    await waitForPort(invokePort, 15_000, () => alive);
  } catch (error) {
    child.kill("SIGKILL");
    throw new Error(`the emulator did not start: ${(error as Error).message}\n${output}`);
  }
  const endpoint = `http://127.0.0.1:${invokePort}`;
  return {
    endpoint,
    functionName: "function",
    pid: child.pid ?? -1,
    output: () => output,
    async invoke(payload: unknown): Promise<InvokeResponse> {
      const response = await fetch(`${endpoint}/2015-03-31/functions/function/invocations`, {
        method: "POST",
        body: typeof payload === "string" ? payload : JSON.stringify(payload),
      });
      const text = await response.text();
      return {
        statusCode: response.status,
        text,
        json() {
          try {
            return JSON.parse(text);
          } catch {
            throw new Error(
              `the emulator answered with something that is not JSON (HTTP ${response.status}): ${text.slice(0, 2000)}`,
            );
          }
        },
      };
    },
    stop: () =>
      new Promise((resolve) => {
        if (!alive) return resolve();
        const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
        child.once("exit", () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill("SIGTERM");
      }),
  };
}
