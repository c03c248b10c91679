import { createServer, type IncomingHttpHeaders, type Server } from "node:http";

/** One POST the runtime made. */
export interface RecordedPost {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * An in-process fake of the Lambda Runtime API for unit tests (the integration tests use the real emulator):
 * hands out queued invocations and records what the runtime posts. `failPosts` answers the next N posts with 500,
 * `rejectPosts` with 400.
 */
export class FakeRuntimeApi {
  readonly posts: RecordedPost[] = [];
  failPosts = 0;
  rejectPosts = 0;
  private readonly queue: { requestId: string; body: string }[] = [];
  private waiting: ((invocation: { requestId: string; body: string }) => void) | undefined;
  private server: Server | undefined;

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        if (request.method === "GET" && request.url?.endsWith("/invocation/next")) {
          const send = (invocation: { requestId: string; body: string }) => {
            response.writeHead(200, {
              "Lambda-Runtime-Aws-Request-Id": invocation.requestId,
              "Lambda-Runtime-Deadline-Ms": String(Date.now() + 60_000),
              "Lambda-Runtime-Trace-Id": "Root=1-test",
            });
            response.end(invocation.body);
          };
          const next = this.queue.shift();
          if (next) send(next);
          else this.waiting = send;
          return;
        }
        this.posts.push({
          path: request.url ?? "",
          headers: request.headers,
          body: Buffer.concat(chunks).toString(),
        });
        if (this.failPosts > 0) {
          this.failPosts -= 1;
          response.writeHead(500).end("try again");
        } else if (this.rejectPosts > 0) {
          this.rejectPosts -= 1;
          response.writeHead(400).end('{"errorType":"InvalidStateTransition"}');
        } else {
          response.writeHead(202).end('{"status":"OK"}');
        }
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    const address = this.server.address();
    return `127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  }

  enqueue(requestId: string, body: string): void {
    const waiting = this.waiting;
    if (waiting) {
      this.waiting = undefined;
      waiting({ requestId, body });
    } else {
      this.queue.push({ requestId, body });
    }
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}
