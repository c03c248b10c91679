import type { RequestIssue } from "@tf-lambda/protocol";

const brand = (name: string): symbol => Symbol.for(`@tf-lambda/client/${name}`);

const CLIENT_ERROR = brand("TfLambdaClientError");
const INVALID_RUN_INPUT_ERROR = brand("InvalidRunInputError");
const INVOKE_ERROR = brand("InvokeError");
const FUNCTION_TIMEOUT_ERROR = brand("FunctionTimeoutError");
const FUNCTION_ERROR = brand("FunctionError");
const PAYLOAD_TOO_LARGE_ERROR = brand("PayloadTooLargeError");
const UNEXPECTED_RESPONSE_ERROR = brand("UnexpectedResponseError");
const PACK_ERROR = brand("PackError");
const STAGING_ERROR = brand("StagingError");
const ASSUME_ROLE_ERROR = brand("AssumeRoleError");
const LOCAL_RUNNER_ERROR = brand("LocalRunnerError");

function isBranded(value: unknown, symbol: symbol): boolean {
  return typeof value === "object" && value !== null && symbol in value;
}

/** `ErrorOptions` plus the Lambda request id of the call, when there was one. */
export interface ClientErrorOptions extends ErrorOptions {
  requestId?: string | undefined;
}

/**
 * Base class of every error the client throws. A terraform run that fails is never an error: it resolves to a
 * `RunResult` whose `status` is `failed`, `rejected` or `interrupted`. These errors mean the run could not be
 * asked for or its answer could not be read.
 */
export class TfLambdaClientError extends Error {
  readonly [CLIENT_ERROR] = true;
  /** The Lambda request id of the call (for the function's CloudWatch log), when Lambda gave one. */
  readonly requestId: string | undefined;

  constructor(message: string, options?: ClientErrorOptions) {
    super(message, options);
    this.name = "TfLambdaClientError";
    this.requestId = options?.requestId;
  }

  /** True for a TfLambdaClientError from any copy of this package. */
  static isInstance(value: unknown): value is TfLambdaClientError {
    return isBranded(value, CLIENT_ERROR);
  }
}

/** The run's input is not a valid request (checked before anything is sent). `issues` names each problem. */
export class InvalidRunInputError extends TfLambdaClientError {
  readonly [INVALID_RUN_INPUT_ERROR] = true;
  readonly issues: readonly RequestIssue[];

  constructor(issues: readonly RequestIssue[], options?: ClientErrorOptions) {
    const listed = issues.map((issue) => (issue.field ? `${issue.field}: ${issue.message}` : issue.message));
    super(`invalid run input: ${listed.join("; ")}`, options);
    this.name = "InvalidRunInputError";
    this.issues = issues;
  }

  static override isInstance(value: unknown): value is InvalidRunInputError {
    return isBranded(value, INVALID_RUN_INPUT_ERROR);
  }
}

/**
 * The invoke did not reach the function or Lambda refused it: network, permissions, throttling, a missing
 * function. `code` is the AWS error name (`TooManyRequestsException`, `AccessDeniedException`...) when known.
 * The run may or may not have started when the connection broke: check before repeating an apply.
 */
export class InvokeError extends TfLambdaClientError {
  readonly [INVOKE_ERROR] = true;
  readonly code: string | undefined;
  readonly statusCode: number | undefined;

  constructor(
    message: string,
    details: { code?: string | undefined; statusCode?: number | undefined },
    options?: ClientErrorOptions,
  ) {
    super(message, options);
    this.name = "InvokeError";
    this.code = details.code;
    this.statusCode = details.statusCode;
  }

  /** True when Lambda throttled the call (it never ran, so repeating it later is safe). */
  get throttled(): boolean {
    return this.code === "TooManyRequestsException" || this.statusCode === 429;
  }

  static override isInstance(value: unknown): value is InvokeError {
    return isBranded(value, INVOKE_ERROR);
  }
}

/** Lambda stopped the function at its timeout before the runtime answered (no typed result exists). */
export class FunctionTimeoutError extends TfLambdaClientError {
  readonly [FUNCTION_TIMEOUT_ERROR] = true;
  /** The function's timeout as Lambda reported it, when it did. */
  readonly timeoutSeconds: number | undefined;

  constructor(message: string, timeoutSeconds: number | undefined, options?: ClientErrorOptions) {
    super(message, options);
    this.name = "FunctionTimeoutError";
    this.timeoutSeconds = timeoutSeconds;
  }

  static override isInstance(value: unknown): value is FunctionTimeoutError {
    return isBranded(value, FUNCTION_TIMEOUT_ERROR);
  }
}

