import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { LAMBDA_LIMITS } from "@tf-lambda/protocol";
import { LocalRunnerError } from "../errors.js";
import { findTerraformBinary, toolCacheDirectory } from "./find-terraform.js";
import { runtimeCommand } from "./runtime-bundle.js";
import { RuntimeProcess } from "./runtime-process.js";

export interface LocalRunnerOptions {
  /** Port on 127.0.0.1 (default: a free one). */
  port?: number;
  /** Host to listen on (default 127.0.0.1). The runner has no authentication: keep it on loopback. */
  host?: string;
  /** Persistent state for runs without a backend (`TF_LAMBDA_LOCAL_STATE_DIR`); without it apply/destroy need a backend. */
  stateDir?: string;
  /** The function timeout, seconds (default 900, Lambda's maximum): sets each invocation's deadline. */
  timeoutSeconds?: number;
  /** The terraform binary (default: {@link findTerraformBinary}). */
  terraformBinary?: string;
  /** The bootstrap command (default: {@link runtimeCommand}, node with the image's options on the bundle). */
  runtimeCommand?: readonly string[];
  /** Directory of code for `{ bundled: true }` requests (`TF_LAMBDA_BUNDLED_CODE_DIR`). */
  bundledCodeDir?: string;
  /**
   * More environment for the runtime, e.g. `TF_LAMBDA_LOG_BYTES`. Of the caller's own environment the runtime
   * gets only {@link LOCAL_RUNNER_INHERITED_ENV}: AWS credentials and region (the user's, standing in for the
   * function role's), `AWS_ENDPOINT_URL*`, locale, certificates and proxies.
   */
  env?: Readonly<Record<string, string>>;
  /** Receives everything the runtime prints (default: discarded). */
  onRuntimeOutput?: (text: string) => void;
}

/** A running local runner. */
export interface LocalRunner {
  /** The Invoke API endpoint, for `new TerraformRunnerClient({ endpoint })`. */
  endpoint: string;
  port: number;
  /** Stops the runtime and the server, and removes the scratch workspace root. */
  stop(): Promise<void>;
}

interface Outcome {
  body: Buffer;
  functionError?: string;
}

interface Invocation {
  requestId: string;
  payload: Buffer;
  deadlineMs: number;
  functionArn: string;
  settle: (outcome: Outcome) => void;
  settled: boolean;
  timer?: NodeJS.Timeout;
}

/**
 * What the runtime inherits from the caller's environment, like a Lambda function's own: the AWS credentials
 * and region (on Lambda these are the function role's; here they are the user's, on purpose, so terraform runs
 * as the user when a request brings no credentials of its own), endpoint overrides, locale, time zone,
 * certificates and proxies. Nothing else: tokens and settings in the caller's shell (`GITHUB_TOKEN`,
 * `NODE_OPTIONS`...) stay out; pass what the runtime needs with the `env` option.
 */
export const LOCAL_RUNNER_INHERITED_ENV: readonly string[] = [
  "PATH",
  "LANG",
  "LC_ALL",
  "LC_CTYPE",
  "TZ",
  "TMPDIR",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_REGION",
  "AWS_DEFAULT_REGION",
  "SSL_CERT_FILE",
  "SSL_CERT_DIR",
  "NODE_EXTRA_CA_CERTS",
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "NO_PROXY",
  "http_proxy",
  "https_proxy",
  "no_proxy",
];
const INHERITED_ENV_PREFIXES = ["AWS_ENDPOINT_URL"];

const RUNTIME_PREFIX = "/2018-06-01/runtime";
const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;
const RESULT_PATH = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/;

/**
 * Starts the local runner, the embedded default: one HTTP server on loopback that speaks Lambda's Invoke API
 * (`POST /2015-03-31/functions/{name}/invocations`, any name) to clients and the Runtime API to a child
 * process running the same runtime bundle the Lambda image runs. Like Lambda it serves one invocation at a
 * time (others wait in a queue), gives each a deadline from `timeoutSeconds`, answers a runtime that posted to
 * `/error` with `X-Amz-Function-Error: Unhandled`, and starts a fresh runtime when one dies.
 *
 * @example
 * const runner = await startLocalRunner({ stateDir: "./.tf-lambda/state" });
 * const client = new TerraformRunnerClient({ functionName: "local", endpoint: runner.endpoint });
 * console.log((await client.plan({ dir: "./infra" })).status);
 * await runner.stop();
 */
