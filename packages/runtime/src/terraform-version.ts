import { spawn } from "node:child_process";
import { tmpdir } from "node:os";

let cached: { binary: string; version: Promise<string | null> } | undefined;

function readVersion(binary: string, env: NodeJS.ProcessEnv): Promise<string | null> {
  return new Promise((resolve) => {
    const child = spawn(binary, ["version"], {
      env: { PATH: env.PATH ?? "/usr/local/bin:/usr/bin:/bin", HOME: tmpdir(), CHECKPOINT_DISABLE: "1" },
      stdio: ["ignore", "pipe", "ignore"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once("error", () => resolve(null));
    child.once("close", () => {
      const first = output.split("\n")[0]?.trim();
      resolve(first && /v\d+\.\d+/.test(first) ? first : null);
    });
  });
}

/**
 * terraform's version as it names itself (`Terraform v1.11.4`, `OpenTofu v1.6.2`), asked once per process.
 *
 * @example
 * await terraformVersion("/usr/local/bin/terraform", process.env); // "Terraform v1.11.4"
 */
export function terraformVersion(binary: string, env: NodeJS.ProcessEnv): Promise<string | null> {
  if (cached?.binary !== binary) cached = { binary, version: readVersion(binary, env) };
  return cached.version;
}
