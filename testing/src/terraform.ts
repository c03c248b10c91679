import { spawn } from "node:child_process";
import { requireTool } from "./tools.js";

export interface TerraformRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real terraform/tofu binary directly (the reference side of a comparison). */
export async function runTerraform(
  args: readonly string[],
  options: { cwd: string; env?: Readonly<Record<string, string>> },
): Promise<TerraformRun> {
  const binary = requireTool("terraform");
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, {
      cwd: options.cwd,
      env: { PATH: process.env.PATH ?? "", HOME: options.cwd, TF_IN_AUTOMATION: "1", ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.once("error", reject);
    child.once("close", (exitCode) => resolve({ exitCode, stdout, stderr }));
  });
}
