/** One problem found in a request, named by the field it concerns (`env.PATH`, `code.zip`, `envs line 3`). */
export interface RequestIssue {
  field: string;
  message: string;
}

const PROTOCOL_ERROR = Symbol.for("@tf-lambda/protocol/ProtocolError");
const INVALID_REQUEST_ERROR = Symbol.for("@tf-lambda/protocol/InvalidRequestError");

/** Base class of every error the protocol package throws. */
export class ProtocolError extends Error {
  readonly [PROTOCOL_ERROR] = true;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ProtocolError";
  }

  /** True for a ProtocolError from any copy of this package. */
  static isInstance(value: unknown): value is ProtocolError {
    return typeof value === "object" && value !== null && PROTOCOL_ERROR in value;
  }
}

/**
 * A request that cannot be run: malformed JSON shape, bad base64, an unknown command, a denied env name...
 * `issues` names every problem found, field by field.
 */
export class InvalidRequestError extends ProtocolError {
  readonly [INVALID_REQUEST_ERROR] = true;
  readonly issues: readonly RequestIssue[];

  constructor(issues: readonly RequestIssue[], options?: ErrorOptions) {
    super(InvalidRequestError.describe(issues), options);
    this.name = "InvalidRequestError";
    this.issues = issues;
  }

  static override isInstance(value: unknown): value is InvalidRequestError {
    return typeof value === "object" && value !== null && INVALID_REQUEST_ERROR in value;
  }

  private static describe(issues: readonly RequestIssue[]): string {
    if (issues.length === 0) return "invalid request";
    const listed = issues
      .slice(0, 10)
      .map((issue) => (issue.field ? `${issue.field}: ${issue.message}` : issue.message));
    const more = issues.length > 10 ? ` (and ${issues.length - 10} more)` : "";
    return `invalid request: ${listed.join("; ")}${more}`;
  }
}
