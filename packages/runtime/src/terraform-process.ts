import { spawn } from "node:child_process";
import type { DeadlinePlan } from "./deadline.js";

export interface TerraformProcessOptions {
  binary: string;
  args: readonly string[];
  cwd: string;
  env: Record<string, string>;
  /** Called with each complete line of stdout / stderr. */
  onLine: (line: string, stream: "stdout" | "stderr") => void;
  deadline: DeadlinePlan | undefined;
}

export interface TerraformExit {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** The deadline interrupted (or killed) it. */
  interrupted: boolean;
  durationMs: number;
}

function lineSplitter(onLine: (line: string) => void): { push(chunk: Buffer): void; end(): void } {
  let pending = "";
  const decoder = new TextDecoder();
  return {
    push(chunk) {
      pending += decoder.decode(chunk, { stream: true });
      let newline = pending.indexOf("\n");
      while (newline !== -1) {
        onLine(pending.slice(0, newline).replace(/\r$/, ""));
        pending = pending.slice(newline + 1);
        newline = pending.indexOf("\n");
      }
    },
    end() {
      pending += decoder.decode();
      if (pending !== "") onLine(pending);
      pending = "";
    },
  };
}

/**
 * Runs terraform with an argument array (never a shell) in its own process group. Near the deadline it sends
 * SIGINT (terraform stops gracefully, persists state and releases its lock), then SIGKILL to the whole group as
 * a last resort. When terraform exits, whatever is left in its group is killed.
 *
 * @example
 * const exit = await runTerraformProcess({ binary: "terraform", args: ["plan"], cwd, env, onLine, deadline });
 */
export function runTerraformProcess(options: TerraformProcessOptions): Promise<TerraformExit> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    if (options.deadline && Date.now() >= options.deadline.interruptAt) {
      resolve({ exitCode: null, signal: null, interrupted: true, durationMs: 0 });
      return;
    }
    const child = spawn(options.binary, options.args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let interrupted = false;
    const timers: NodeJS.Timeout[] = [];
    const signalGroup = (signal: NodeJS.Signals) => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, signal);
      } catch {
        // already gone
      }
    };
    if (options.deadline) {
      timers.push(
        setTimeout(
          () => {
            interrupted = true;
            child.kill("SIGINT");
          },
          Math.max(0, options.deadline.interruptAt - Date.now()),
        ),
        setTimeout(
          () => {
            interrupted = true;
            signalGroup("SIGKILL");
          },
          Math.max(0, options.deadline.killAt - Date.now()),
        ),
      );
    }
    const stdout = lineSplitter((line) => options.onLine(line, "stdout"));
    const stderr = lineSplitter((line) => options.onLine(line, "stderr"));
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    child.once("error", (error) => {
      for (const timer of timers) clearTimeout(timer);
      reject(error);
    });
    // Whatever terraform started and left behind (a provisioner's `cmd &`) goes with its group: nothing of one
    // invocation may run on into the next, and a leftover holding the pipes would keep 'close' from coming.
    child.once("exit", () => signalGroup("SIGKILL"));
    child.once("close", (exitCode, signal) => {
      for (const timer of timers) clearTimeout(timer);
      stdout.end();
      stderr.end();
      resolve({ exitCode, signal, interrupted, durationMs: performance.now() - started });
    });
  });
}
