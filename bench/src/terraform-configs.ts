import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A configuration of `count` terraform_data resources (built-in: no provider download) and one output. */
export function terraformDataConfig(count: number): string {
  const resources = Array.from(
    { length: count },
    (_, index) => `resource "terraform_data" "r${index}" {\n  input = "value-${index}"\n}\n`,
  );
  return `${resources.join("\n")}\noutput "count" {\n  value = ${count}\n}\n`;
}

/** The first line of `<binary> version`, e.g. `Terraform v1.11.4`. */
export function terraformVersion(binary: string): string {
  const run = spawnSync(binary, ["version"], {
    encoding: "utf8",
    env: { ...process.env, CHECKPOINT_DISABLE: "1" },
  });
  return (run.stdout ?? "").split("\n")[0]?.trim() || "unknown";
}

/**
 * The shell scripts of the references: `plain` is what a person types; `runtime-commands` runs exactly the
 * terraform commands the runtime runs for the same request (machine-readable output; `output -json` after an apply
 * only when an output is sensitive, which these configurations do not have), which separates the cost of those
 * commands from the cost of the runtime's own code.
 */
const BARE_SCRIPTS = {
  plain: {
    plan: '"$TF" init -input=false >/dev/null && "$TF" plan -input=false >/dev/null',
    apply: '"$TF" init -input=false >/dev/null && "$TF" apply -input=false -auto-approve >/dev/null',
  },
  "runtime-commands": {
    plan: '"$TF" init -input=false -no-color >/dev/null && { "$TF" plan -input=false -no-color -json -detailed-exitcode >/dev/null; [ $? -ne 1 ]; }',
    apply:
      '"$TF" init -input=false -no-color >/dev/null && "$TF" apply -input=false -no-color -json -auto-approve >/dev/null',
  },
} as const;

/**
 * The reference: `terraform init && terraform <command>` in a shell, in a fresh directory holding only `main.tf`
 * (as the runtime starts from a fresh workspace). Returns the wall time in ms; throws when terraform fails.
 */
export async function bareTerraform(
  binary: string,
  mainTf: string,
  command: "plan" | "apply",
  flavour: "plain" | "runtime-commands" = "plain",
): Promise<number> {
  const directory = mkdtempSync(join(tmpdir(), "tf-lambda-bench-bare-"));
  writeFileSync(join(directory, "main.tf"), mainTf);
  const script = BARE_SCRIPTS[flavour][command];
  const started = performance.now();
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    const child = spawn("sh", ["-c", script], {
      cwd: directory,
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: directory,
        TF: binary,
        TF_IN_AUTOMATION: "1",
        CHECKPOINT_DISABLE: "1",
        TF_CLI_CONFIG_FILE: "/dev/null",
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    child.once("error", reject);
    child.once("close", resolve);
  });
  const elapsed = performance.now() - started;
  rmSync(directory, { recursive: true, force: true });
  if (exitCode !== 0) throw new Error(`bare terraform ${command} exited ${exitCode}`);
  return elapsed;
}
