import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import {
  InvokeCommand,
  type InvokeCommandOutput,
  LambdaClient,
  type LambdaClientConfig,
} from "@aws-sdk/client-lambda";
import { S3Client } from "@aws-sdk/client-s3";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { LAMBDA_LIMITS, MUTATING_COMMANDS, type RunRequest, type RunResult } from "@tf-lambda/protocol";
import { InvokeError, PayloadTooLargeError, UnexpectedResponseError } from "./errors.js";
import { readInvokeResponse } from "./read-invoke-response.js";
import { type BuiltRequest, buildRunRequest, type CommandRunInput, type RunInput } from "./run-input.js";
import { stageCode } from "./stage-code.js";

/**
 * Lambda stops a function at 900 s at most; the HTTP request must outlive it so its answer is read. The socket
 * is silent while the function runs, so the inactivity timeout is the one that matters; the whole request
 * (a 6 MB upload on a slow link included) gets two more minutes. Both end the call with an error: smithy's
 * `requestTimeout` alone only logs a warning.
 */
const SOCKET_TIMEOUT_MS = 960_000;
const REQUEST_TIMEOUT_MS = SOCKET_TIMEOUT_MS + 120_000;
/** Marks the error that stops a second attempt a command must not make (see `guardRetries`). */
const NOT_RETRIED = Symbol("tf-lambda.notRetried");
/** Placeholder credentials for a loopback endpoint (a local runner or the emulator checks no signature). */
const LOOPBACK_CREDENTIALS = { accessKeyId: "tf-lambda-local", secretAccessKey: "tf-lambda-local" };

export interface TerraformRunnerClientOptions {
  /** The function's name or ARN (a local runner accepts any name). */
  functionName: string;
  /** A version or alias. */
  qualifier?: string;
  region?: string;
  /** An Invoke API endpoint other than AWS's: a local runner (`tf-lambda serve`) or the emulator. */
  endpoint?: string;
  /** Default: the AWS SDK's credential chain; placeholders when `endpoint` is a loopback address. */
  credentials?: LambdaClientConfig["credentials"];
  /**
   * A Lambda client to use (its HTTP settings and credentials included). Its retry strategy applies to the
   * reading commands only: apply and destroy are sent once whatever it says. By default the client makes its
   * own: no automatic retry for apply and destroy, up to 3 attempts for the other commands (never after a
   * timeout, which may mean a whole 15-minute run), and an HTTP timeout above Lambda's 900 s.
   */
  lambdaClient?: LambdaClient;
  /** Bucket for code over the payload limit, uploaded as `<prefix>code/<sha256>.zip`. */
  stagingBucket?: string;
  /** Key prefix in the staging bucket (default `tf-lambda/`). */
  stagingPrefix?: string;
  /** The S3 client for staging (default: one made from `region` and `credentials`). */
  s3Client?: S3Client;
  /** The synchronous payload limit (default Lambda's 6 MB); lower it to stage code earlier. */
  maxPayloadBytes?: number;
}

/** What an `Event` invocation resolves to: Lambda queued the run. */
export interface AcceptedInvocation {
  accepted: true;
  /** The Lambda request id (the runtime's result carries the same id). */
  requestId: string | undefined;
}

/** The result of a call: a `RunResult`, or an {@link AcceptedInvocation} for `invocationType: "Event"`. */
export type RunOutcome<T extends RunInput> = T extends { invocationType: "Event" }
  ? AcceptedInvocation
  : RunResult;

/**
 * Runs terraform in a tf-lambda function (or a local runner) and reads back typed results.
 *
 * Every terraform outcome resolves: check `result.status` (`succeeded`, `failed`, `rejected`, `interrupted`).
 * Only problems with the call itself throw (see `errors.ts`): {@link InvokeError}, `FunctionTimeoutError`,
 * `FunctionError`, {@link PayloadTooLargeError}, {@link UnexpectedResponseError}, `InvalidRunInputError`.
 *
 * @example
 * const client = new TerraformRunnerClient({ functionName: "tf-lambda", region: "eu-west-1" });
 * const result = await client.plan({ dir: "./infra", backend: s3Backend({ bucket: "acme-state", key: "infra.tfstate" }) });
 * if (result.status === "succeeded") console.log(result.plan?.hasChanges);
 */
export class TerraformRunnerClient {
  readonly functionName: string;
  private readonly options: TerraformRunnerClientOptions;
  private readonly clients = new Map<"mutating" | "reading", LambdaClient>();
  private s3: S3Client | undefined;

  constructor(options: TerraformRunnerClientOptions) {
    if (!options.functionName) throw new TypeError("functionName is required");
    this.functionName = options.functionName;
    this.options = options;
  }

  /**
   * `terraform plan`.
   *
   * @example
   * const result = await client.plan({ dir: "./infra", vars: { env: "prod" } });
   * if (result.status === "succeeded" && result.plan?.hasChanges) console.log(result.plan.resources);
   */
  plan<T extends RunInput>(input: T): Promise<RunOutcome<T>> {
    return this.run({ ...input, command: "plan" });
  }