/**
 * The function failed at the Lambda level without a typed result: the runtime crashed or exited
 * (`Runtime.ExitError`), ran out of memory, or could not start.
 */
export class FunctionError extends TfLambdaClientError {
  readonly [FUNCTION_ERROR] = true;
  readonly errorType: string;
  readonly errorMessage: string;

  /** `options.hint`: what to do next, added to the message (not to `errorMessage`). */
  constructor(errorType: string, errorMessage: string, options?: ClientErrorOptions & { hint?: string }) {
    super(`the function failed (${errorType}): ${errorMessage}${options?.hint ?? ""}`, options);
    this.name = "FunctionError";
    this.errorType = errorType;
    this.errorMessage = errorMessage;
  }

  static override isInstance(value: unknown): value is FunctionError {
    return isBranded(value, FUNCTION_ERROR);
  }
}

/** The request is over Lambda's payload limit and cannot be staged. The message says how to fix it. */
export class PayloadTooLargeError extends TfLambdaClientError {
  readonly [PAYLOAD_TOO_LARGE_ERROR] = true;
  readonly size: number;
  readonly limit: number;

  constructor(size: number, limit: number, fix: string, options?: ClientErrorOptions) {
    super(`the request is ${size} bytes, over the ${limit}-byte invoke payload limit: ${fix}`, options);
    this.name = "PayloadTooLargeError";
    this.size = size;
    this.limit = limit;
  }

  static override isInstance(value: unknown): value is PayloadTooLargeError {
    return isBranded(value, PAYLOAD_TOO_LARGE_ERROR);
  }
}

/** The function answered with something that is neither a run result nor a Lambda error. */
export class UnexpectedResponseError extends TfLambdaClientError {
  readonly [UNEXPECTED_RESPONSE_ERROR] = true;
  /** The start of the body, for diagnosis. */
  readonly body: string;

  constructor(message: string, body: string, options?: ClientErrorOptions) {
    super(`${message}: ${body.slice(0, 500)}`, options);
    this.name = "UnexpectedResponseError";
    this.body = body.slice(0, 4096);
  }

  static override isInstance(value: unknown): value is UnexpectedResponseError {
    return isBranded(value, UNEXPECTED_RESPONSE_ERROR);
  }
}

/** A directory could not be packed: a symlink leaving the tree, a special file, an unreadable path. */
export class PackError extends TfLambdaClientError {
  readonly [PACK_ERROR] = true;
  /** The offending path, relative to the packed directory, when there is one. */
  readonly path: string | undefined;

  constructor(message: string, path: string | undefined, options?: ClientErrorOptions) {
    super(path === undefined ? message : `${path}: ${message}`, options);
    this.name = "PackError";
    this.path = path;
  }

  static override isInstance(value: unknown): value is PackError {
    return isBranded(value, PACK_ERROR);
  }
}

/** Large code could not be staged in the staging bucket. */
export class StagingError extends TfLambdaClientError {
  readonly [STAGING_ERROR] = true;

  constructor(message: string, options?: ClientErrorOptions) {
    super(message, options);
    this.name = "StagingError";
  }

  static override isInstance(value: unknown): value is StagingError {
    return isBranded(value, STAGING_ERROR);
  }
}

/** STS refused to hand out credentials for a role. */
export class AssumeRoleError extends TfLambdaClientError {
  readonly [ASSUME_ROLE_ERROR] = true;
  readonly roleArn: string;

  constructor(roleArn: string, message: string, options?: ClientErrorOptions) {
    super(`could not assume ${roleArn}: ${message}`, options);
    this.name = "AssumeRoleError";
    this.roleArn = roleArn;
  }

  static override isInstance(value: unknown): value is AssumeRoleError {
    return isBranded(value, ASSUME_ROLE_ERROR);
  }
}

/** The local runner could not start: no terraform binary, no runtime bundle, a port in use. */
export class LocalRunnerError extends TfLambdaClientError {
  readonly [LOCAL_RUNNER_ERROR] = true;

  constructor(message: string, options?: ClientErrorOptions) {
    super(message, options);
    this.name = "LocalRunnerError";
  }

  static override isInstance(value: unknown): value is LocalRunnerError {
    return isBranded(value, LOCAL_RUNNER_ERROR);
  }
}

const USAGE_ERROR = brand("UsageError");

/** The `tf-lambda` command line is wrong: an unknown flag, a missing value, a malformed `key=value`. */
export class UsageError extends TfLambdaClientError {
  readonly [USAGE_ERROR] = true;

  constructor(message: string, options?: ClientErrorOptions) {
    super(message, options);
    this.name = "UsageError";
  }

  static override isInstance(value: unknown): value is UsageError {
    return isBranded(value, USAGE_ERROR);
  }
}
