import type { InvokeCommandOutput } from "@aws-sdk/client-lambda";
import {
  FUNCTION_ERROR_TYPES,
  type FunctionErrorBody,
  PROTOCOL_VERSION,
  type RunResult,
} from "@tf-lambda/protocol";

/** A well-formed result for tests to answer with. */
export function succeededResult(overrides: Partial<RunResult> = {}): RunResult {
  return {
    protocol: PROTOCOL_VERSION,
    status: "succeeded",
    requestId: "request-1",
    command: "plan",
    exitCode: 0,
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
    outputs: {},
    diagnostics: [],
    log: { text: "", truncated: false, bytes: 0 },
    ...overrides,
  } as RunResult;
}

/** The body the runtime posts to /error for a failed run. */
export function failedBody(): FunctionErrorBody {
  const result = {
    ...succeededResult({ exitCode: 1, phase: "command", plan: null }),
    status: "failed",
    error: { type: "TerraformFailed", message: "terraform plan exited with 1" },
    diagnostics: [
      { severity: "error", summary: "Unsupported argument", detail: "An argument named x is not expected." },
    ],
  } as RunResult;
  return { errorType: FUNCTION_ERROR_TYPES.failed, errorMessage: "terraform plan exited with 1", result };
}

/** A Lambda Invoke payload holding `value` (as JSON unless it is a string). */
export function payloadOf(value: unknown): NonNullable<InvokeCommandOutput["Payload"]> {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return Object.assign(new TextEncoder().encode(text), { transformToString: () => text });
}
