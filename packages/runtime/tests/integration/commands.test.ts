import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeBase64, PROTOCOL_VERSION } from "@tf-lambda/protocol";
import { runTerraform, toolOrSkip } from "@tf-lambda/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RuntimeUnderTest, startRuntime } from "../support/runtime-under-emulator.js";
import { zipOf } from "../support/zip-builder.js";

const ready = toolOrSkip("terraform") && toolOrSkip("emulator");

const MAIN_TF = `
resource "terraform_data" "first" {
  input = "one"
}

resource "terraform_data" "second" {
  input = terraform_data.first.output
}

output "greeting" {
  value = "hello \${terraform_data.second.output}"
}

output "password" {
  value     = "sensitive-output-value-42"
  sensitive = true
}
`;

const code = { zip: encodeBase64(zipOf({ "main.tf": MAIN_TF })) };
const request = (command: string, extra: Record<string, unknown> = {}) => ({
  protocol: PROTOCOL_VERSION,
  command,
  code,
  ...extra,
});

describe.runIf(ready)("the bundled runtime under the Lambda emulator: commands", () => {
  let runtime: RuntimeUnderTest;
  let stateDirectory: string;

  beforeAll(async () => {
    stateDirectory = mkdtempSync(join(tmpdir(), "tf-lambda-state-"));
    runtime = await startRuntime({ TF_LAMBDA_LOCAL_STATE_DIR: stateDirectory });
  });
  afterAll(async () => {
    await runtime?.stop();
    rmSync(stateDirectory, { recursive: true, force: true });
  });

  it("plans changes with the counts and addresses terraform show -json gives for the same plan", async () => {
    const reference = mkdtempSync(join(tmpdir(), "tf-lambda-reference-"));
    writeFileSync(join(reference, "main.tf"), MAIN_TF);
    await runTerraform(["init", "-input=false"], { cwd: reference });
    await runTerraform(["plan", "-input=false", "-out=saved.tfplan"], { cwd: reference });
    const shown = JSON.parse(
      (await runTerraform(["show", "-json", "saved.tfplan"], { cwd: reference })).stdout,
    ) as {
      resource_changes: { address: string; change: { actions: string[] } }[];
    };
    rmSync(reference, { recursive: true, force: true });

    const { result } = await runtime.run(request("plan"));

    expect(result.status).toBe("succeeded");
    expect(result.exitCode).toBe(2);
    const created = shown.resource_changes.filter((change) => change.change.actions.includes("create"));
    expect(result.plan).toMatchObject({ add: created.length, change: 0, destroy: 0, hasChanges: true });
    expect(result.plan?.resources.map((change) => change.address).sort()).toEqual(
      created.map((change) => change.address).sort(),
    );
    expect(result.terraformVersion).toMatch(/v\d+\.\d+\.\d+/);
  });

  it("applies and returns the outputs, a sensitive one without its value anywhere in the response", async () => {
    const { result, text } = await runtime.run(request("apply"));

    expect(result.status).toBe("succeeded");
    expect(result.outputs.greeting).toEqual({ sensitive: false, type: "string", value: "hello one" });
    expect(result.outputs.password).toEqual({ sensitive: true, type: "string" });
    expect(text).not.toContain("sensitive-output-value-42");
    expect(result.plan).toMatchObject({ add: 2 });
  });

  it("reads the outputs with the output command", async () => {
    const { result } = await runtime.run(request("output"));

    expect(result.status).toBe("succeeded");
    expect(result.outputs.greeting).toMatchObject({ value: "hello one" });
  });

  it("destroys what it applied", async () => {
    const { result } = await runtime.run(request("destroy"));

    expect(result.status).toBe("succeeded");
    expect(result.plan).toMatchObject({ destroy: 2 });
  });

  it("initialises only, for the init command", async () => {
    const { result } = await runtime.run(request("init"));

    expect(result).toMatchObject({ status: "succeeded", phase: "done", plan: null });
    expect(result.log.text).toContain("successfully initialized");
  });

  it("fails validate of a broken configuration with the diagnostic's summary", async () => {
    const broken = {
      zip: encodeBase64(zipOf({ "main.tf": 'resource "terraform_data" "x" {\n  input = var.nope\n}\n' })),
    };

    const { result, errorType } = await runtime.run({
      protocol: PROTOCOL_VERSION,
      command: "validate",
      code: broken,
    });

    expect(result.status).toBe("failed");
    expect(errorType).toBe("TfLambda.Failed");
    expect(result.diagnostics[0]).toMatchObject({
      severity: "error",
      summary: "Reference to undeclared input variable",
    });
    expect(result.diagnostics[0]?.range?.filename).toBe("main.tf");
    if (result.status === "failed")
      expect(result.error.message).toContain("Reference to undeclared input variable");
  });

  it("applies vars written as tf-lambda.auto.tfvars.json and a workspace", async () => {
    const zip = encodeBase64(
      zipOf({
        "main.tf": 'variable "name" {}\noutput "name" {\n  value = "${var.name}@${terraform.workspace}"\n}\n',
      }),
    );

    const { result } = await runtime.run({
      protocol: PROTOCOL_VERSION,
      command: "apply",
      code: { zip },
      vars: { name: "typed" },
      workspace: "staging",
    });

    expect(result.status).toBe("succeeded");
    expect(result.outputs.name).toMatchObject({ value: "typed@staging" });
  });
});
