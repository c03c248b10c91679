import type { RequestIssue, RunErrorType } from "@tf-lambda/protocol";

const brand = (name: string): symbol => Symbol.for(`@tf-lambda/runtime/${name}`);

const RUNTIME_ERROR = brand("TfLambdaRuntimeError");
const RUN_REFUSED_ERROR = brand("RunRefusedError");
const RUNTIME_API_ERROR = brand("RuntimeApiError");

function isBranded(value: unknown, symbol: symbol): boolean {
  return typeof value === "object" && value !== null && symbol in value;
}

/** Base class of every error the runtime throws. */
export class TfLambdaRuntimeError extends Error {
  readonly [RUNTIME_ERROR] = true;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "TfLambdaRuntimeError";
  }

  /** True for a TfLambdaRuntimeError from any copy of this package. */
  static isInstance(value: unknown): value is TfLambdaRuntimeError {
    return isBranded(value, RUNTIME_ERROR);
  }
}

/**
 * A run refused before terraform could do harm: an unsafe archive, code that cannot be fetched, state that
 * would be lost, a path outside the workspace. Reported as a `rejected` result with `type` as `error.type`.
 *
 * @example
 * throw new RunRefusedError("UnsafeArchive", "entry '../x' escapes the workspace");
 */
export class RunRefusedError extends TfLambdaRuntimeError {
  readonly [RUN_REFUSED_ERROR] = true;
  readonly type: RunErrorType;
  readonly issues: readonly RequestIssue[] | undefined;

  constructor(
    type: RunErrorType,
    message: string,
    options?: ErrorOptions & { issues?: readonly RequestIssue[] },
  ) {
    super(message, options);
    this.name = "RunRefusedError";
    this.type = type;
    this.issues = options?.issues;
  }

  static override isInstance(value: unknown): value is RunRefusedError {
    return isBranded(value, RUN_REFUSED_ERROR);
  }
}

/** The Lambda Runtime API answered with an HTTP error or could not be reached. */
export class RuntimeApiError extends TfLambdaRuntimeError {
  readonly [RUNTIME_API_ERROR] = true;
  /** The HTTP status, or undefined when no answer came (connection refused, reset). */
  readonly statusCode: number | undefined;

  constructor(message: string, statusCode: number | undefined, options?: ErrorOptions) {
    super(message, options);
    this.name = "RuntimeApiError";
    this.statusCode = statusCode;
  }

  /** A 4xx answer is final (e.g. the invocation was already answered): retrying cannot help. */
  get isFinal(): boolean {
    return this.statusCode !== undefined && this.statusCode >= 400 && this.statusCode < 500;
  }

  static override isInstance(value: unknown): value is RuntimeApiError {
    return isBranded(value, RUNTIME_API_ERROR);
  }
}
