import { join } from "node:path";
import { toolOrSkip } from "@tf-lambda/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TerraformRunnerClient } from "../../src/index.js";
import { CONFIGS, type RuntimeUnderTest, startRuntimeInEmulator } from "../support/runtime-emulator.js";

const ready = toolOrSkip("terraform") && toolOrSkip("emulator");

describe.runIf(ready)("client -> Lambda emulator -> runtime -> terraform (local state)", () => {
  let runtime: RuntimeUnderTest;
  let client: TerraformRunnerClient;
  const dir = join(CONFIGS, "simple");

  beforeAll(async () => {
    runtime = await startRuntimeInEmulator();
    client = new TerraformRunnerClient({
      functionName: runtime.emulator.functionName,
      endpoint: runtime.emulator.endpoint,
    });
  });
  afterAll(async () => {
    client?.destroyClients();
    await runtime?.stop();
  });

  it("validates a configuration", async () => {
    const result = await client.validate({ dir });

    expect(result.status).toBe("succeeded");
  });

  it("plans the resources to add", async () => {
    const result = await client.plan({ dir });

    expect(result.plan).toMatchObject({ add: 2, change: 0, destroy: 0, hasChanges: true });
  });

  it("applies with variables and returns the outputs, then plans no changes", async () => {
    const applied = await client.apply({ dir, vars: { greeting: "hi" } });
    const again = await client.plan({ dir, vars: { greeting: "hi" } });

    expect(applied.outputs.message).toEqual({ sensitive: false, type: "string", value: "hi, world" });
    expect(again.plan?.hasChanges).toBe(false);
  });

  it("destroys what was applied", async () => {
    const result = await client.destroy({ dir, vars: { greeting: "hi" } });

    expect([result.status, result.plan?.destroy]).toEqual(["succeeded", 2]);
  });

  it("reads a failing run back as a typed failed result with terraform's diagnostics", async () => {
    const result = await client.plan({ dir: join(CONFIGS, "broken") });

    expect(result.status).toBe("failed");
    expect(result.diagnostics.map((diagnostic) => diagnostic.summary)).toContain(
      "Reference to undeclared input variable",
    );
  });

  it("reads a rejected request back as a typed rejected result", async () => {
    const runtimeWithoutState = await startRuntimeInEmulator({ localState: false });
    const remote = new TerraformRunnerClient({
      functionName: runtimeWithoutState.emulator.functionName,
      endpoint: runtimeWithoutState.emulator.endpoint,
    });
    try {
      const result = await remote.apply({ dir });

      expect(result.status === "rejected" && result.error.type).toBe("StateWouldBeLost");
    } finally {
      remote.destroyClients();
      await runtimeWithoutState.stop();
    }
  });
});
