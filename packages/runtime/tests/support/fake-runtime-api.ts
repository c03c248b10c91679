import { createServer, type IncomingHttpHeaders, type Server } from "node:http";

/** One POST the runtime made, and what the fake did with it. */
export interface RecordedPost {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  outcome: "accepted" | "failed" | "rejected" | "reset";
}

/**
 * An in-process fake of the Lambda Runtime API for unit tests (the integration tests use the real emulator):
 * hands out queued invocations and records what the runtime posts. `resetPosts` resets the connection of the next N
 * posts after reading them, `failPosts` answers the next N with 500, `rejectPosts` with 400. Also the API peer of a
 * real spawned runtime in the fault suite (only the API is fake there; the runtime and terraform are real).
 */
export class FakeRuntimeApi {
  readonly posts: RecordedPost[] = [];
  /** How many times the runtime asked for the next invocation. */
  nextRequests = 0;
  resetPosts = 0;
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
          this.nextRequests += 1;
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
        const post = {
          path: request.url ?? "",
          headers: request.headers,
          body: Buffer.concat(chunks).toString(),
        };
        if (this.resetPosts > 0) {
          this.resetPosts -= 1;
          this.posts.push({ ...post, outcome: "reset" });
          request.socket.resetAndDestroy();
        } else if (this.failPosts > 0) {
          this.failPosts -= 1;
          this.posts.push({ ...post, outcome: "failed" });
          response.writeHead(500).end("try again");
        } else if (this.rejectPosts > 0) {
          this.rejectPosts -= 1;
          this.posts.push({ ...post, outcome: "rejected" });
          response.writeHead(400).end('{"errorType":"InvalidStateTransition"}');
        } else {
          this.posts.push({ ...post, outcome: "accepted" });
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