  /**
   * `terraform apply -auto-approve`. Never retried automatically.
   *
   * @example
   * const result = await client.apply({ dir: "./infra", backend: s3Backend({ bucket: "acme-state", key: "infra.tfstate" }) });
   * if (result.status !== "succeeded") throw new Error(result.error.message);
   */
  apply<T extends RunInput>(input: T): Promise<RunOutcome<T>> {
    return this.run({ ...input, command: "apply" });
  }

  /**
   * `terraform destroy -auto-approve`. Never retried automatically.
   *
   * @example
   * const result = await client.destroy({ dir: "./preview-env", workspace: "pr-42" });
   */
  destroy<T extends RunInput>(input: T): Promise<RunOutcome<T>> {
    return this.run({ ...input, command: "destroy" });
  }

  /**
   * `terraform validate`: diagnostics without touching state.
   *
   * @example
   * const { diagnostics } = await client.validate({ dir: "./infra" });
   */
  validate<T extends RunInput>(input: T): Promise<RunOutcome<T>> {
    return this.run({ ...input, command: "validate" });
  }

  /**
   * `terraform init` alone (every other command runs init first).
   *
   * @example
   * const result = await client.init({ dir: "./infra", upgrade: true });
   */
  init<T extends RunInput>(input: T): Promise<RunOutcome<T>> {
    return this.run({ ...input, command: "init" });
  }

  /**
   * `terraform output`: the root module's outputs from the state (sensitive values redacted).
   *
   * @example
   * const { outputs } = await client.output({ dir: "./infra", backend });
   */
  output<T extends RunInput>(input: T): Promise<RunOutcome<T>> {
    return this.run({ ...input, command: "output" });
  }

  /**
   * Any command: builds the v1 request, validates it, stages large code in S3, invokes and reads the result.
   *
   * @example
   * const result = await client.run({ command: "plan", bundled: true, targets: ["terraform_data.a"] });
   */
  async run<T extends CommandRunInput>(input: T): Promise<RunOutcome<T>> {
    const event = input.invocationType === "Event";
    const limit = event
      ? LAMBDA_LIMITS.asyncInvokePayloadBytes
      : (this.options.maxPayloadBytes ?? LAMBDA_LIMITS.syncInvokePayloadBytes);
    const built = await buildRunRequest(input);
    const payload = await this.fitPayload(built, limit);
    const client = this.lambdaFor(input.command);
    const invoke = new InvokeCommand({
      FunctionName: this.functionName,
      InvocationType: event ? "Event" : "RequestResponse",
      Payload: payload,
      ...(this.options.qualifier ? { Qualifier: this.options.qualifier } : {}),
    });
    guardRetries(invoke, MUTATING_COMMANDS.has(input.command) ? "never" : "not-after-timeout");
    let output: InvokeCommandOutput;
    try {
      output = await client.send(invoke);
    } catch (error) {
      throw this.invokeFailure(error, payload.length, limit);
    }
    if (event) {
      if (output.StatusCode !== 202) {
        throw new UnexpectedResponseError(
          `an Event invoke should be accepted with HTTP 202, got ${output.StatusCode}`,
          "",
        );
      }
      const accepted: AcceptedInvocation = { accepted: true, requestId: output.$metadata?.requestId };
      return accepted as RunOutcome<T>;
    }
    return readInvokeResponse({
      statusCode: output.StatusCode,
      functionError: output.FunctionError,
      payload: output.Payload,
      requestId: output.$metadata?.requestId,
      command: input.command,
    }) as RunOutcome<T>;
  }

  /** Releases the clients' sockets. The client can still be used afterwards (new ones are made). */
  destroyClients(): void {
    for (const client of this.clients.values()) client.destroy();
    this.clients.clear();
    if (this.s3 && !this.options.s3Client) this.s3.destroy();
    this.s3 = undefined;
  }

  private async fitPayload(built: BuiltRequest, limit: number): Promise<Uint8Array> {
    let payload = encode(built.request);
    if (payload.length <= limit) return payload;
    if (!built.archive) {
      throw new PayloadTooLargeError(
        payload.length,
        limit,
        "shorten vars, env or cliConfig, or move large values into the code",
      );
    }
    const bucket = this.options.stagingBucket;
    if (!bucket) {
      throw new PayloadTooLargeError(
        payload.length,
        limit,
        "set the client's stagingBucket so the code is uploaded to S3 and sent by reference, exclude large " +
          "files (pack.exclude or .terraformignore), or pass code already in S3 as { s3: { bucket, key } }",
      );
    }
    const reference = await stageCode(
      this.stagingClient(),
      bucket,
      built.archive,
      this.options.stagingPrefix,
    );
    const staged: RunRequest = { ...built.request, code: { s3: reference } };
    payload = encode(staged);
    if (payload.length > limit) {
      throw new PayloadTooLargeError(
        payload.length,
        limit,
        "even with the code staged in S3 the request is too large: shorten vars, env or cliConfig",
      );
    }
    return payload;
  }

