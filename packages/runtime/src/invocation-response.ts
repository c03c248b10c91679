import {
  FUNCTION_ERROR_TYPES,
  type FunctionErrorBody,
  functionErrorTypeFor,
  PROTOCOL_VERSION,
  RUN_ERROR_TYPES,
  type RunResult,
} from "@tf-lambda/protocol";

/** What to post to the Runtime API for a result. */
export type InvocationAnswer =
  | { kind: "response"; body: string }
  | { kind: "error"; errorType: string; body: string };

/**
 * `succeeded` goes to `/response` as the RunResult; every other status to `/error` with the Lambda error type
 * (`TfLambda.Failed`...) and a FunctionErrorBody carrying the full typed result.
 *
 * @example
 * const answer = answerFor(result);
 * if (answer.kind === "error") await api.postError(requestId, answer.errorType, answer.body);
 */
export function answerFor(result: RunResult): InvocationAnswer {
  if (result.status === "succeeded") return { kind: "response", body: JSON.stringify(result) };
  const errorType = functionErrorTypeFor(result.status);
  const body: FunctionErrorBody = { errorType, errorMessage: result.error.message, result };
  return { kind: "error", errorType, body: JSON.stringify(body) };
}

/** The answer for a fault of the runtime itself: TfLambda.RuntimeError with a `failed` / `Internal` result. */
export function runtimeFaultAnswer(requestId: string, error: unknown, durationMs = 0): InvocationAnswer {
  const message = `the tf-lambda runtime failed: ${error instanceof Error ? error.message : String(error)}`;
  const result: RunResult = {
    status: "failed",
    protocol: PROTOCOL_VERSION,
    requestId,
    command: "plan",
    exitCode: null,
    durationMs,
    terraformVersion: null,
    phase: "request",
    plan: null,
    outputs: {},
    diagnostics: [],
    log: { text: "", truncated: false, bytes: 0 },
    error: { type: RUN_ERROR_TYPES.internal, message },
  };
  const body: FunctionErrorBody = { errorType: FUNCTION_ERROR_TYPES.runtime, errorMessage: message, result };
  return { kind: "error", errorType: FUNCTION_ERROR_TYPES.runtime, body: JSON.stringify(body) };
}
