import { LAMBDA_LIMITS, PROTOCOL_VERSION, type RunResult, RunResultSchema } from "@tf-lambda/protocol";
import { describe, expect, it } from "vitest";
import { fitResult } from "../../src/result-fit.js";

const LIMIT = LAMBDA_LIMITS.syncInvokePayloadBytes;

function succeeded(overrides: Partial<RunResult> = {}): RunResult {
  return {
    status: "succeeded",
    protocol: PROTOCOL_VERSION,
    requestId: "request-1",
    command: "apply",
    exitCode: 0,
    durationMs: 1,
    terraformVersion: "Terraform v1.11.4",
    phase: "done",
    plan: null,
    outputs: {},
    diagnostics: [],
    log: { text: "", truncated: false, bytes: 0 },
    ...overrides,
  } as RunResult;
}

const size = (result: RunResult) => Buffer.byteLength(JSON.stringify(result));

describe("fitResult", () => {
  it("leaves a small result unchanged", () => {
    const result = succeeded({ log: { text: "Apply complete!\n", truncated: false, bytes: 16 } });

    expect(fitResult(result)).toBe(result);
  });

  it("cuts a huge log and thousands of resources to fit the response limit, keeping the log's end", () => {
    const resources = Array.from({ length: 60_000 }, (_, index) => ({
      address: `module.very_long_module_name_${index}.terraform_data.resource_with_a_long_name[${index}]`,
      mode: "managed" as const,
      type: "terraform_data",
      name: "resource_with_a_long_name",
      action: "create" as const,
    }));
    const text = `${"a line of terraform output\n".repeat(400_000)}the last line\n`;
    const result = succeeded({
      plan: { add: 60_000, change: 0, destroy: 0, import: 0, hasChanges: true, resources, drift: [] },
      log: { text, truncated: false, bytes: Buffer.byteLength(text) },
    });

    const fitted = fitResult(result);

    expect(size(fitted)).toBeLessThanOrEqual(LIMIT);
    expect(fitted.log.truncated).toBe(true);
    expect(fitted.log.text.endsWith("the last line\n")).toBe(true);
    expect(fitted.plan?.add).toBe(60_000);
    expect(RunResultSchema.safeParse(fitted).success).toBe(true);
  });

  it("leaves out an output too large for the response and says so in a warning", () => {
    const result = succeeded({
      outputs: {
        small: { sensitive: false, type: "string", value: "kept" },
        huge: { sensitive: false, type: "string", value: "x".repeat(7 * 1024 * 1024) },
      },
    });

    const fitted = fitResult(result);

    expect(size(fitted)).toBeLessThanOrEqual(LIMIT);
    expect(fitted.outputs.small).toEqual({ sensitive: false, type: "string", value: "kept" });
    expect(fitted.outputs.huge).toBeUndefined();
    expect(fitted.diagnostics.map((diagnostic) => diagnostic.summary).join("\n")).toContain('"huge"');
    expect(RunResultSchema.safeParse(fitted).success).toBe(true);
  });

  it("shortens huge diagnostic details so that the result fits", () => {
    const diagnostics = Array.from({ length: 80 }, (_, index) => ({
      severity: "error" as const,
      summary: `problem ${index}`,
      detail: "d".repeat(100 * 1024),
      snippet: "s".repeat(20 * 1024),
    }));
    const result = succeeded({
      status: "failed",
      diagnostics,
      error: { type: "TerraformFailed", message: "m" },
    } as Partial<RunResult>);

    const fitted = fitResult(result);

    expect(size(fitted)).toBeLessThanOrEqual(LIMIT);
    expect(fitted.diagnostics).toHaveLength(80);
    expect(fitted.diagnostics[79]?.summary).toBe("problem 79");
  });
});