  private lambdaFor(command: CommandRunInput["command"]): LambdaClient {
    if (this.options.lambdaClient) return this.options.lambdaClient;
    const kind = MUTATING_COMMANDS.has(command) ? "mutating" : "reading";
    let client = this.clients.get(kind);
    if (!client) {
      client = new LambdaClient({
        ...this.baseConfig(),
        maxAttempts: kind === "mutating" ? 1 : 3,
        requestHandler: new NodeHttpHandler({
          socketTimeout: SOCKET_TIMEOUT_MS,
          requestTimeout: REQUEST_TIMEOUT_MS,
          throwOnRequestTimeout: true,
          connectionTimeout: 10_000,
          // TCP keep-alive probes keep a quiet 15-minute request alive through NATs and load balancers.
          httpAgent: new HttpAgent({ keepAlive: true, keepAliveMsecs: 30_000 }),
          httpsAgent: new HttpsAgent({ keepAlive: true, keepAliveMsecs: 30_000 }),
        }),
      });
      this.clients.set(kind, client);
    }
    return client;
  }

  /**
   * The staging bucket is real S3 even when `endpoint` is a local runner: it gets the caller's region and
   * credentials (or the SDK's chain), never the loopback placeholders, and follows the bucket to its region.
   */
  private stagingClient(): S3Client {
    if (this.options.s3Client) return this.options.s3Client;
    const { region, credentials } = this.options;
    this.s3 ??= new S3Client({
      followRegionRedirects: true,
      ...(region ? { region } : {}),
      ...(credentials === undefined ? {} : { credentials }),
    });
    return this.s3;
  }

  private baseConfig(): LambdaClientConfig {
    const config: LambdaClientConfig = {};
    const loopback = this.options.endpoint !== undefined && isLoopback(this.options.endpoint);
    if (this.options.region) config.region = this.options.region;
    else if (loopback) config.region = "us-east-1";
    if (this.options.endpoint) config.endpoint = this.options.endpoint;
    if (this.options.credentials) config.credentials = this.options.credentials;
    else if (loopback) config.credentials = LOOPBACK_CREDENTIALS;
    return config;
  }

  private invokeFailure(caught: unknown, size: number, limit: number): Error {
    const error = isNotRetried(caught) ? caught.cause : caught;
    const name = (error as Error).name;
    const metadata = (error as { $metadata?: { httpStatusCode?: number; requestId?: string } }).$metadata;
    const status = metadata?.httpStatusCode;
    const requestId = metadata?.requestId;
    if (name === "RequestEntityTooLargeException" || status === 413) {
      return new PayloadTooLargeError(
        size,
        limit,
        "Lambda refused the payload as too large: set stagingBucket or lower maxPayloadBytes so code is staged in S3",
        { cause: error, requestId },
      );
    }
    const message = (error as Error).message || name;
    return new InvokeError(
      `could not invoke ${this.functionName}: ${message}`,
      { code: name, statusCode: status },
      { cause: error, requestId },
    );
  }
}

/**
 * Limits what any retry strategy may repeat (an injected `lambdaClient` may retry a 5xx or a timed-out socket):
 * - `never`: apply and destroy reach the network once (a retried apply runs twice);
 * - `not-after-timeout`: other commands may be retried after a throttle or a 5xx, but not after a timeout, which
 *   means the function may have run for its whole 15 minutes (three attempts would hold the caller 45).
 * A middleware inside the retry loop stops the second attempt before it is sent, with an error no strategy
 * retries whose cause is the first failure.
 */
function guardRetries(command: InvokeCommand, mode: "never" | "not-after-timeout"): void {
  let firstFailure: unknown;
  let attempted = false;
  command.middlewareStack.add(
    (next) => async (args) => {
      if (attempted && (mode === "never" || isTimeout(firstFailure))) {
        throw Object.assign(
          new Error(
            mode === "never" ? "not retried: apply and destroy are sent once" : "not retried after a timeout",
          ),
          { name: "TfLambdaNotRetried", cause: firstFailure, [NOT_RETRIED]: true },
        );
      }
      attempted = true;
      try {
        return await next(args);
      } catch (error) {
        firstFailure = error;
        throw error;
      }
    },
    { step: "finalizeRequest", priority: "low", name: "tfLambdaGuardRetries" },
  );
}

function isTimeout(error: unknown): boolean {
  const { name, code } = (error ?? {}) as { name?: string; code?: string };
  return name === "TimeoutError" || code === "ETIMEDOUT" || code === "ESOCKETTIMEDOUT";
}

function isNotRetried(value: unknown): value is Error & { cause: unknown } {
  return typeof value === "object" && value !== null && NOT_RETRIED in value;
}

function encode(request: RunRequest): Uint8Array {
  return Buffer.from(JSON.stringify(request), "utf8");
}

function isLoopback(endpoint: string): boolean {
  try {
    const host = new URL(endpoint).hostname;
    return host === "localhost" || host === "[::1]" || host === "::1" || host.startsWith("127.");
  } catch {
    return false;
  }
}
