import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { toolOrSkip } from "@tf-lambda/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONFIGS } from "../support/runtime-emulator.js";

const PACKAGE = join(import.meta.dirname, "..", "..");
const CLI = join(PACKAGE, "dist", "cli.js");
const QUICKSTART = join(PACKAGE, "..", "..", "examples", "local-quickstart");

function ensureBuilt(): void {
  if (!existsSync(CLI)) spawnSync("pnpm", ["run", "build"], { cwd: PACKAGE, stdio: "ignore" });
}

function tfLambda(args: string[], cwd = PACKAGE) {
  const run = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe("the tf-lambda CLI's command line", () => {
  beforeAll(ensureBuilt);

  it("prints the usage with --help and exits 0", () => {
    const run = tfLambda(["--help"]);

    expect([run.code, run.stdout.includes("tf-lambda local <command>")]).toEqual([0, true]);
  });

  it("names an unknown flag and exits 1", () => {
    const run = tfLambda(["plan", "--functon", "x"]);

    expect(run.code).toBe(1);
    expect(run.stderr).toContain("Unknown option '--functon'");
  });

  it("explains a malformed --var and exits 1", () => {
    const run = tfLambda(["plan", "--function", "x", "--var", "novalue"]);

    expect([run.code, run.stderr.includes("--var takes KEY=VALUE")]).toEqual([1, true]);
  });

  it("asks for the function when none is named", () => {
    const run = tfLambda(["plan", "--dir", "."], tmpdir());

    expect([run.code, run.stderr.includes("--function NAME")]).toEqual([1, true]);
  });
});

describe.runIf(toolOrSkip("terraform"))("tf-lambda local, run as a user would", () => {
  let dir: string;

  beforeAll(() => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), "tf-lambda-cli-"));
    cpSync(QUICKSTART, dir, { recursive: true });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("plans, applies and plans again with no changes, with terraform-like output and exit codes", () => {
    const plan = tfLambda(["local", "plan", "--dir", dir, "--detailed-exitcode"]);
    const apply = tfLambda(["local", "apply", "--dir", dir]);
    const again = tfLambda(["local", "plan", "--dir", dir, "--detailed-exitcode"]);

    expect([plan.code, apply.code, again.code]).toEqual([2, 0, 0]);
    expect(plan.stdout).toContain("+ terraform_data.network");
    expect(plan.stdout).toContain("Plan: 3 to add, 0 to change, 0 to destroy.");
    expect(apply.stdout).toContain("Apply complete! Resources: 3 added, 0 changed, 0 destroyed.");
    expect(again.stdout).toContain("No changes.");
    expect(existsSync(join(dir, ".tf-lambda", "state", "terraform.tfstate"))).toBe(true);
  });

  it("prints the typed result with --json", () => {
    const run = tfLambda([
      "local",
      "output",
      "--dir",
      dir,
      "--json",
      "--state-dir",
      join(dir, ".tf-lambda", "state"),
    ]);

    const result = JSON.parse(run.stdout);
    expect([run.code, result.status, result.outputs.network.value.name]).toEqual([
      0,
      "succeeded",
      "quickstart-network",
    ]);
  });

  it("renders a failure's diagnostics like terraform and exits 1", () => {
    const run = tfLambda([
      "local",
      "plan",
      "--dir",
      join(CONFIGS, "broken"),
      "--state-dir",
      join(dir, "broken-state"),
    ]);

    expect(run.code).toBe(1);
    expect(run.stdout).toContain("Error: Reference to undeclared input variable");
    expect(run.stdout).toMatch(/on main\.tf line 2/);
  });

  it("passes an HCL --var-file's values to terraform", () => {
    const varFile = join(tmpdir(), `tf-lambda-cli-${process.pid}.tfvars`);
    writeFileSync(varFile, 'environment = "from-file"\n');

    const run = tfLambda([
      "local",
      "apply",
      "--dir",
      dir,
      "--var-file",
      varFile,
      "--json",
      "--state-dir",
      join(dir, "file-state"),
    ]);
    rmSync(varFile);

    expect(JSON.parse(run.stdout).outputs.network.value.name).toBe("from-file-network");
  });

  it("passes --var values to terraform", () => {
    const run = tfLambda([
      "local",
      "apply",
      "--dir",
      dir,
      "--var",
      "environment=from-flag",
      "--json",
      "--state-dir",
      join(dir, "flag-state"),
    ]);

    expect(JSON.parse(run.stdout).outputs.service.value.name).toBe("from-flag-service");
  });
});

describe.runIf(toolOrSkip("terraform"))("the README's Node example", () => {
  let dir: string;

  beforeAll(() => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), "tf-lambda-readme-"));
    cpSync(QUICKSTART, join(dir, "examples", "local-quickstart"), { recursive: true });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("runs as written (the package name resolved to this build) and applies the quickstart", () => {
    const readme = readFileSync(join(PACKAGE, "README.md"), "utf8");
    const example = /```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
    const script = join(dir, "example.mjs");
    writeFileSync(
      script,
      example.replace('"@tf-lambda/client"', JSON.stringify(join(PACKAGE, "dist", "index.js"))),
    );

    const run = spawnSync(process.execPath, [script], { cwd: dir, encoding: "utf8" });

    expect(example.trim().split("\n")).toHaveLength(8);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain("3 added");
    expect(existsSync(join(dir, ".tf-lambda", "state", "terraform.tfstate"))).toBe(true);
  });
});

describe.runIf(toolOrSkip("terraform"))("tf-lambda serve", () => {
  it("serves the Invoke API to an unchanged TerraformRunnerClient", async () => {
    ensureBuilt();
    const { spawn } = await import("node:child_process");
    const { TerraformRunnerClient } = await import("../../src/index.js");
    const server = spawn(process.execPath, [CLI, "serve", "--port", "0"], {
      stdio: ["ignore", "pipe", "ignore"],
    });
    try {
      const endpoint = await new Promise<string>((resolve) => {
        let output = "";
        server.stdout.on("data", (chunk) => {
          output += chunk;
          const match = /listening on (http:\/\/\S+)/.exec(output);
          if (match?.[1]) resolve(match[1]);
        });
      });
      const client = new TerraformRunnerClient({ functionName: "any-name", endpoint });

      const result = await client.plan({ dir: QUICKSTART });
      client.destroyClients();

      expect(result.plan?.add).toBe(3);
    } finally {
      server.kill("SIGTERM");
    }
  });
});
