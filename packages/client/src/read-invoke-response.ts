import {
  type Command,
  FunctionErrorBodySchema,
  MUTATING_COMMANDS,
  type RunResult,
  RunResultSchema,
} from "@tf-lambda/protocol";
import { FunctionError, FunctionTimeoutError, UnexpectedResponseError } from "./errors.js";

/** The parts of a Lambda Invoke response the client reads. */
export interface InvokeResponse {
  statusCode: number | undefined;
  /** `X-Amz-Function-Error` (`Unhandled`), when Lambda sent it. The RIE never does. */
  functionError: string | undefined;
  payload: Uint8Array | undefined;
  /** The Lambda request id (`x-amzn-RequestId`), for the errors. */
  requestId?: string | undefined;
  /** The command sent: a failed apply or destroy gets a warning about the state. */
  command?: Command | undefined;
}

const TIMED_OUT = /Task timed out after ([\d.]+) seconds/;

/**
 * Reads a synchronous invoke's answer. Our result is recognised by its shape, never by the function-error
 * header: a succeeded run's body is a `RunResult`; any other status arrives as a function error whose body
 * carries the `RunResult`. Everything else is a Lambda-level failure and throws.
 */
export function readInvokeResponse(response: InvokeResponse): RunResult {
  const text = response.payload ? new TextDecoder().decode(response.payload) : "";
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const direct = RunResultSchema.safeParse(body);
  if (direct.success) return direct.data;
  const wrapped = FunctionErrorBodySchema.safeParse(body);
  if (wrapped.success && wrapped.data.result) return wrapped.data.result;

  const message = wrapped.success ? wrapped.data.errorMessage : typeof body === "string" ? body : text;
  const options = { requestId: response.requestId };
  const after = afterwards(response);
  const timedOut = TIMED_OUT.exec(message);
  if (timedOut || (wrapped.success && wrapped.data.errorType === "Sandbox.Timedout")) {
    const seconds = timedOut ? Number(timedOut[1]) : undefined;
    throw new FunctionTimeoutError(
      `the function timed out${seconds === undefined ? "" : ` after ${seconds} seconds`} before terraform finished ` +
        `(${message.trim()}): raise the function's timeout (up to 900 s) or the runtime's grace period so it can ` +
        `interrupt terraform in time${after}`,
      seconds,
      options,
    );
  }
  if (wrapped.success) {
    throw new FunctionError(wrapped.data.errorType, wrapped.data.errorMessage, { ...options, hint: after });
  }
  if (response.functionError) {
    throw new FunctionError(response.functionError, text.slice(0, 4096), { ...options, hint: after });
  }
  const what = text.trim() === "" ? "an empty body" : "something that is not a tf-lambda result";
  throw new UnexpectedResponseError(
    `the function answered (HTTP ${response.statusCode ?? "?"}) with ${what}: check that it runs the ` +
      `tf-lambda runtime, at a version that speaks this client's protocol${after}`,
    text,
    options,
  );
}

/** What to do next, for a call that ended without a result: where to look, and the state after a mutation. */
function afterwards(response: InvokeResponse): string {
  const where = response.requestId ? ` (see the function's log for request ${response.requestId})` : "";
  const state =
    response.command !== undefined && MUTATING_COMMANDS.has(response.command)
      ? `; terraform ${response.command} may have changed resources or left the state locked: run plan before repeating`
      : "";
  return `${where}${state}`;
}