export async function startLocalRunner(options: LocalRunnerOptions = {}): Promise<LocalRunner> {
  const command = options.runtimeCommand ?? runtimeCommand();
  const terraform = options.terraformBinary ?? findTerraformBinary();
  const timeoutSeconds = options.timeoutSeconds ?? LAMBDA_LIMITS.maxTimeoutSeconds;
  const stateDir = options.stateDir === undefined ? undefined : resolve(options.stateDir);
  if (stateDir) mkdirSync(stateDir, { recursive: true });
  const workRoot = mkdtempSync(join(tmpdir(), "tf-lambda-local-"));
  const onOutput = options.onRuntimeOutput ?? (() => {});

  const queue: Invocation[] = [];
  let current: Invocation | undefined;
  let waitingForNext: ServerResponse | undefined;
  let runtime: RuntimeProcess | undefined;
  let initError: Buffer | undefined;
  /** The current runtime asked for an invocation at least once (it got through its init). */
  let runtimeReady = false;
  /** The current runtime is being stopped on purpose (a timed-out invocation): its exit fails nothing more. */
  let replacingRuntime = false;
  let stopping = false;
  let port = 0;

  const runtimeEnv = (): Record<string, string> => {
    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries(process.env)) {
      const inherited =
        LOCAL_RUNNER_INHERITED_ENV.includes(name) ||
        INHERITED_ENV_PREFIXES.some((prefix) => name.startsWith(prefix));
      if (value !== undefined && inherited) env[name] = value;
    }
    Object.assign(env, {
      AWS_LAMBDA_RUNTIME_API: `127.0.0.1:${port}`,
      AWS_LAMBDA_FUNCTION_NAME: "tf-lambda-local",
      AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "2048",
      AWS_LAMBDA_FUNCTION_TIMEOUT: String(timeoutSeconds),
      AWS_REGION: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? "us-east-1",
      TF_LAMBDA_TERRAFORM_BIN: terraform,
      TF_LAMBDA_WORK_ROOT: workRoot,
      TF_LAMBDA_PLUGIN_CACHE_DIR: join(toolCacheDirectory(), "plugin-cache"),
    });
    if (stateDir) env.TF_LAMBDA_LOCAL_STATE_DIR = stateDir;
    if (options.bundledCodeDir) env.TF_LAMBDA_BUNDLED_CODE_DIR = resolve(options.bundledCodeDir);
    return { ...env, ...options.env };
  };

  const settle = (invocation: Invocation, outcome: Outcome): void => {
    if (invocation.settled) return;
    invocation.settled = true;
    if (invocation.timer) clearTimeout(invocation.timer);
    invocation.settle(outcome);
  };

  const lambdaError = (errorType: string, errorMessage: string): Outcome => ({
    body: Buffer.from(JSON.stringify({ errorType, errorMessage })),
    functionError: "Unhandled",
  });

  const ensureRuntime = (): void => {
    if (stopping || runtime?.running) return;
    initError = undefined;
    runtimeReady = false;
    replacingRuntime = false;
    mkdirSync(join(toolCacheDirectory(), "plugin-cache"), { recursive: true });
    const started = new RuntimeProcess({
      command,
      env: runtimeEnv(),
      onOutput,
      onExit: (description) => {
        if (runtime === started) runtime = undefined;
        waitingForNext = undefined;
        // The invocation in flight fails as it would on Lambda; so does the one that made a crashing runtime start.
        const failed = current ?? (runtimeReady || replacingRuntime ? undefined : queue.shift());
        current = undefined;
        if (failed) {
          settle(
            failed,
            initError
              ? { body: initError, functionError: "Unhandled" }
              : lambdaError(
                  "Runtime.ExitError",
                  `RequestId: ${failed.requestId} Error: Runtime exited with error: ${description}`,
                ),
          );
        }
        if (queue.length > 0) ensureRuntime();
      },
    });
    runtime = started;
  };

  const dispatch = (): void => {
    if (current || !waitingForNext) return;
    const next = queue.shift();
    if (!next) return;
    current = next;
    const response = waitingForNext;
    waitingForNext = undefined;
    response.writeHead(200, {
      "Content-Type": "application/json",
      "Lambda-Runtime-Aws-Request-Id": next.requestId,
      "Lambda-Runtime-Deadline-Ms": String(next.deadlineMs),
      "Lambda-Runtime-Invoked-Function-Arn": next.functionArn,
      "Lambda-Runtime-Trace-Id": `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomUUID().replaceAll("-", "").slice(0, 24)};Sampled=0`,
    });
    response.end(next.payload);
    next.timer = setTimeout(
      () => {
        // Lambda stops the sandbox at the deadline: the caller gets a timeout, the runtime is replaced.
        settle(
          next,
          lambdaError(
            "Sandbox.Timedout",
            `RequestId: ${next.requestId} Error: Task timed out after ${timeoutSeconds.toFixed(2)} seconds`,
          ),
        );
        if (current === next) current = undefined;
        replacingRuntime = true;
        void runtime?.stop(500);
      },
      Math.max(0, next.deadlineMs - Date.now()),
    );
  };

  const enqueue = (payload: Buffer, functionName: string, onDone: (outcome: Outcome) => void): Invocation => {
    const invocation: Invocation = {
      requestId: randomUUID(),
      payload,
      deadlineMs: Date.now() + timeoutSeconds * 1000,
      functionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
      settle: onDone,
      settled: false,
    };
    queue.push(invocation);
    ensureRuntime();
    dispatch();
    return invocation;
  };

  const handleInvoke = async (request: IncomingMessage, response: ServerResponse, functionName: string) => {
    const event = String(request.headers["x-amz-invocation-type"] ?? "").toLowerCase() === "event";
    const limit = event ? LAMBDA_LIMITS.asyncInvokePayloadBytes : LAMBDA_LIMITS.syncInvokePayloadBytes;
    const payload = await readBody(request, limit);
    if (payload === undefined) {
      return sendJson(
        response,
        413,
        {
          Type: "User",
          message: `Request must be smaller than ${limit} bytes for the InvokeFunction operation`,
        },
        {
          "x-amzn-ErrorType": "RequestEntityTooLargeException",
        },
      );
    }
    if (event) {
      const invocation = enqueue(payload, functionName, () => {});
      response.writeHead(202, { "x-amzn-RequestId": invocation.requestId, "Content-Length": "0" });
      return response.end();
    }
    let invocation: Invocation | undefined;
    invocation = enqueue(payload, functionName, (outcome) => {
      const headers: Record<string, string> = {
        "Content-Type": "application/json",
        "X-Amz-Executed-Version": "$LATEST",
        "x-amzn-RequestId": invocation?.requestId ?? "",
      };
      if (outcome.functionError) headers["X-Amz-Function-Error"] = outcome.functionError;
      response.writeHead(200, headers);
      response.end(outcome.body);
    });
  };

  const handleRuntime = async (request: IncomingMessage, response: ServerResponse, path: string) => {
    if (request.method === "GET" && path === `${RUNTIME_PREFIX}/invocation/next`) {
      waitingForNext = response;
      runtimeReady = true;
      response.once("close", () => {
        if (waitingForNext === response) waitingForNext = undefined;
      });
      return dispatch();
    }
    const body =
      (await readBody(request, LAMBDA_LIMITS.syncInvokePayloadBytes + 1024 * 1024)) ?? Buffer.alloc(0);
    if (request.method === "POST" && path === `${RUNTIME_PREFIX}/init/error`) {
      initError = body;
      return sendJson(response, 202, { status: "OK" });
    }
    const match = RESULT_PATH.exec(path);
    if (request.method === "POST" && match) {
      const [, requestId, kind] = match;
      if (!current || current.requestId !== requestId) {
        return sendJson(response, 400, {
          errorType: "InvalidRequestID",
          errorMessage: "no such invocation in flight",
        });
      }
      const finished = current;
      current = undefined;
      settle(finished, kind === "error" ? { body, functionError: "Unhandled" } : { body });
      sendJson(response, 202, { status: "OK" });
      return dispatch();
    }
    return sendJson(response, 404, {
      errorType: "NotFound",
      errorMessage: `no route ${request.method} ${path}`,
    });
  };

  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    const invoke = INVOKE_PATH.exec(path);
    const handled =
      request.method === "POST" && invoke
        ? handleInvoke(request, response, decodeURIComponent(invoke[1] as string))
        : path.startsWith(RUNTIME_PREFIX)
          ? handleRuntime(request, response, path)
          : Promise.resolve(sendJson(response, 404, { message: `no route ${request.method} ${path}` }));
    handled.catch((error: Error) => {
      if (!response.headersSent) sendJson(response, 500, { message: error.message });
    });
  });
  // Runs last up to 15 minutes: no server-side request timeout may cut them.
  server.requestTimeout = 0;
  server.timeout = 0;
  server.keepAliveTimeout = 5_000;

  try {
    await new Promise<void>((resolveListen, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolveListen());
    });
  } catch (error) {
    rmSync(workRoot, { recursive: true, force: true });
    throw new LocalRunnerError(`the local runner could not listen: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const address = server.address();
  port = typeof address === "object" && address ? address.port : 0;
  const host = options.host ?? "127.0.0.1";

  return {
    endpoint: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    port,
    async stop() {
      stopping = true;
      for (const invocation of [...queue, ...(current ? [current] : [])]) {
        settle(invocation, lambdaError("Runtime.Stopped", "the local runner was stopped"));
      }
      queue.length = 0;
      current = undefined;
      waitingForNext?.destroy();
      await runtime?.stop();
      server.closeAllConnections();
      await new Promise<void>((resolveClose) => server.close(() => resolveClose()));
      rmSync(workRoot, { recursive: true, force: true });
    },
  };
}

/** The request body, or undefined when it passes `limit` bytes. */
async function readBody(request: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) tooLarge = true;
    else chunks.push(chunk as Buffer);
  }
  return tooLarge ? undefined : Buffer.concat(chunks);
}

function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { "Content-Type": "application/json", ...headers });
  response.end(JSON.stringify(body));
}
