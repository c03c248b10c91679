import { describe, expect, it } from "vitest";
import {
  FUNCTION_ERROR_TYPES,
  functionErrorTypeFor,
  PROTOCOL_VERSION,
  RunResultSchema,
} from "../../src/index.js";

const base = {
  protocol: PROTOCOL_VERSION,
  requestId: "8f1c",
  command: "plan",
  exitCode: 2,
  durationMs: 1234,
  terraformVersion: "OpenTofu v1.6.2",
  phase: "done",
  plan: {
    add: 1,
    change: 0,
    destroy: 0,
    import: 0,
    hasChanges: true,
    resources: [
      { address: "terraform_data.a", mode: "managed", type: "terraform_data", name: "a", action: "create" },
    ],
    drift: [],
  },
  outputs: { id: { sensitive: false, value: "x" }, password: { sensitive: true } },
  diagnostics: [],
  log: { text: "Plan: 1 to add", truncated: false, bytes: 14 },
};

describe("RunResultSchema", () => {
  it("accepts a succeeded result", () => {
    expect(RunResultSchema.parse({ status: "succeeded", ...base }).status).toBe("succeeded");
  });

  it("requires an error on a failed result", () => {
    expect(RunResultSchema.safeParse({ status: "failed", ...base }).success).toBe(false);
    expect(
      RunResultSchema.safeParse({
        status: "failed",
        ...base,
        error: { type: "TerraformFailed", message: "x" },
      }).success,
    ).toBe(true);
  });

  it("allows a rejected result without a command", () => {
    const rejected = {
      status: "rejected",
      ...base,
      command: null,
      error: { type: "InvalidRequest", message: "bad" },
    };

    expect(RunResultSchema.safeParse(rejected).success).toBe(true);
  });

  it("never carries the value of a sensitive output", () => {
    const leaking = {
      status: "succeeded",
      ...base,
      outputs: { password: { sensitive: true, value: "hunter2" } },
    };

    const parsed = RunResultSchema.parse(leaking);

    expect(JSON.stringify(parsed)).not.toContain("hunter2");
  });

  it("maps each non-succeeded status to a Lambda errorType", () => {
    expect(functionErrorTypeFor("failed")).toBe(FUNCTION_ERROR_TYPES.failed);
    expect(functionErrorTypeFor("rejected")).toBe("TfLambda.Rejected");
    expect(functionErrorTypeFor("interrupted")).toBe("TfLambda.Interrupted");
  });
});
