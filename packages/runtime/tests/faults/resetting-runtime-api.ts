import { createServer, type Server } from "node:http";

/** One POST the runtime made, and what the fake did with it. */
export interface ObservedPost {
  path: string;
  body: string;
  outcome: "reset" | "accepted";
}

/**
 * The peer of a real runtime process for one fault: a Runtime API that hands out queued invocations and resets the
 * connection of the first `resetPosts` result POSTs after reading them, then accepts. Only the API is fake; the
 * runtime and terraform are real.
 */
export class ResettingRuntimeApi {
  readonly posts: ObservedPost[] = [];
  /** How many times the runtime asked for the next invocation. */
  nextRequests = 0;
  resetPosts = 1;
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
              "Lambda-Runtime-Deadline-Ms": String(Date.now() + 120_000),
            });
            response.end(invocation.body);
          };
          const next = this.queue.shift();
          if (next) send(next);
          else this.waiting = send;
          return;
        }
        const body = Buffer.concat(chunks).toString();
        if (this.resetPosts > 0) {
          this.resetPosts -= 1;
          this.posts.push({ path: request.url ?? "", body, outcome: "reset" });
          request.socket.resetAndDestroy();
          return;
        }
        this.posts.push({ path: request.url ?? "", body, outcome: "accepted" });
        response.writeHead(202).end('{"status":"OK"}');
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
