import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runTerraform, toolOrSkip } from "@tf-lambda/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONFIGURATIONS, MODULE_DIRECTORY } from "../support/configurations.js";

const terraform = toolOrSkip("terraform");
const QUIET = { CHECKPOINT_DISABLE: "1", TF_CLI_CONFIG_FILE: "/dev/null" };

describe.runIf(terraform)("terraform fmt", () => {
  it.each(CONFIGURATIONS)("leaves $name as it is", async ({ directory }) => {
    const format = await runTerraform(["fmt", "-check", "-recursive", "-diff", "-no-color", directory], {
      cwd: directory,
      env: QUIET,
    });

    expect(format.stdout + format.stderr).toBe("");
    expect(format.exitCode).toBe(0);
  });
});

/**
 * The module's variable validations, evaluated by the real CLI: variables.tf alone is a configuration without
 * providers, so `plan` runs here and checks each -var against its validation blocks.
 */
describe.runIf(terraform)("the module's variable validations", () => {
  let directory: string;

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), "tf-lambda-module-variables-"));
    copyFileSync(join(MODULE_DIRECTORY, "variables.tf"), join(directory, "variables.tf"));
    const init = await runTerraform(["init", "-input=false", "-no-color"], { cwd: directory, env: QUIET });
    expect(init.exitCode, init.stderr).toBe(0);
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  async function plan(variables: readonly string[]) {
    const args = ["plan", "-input=false", "-no-color", "-lock=false", "-var", "name=terraform-runner"];
    for (const variable of variables) args.push("-var", variable);
    return runTerraform(args, { cwd: directory, env: QUIET });
  }

  it("accepts the bounds and a schedule with any payload", async () => {
    const result = await plan([
      "timeout=900",
      "memory_size=10240",
      "ephemeral_storage_size=512",
      "cloudwatch_logs_retention_in_days=3653",
      'schedules=[{name="nightly",schedule_expression="cron(0 2 * * ? *)",payload={command="plan"}}]',
    ]);

    expect(result.exitCode, result.stderr).toBe(0);
  });

  it.each([
    ["timeout=901", "timeout must be a whole number of seconds from 1 to 900"],
    ["timeout=0", "timeout must be a whole number of seconds from 1 to 900"],
    ["memory_size=127", "memory_size must be a whole number of MB from 128 to 10240"],
    ["ephemeral_storage_size=10241", "ephemeral_storage_size must be a whole number of MB from 512 to 10240"],
    ["cloudwatch_logs_retention_in_days=31", "cloudwatch_logs_retention_in_days must be one of"],
    ["maximum_retry_attempts=3", "maximum_retry_attempts must be 0, 1 or 2"],
    ["terraform_distribution=tofu", "terraform_distribution must be terraform or opentofu"],
    ['schedules=[{name="x",schedule_expression="every day",payload={}}]', "must be rate(...) or cron(...)"],
    ['assume_role_arns=["arn:aws:iam::*:role/Terraform"]', "assume_role_arns must hold IAM role ARNs"],
  ])("refuses %s", async (variable, message) => {
    const result = await plan([variable]);

    expect(result.exitCode).not.toBe(0);
    expect(result.stderr.replace(/\s+/g, " ")).toContain(message);
  });
});
