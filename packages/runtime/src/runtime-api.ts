import { Agent, request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { RuntimeApiError } from "./errors.js";

const API_VERSION = "2018-06-01";

/** One invocation as the Runtime API hands it over. */
export interface Invocation {
  requestId: string;
  /** Epoch ms by which the invocation must be answered. */
  deadlineMs: number;
  invokedFunctionArn: string | undefined;
  traceId: string | undefined;
  body: Buffer;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * A client of the Lambda Runtime API (`AWS_LAMBDA_RUNTIME_API`) over one keep-alive connection. The long poll for
 * the next invocation has no client timeout: it may wait for hours while the function is idle.
 *
 * @example
 * const api = new RuntimeApiClient(process.env.AWS_LAMBDA_RUNTIME_API!);
 * const invocation = await api.nextInvocation();
 * await api.postResponse(invocation.requestId, JSON.stringify(result));
 */
export class RuntimeApiClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 1 });
  private readonly host: string;
  private readonly port: number;

  constructor(address: string) {
    const separator = address.lastIndexOf(":");
    this.host = separator === -1 ? address : address.slice(0, separator);
    this.port = separator === -1 ? 80 : Number(address.slice(separator + 1));
  }

  async nextInvocation(): Promise<Invocation> {
    const { statusCode, headers, body } = await this.send("GET", `/${API_VERSION}/runtime/invocation/next`);
    if (statusCode !== 200) {
      throw new RuntimeApiError(
        `invocation/next answered HTTP ${statusCode}: ${body.toString().slice(0, 500)}`,
        statusCode,
      );
    }
    const requestId = header(headers, "lambda-runtime-aws-request-id");
    if (!requestId)
      throw new RuntimeApiError("invocation/next gave no Lambda-Runtime-Aws-Request-Id", statusCode);
    const deadline = Number(header(headers, "lambda-runtime-deadline-ms"));
    return {
      requestId,
      deadlineMs: Number.isFinite(deadline) && deadline > 0 ? deadline : Date.now() + 900_000,
      invokedFunctionArn: header(headers, "lambda-runtime-invoked-function-arn"),
      traceId: header(headers, "lambda-runtime-trace-id"),
      body,
    };
  }

  /** Posts a successful result. */
  postResponse(requestId: string, body: string): Promise<void> {
    return this.post(`/${API_VERSION}/runtime/invocation/${encodeURIComponent(requestId)}/response`, body);
  }

  /** Posts a function error with its `errorType` header. */
  postError(requestId: string, errorType: string, body: string): Promise<void> {
    return this.post(`/${API_VERSION}/runtime/invocation/${encodeURIComponent(requestId)}/error`, body, {
      "Lambda-Runtime-Function-Error-Type": errorType,
    });
  }

  /** Reports a start-up failure; Lambda then fails the invocation and restarts the runtime. */
  postInitError(errorType: string, body: string): Promise<void> {
    return this.post(`/${API_VERSION}/runtime/init/error`, body, {
      "Lambda-Runtime-Function-Error-Type": errorType,
    });
  }

  close(): void {
    this.agent.destroy();
  }

  private async post(path: string, body: string, headers: Record<string, string> = {}): Promise<void> {
    const { statusCode, body: answer } = await this.send("POST", path, body, headers);
    if (statusCode < 200 || statusCode >= 300) {
      throw new RuntimeApiError(
        `POST ${path} answered HTTP ${statusCode}: ${answer.toString().slice(0, 500)}`,
        statusCode,
      );
    }
  }

  private send(
    method: string,
    path: string,
    body?: string,
    headers: Record<string, string> = {},
  ): Promise<{ statusCode: number; headers: IncomingHttpHeaders; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const outgoing = httpRequest(
        {
          host: this.host,
          port: this.port,
          method,
          path,
          agent: this.agent,
          headers:
            body === undefined
              ? headers
              : { ...headers, "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("error", (error) =>
            reject(
              new RuntimeApiError(`${method} ${path} failed: ${error.message}`, undefined, { cause: error }),
            ),
          );
          response.on("end", () =>
            resolve({
              statusCode: response.statusCode ?? 0,
              headers: response.headers,
              body: Buffer.concat(chunks),
            }),
          );
        },
      );
      outgoing.on("error", (error) =>
        reject(
          new RuntimeApiError(`${method} ${path} failed: ${error.message}`, undefined, { cause: error }),
        ),
      );
      outgoing.end(body);
    });
  }
}
