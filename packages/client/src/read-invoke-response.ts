import { FunctionErrorBodySchema, type RunResult, RunResultSchema } from "@tf-lambda/protocol";
import { FunctionError, FunctionTimeoutError, UnexpectedResponseError } from "./errors.js";

/** The parts of a Lambda Invoke response the client reads. */
export interface InvokeResponse {
  statusCode: number | undefined;
  /** `X-Amz-Function-Error` (`Unhandled`), when Lambda sent it. The RIE never does. */
  functionError: string | undefined;
  payload: Uint8Array | undefined;
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
  const timedOut = TIMED_OUT.exec(message);
  if (timedOut || (wrapped.success && wrapped.data.errorType === "Sandbox.Timedout")) {
    const seconds = timedOut ? Number(timedOut[1]) : undefined;
    return throwTimeout(message, seconds);
  }
  if (wrapped.success) throw new FunctionError(wrapped.data.errorType, wrapped.data.errorMessage);
  if (response.functionError) throw new FunctionError(response.functionError, text.slice(0, 4096));
  throw new UnexpectedResponseError(
    `the function answered (HTTP ${response.statusCode ?? "?"}) with something that is not a tf-lambda result`,
    text,
  );
}

function throwTimeout(message: string, seconds: number | undefined): never {
  throw new FunctionTimeoutError(
    `the function timed out${seconds === undefined ? "" : ` after ${seconds} seconds`} before terraform finished ` +
      `(${message.trim()}): raise the function's timeout (up to 900 s) or the runtime's grace period so it can ` +
      "interrupt terraform in time",
    seconds,
  );
}
