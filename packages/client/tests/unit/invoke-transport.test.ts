import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { InvokeError, TerraformRunnerClient } from "../../src/index.js";

/** An Invoke endpoint on loopback that fails every request with HTTP 500, counting them. */
let server: Server;
let endpoint: string;
let requests = 0;

beforeAll(async () => {
  server = createServer((request, response) => {
    requests += 1;
    request.resume();
    request.on("end", () => {
      response.writeHead(500, { "Content-Type": "application/json", "x-amzn-ErrorType": "ServiceException" });
      response.end(JSON.stringify({ Type: "Service", message: "internal failure" }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  requests = 0;
});

function injectedClient(): LambdaClient {
  return new LambdaClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "a", secretAccessKey: "b" },
    maxAttempts: 3,
    retryMode: "standard",
  });
}

describe("invoke transport", () => {
  it.each(["apply", "destroy"] as const)(
    "sends %s once even through an injected client whose retry strategy would retry a 5xx",
    async (command) => {
      const client = new TerraformRunnerClient({ functionName: "tf-lambda", lambdaClient: injectedClient() });

      const error = await client.run({ command, bundled: true }).catch((caught: unknown) => caught);

      expect(requests).toBe(1);
      expect(InvokeError.isInstance(error) && error.statusCode).toBe(500);
    },
  );

  it("lets an injected client's retry strategy repeat a plan", async () => {
    const client = new TerraformRunnerClient({ functionName: "tf-lambda", lambdaClient: injectedClient() });

    await client.plan({ bundled: true }).catch(() => undefined);

    expect(requests).toBe(3);
  });

  it("does not repeat a plan whose request timed out (the function may have run its whole 15 minutes)", async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    let silentRequests = 0;
    silent.on("request", () => {
      silentRequests += 1;
    });
    const lambdaClient = new LambdaClient({
      endpoint: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`,
      region: "us-east-1",
      credentials: { accessKeyId: "a", secretAccessKey: "b" },
      maxAttempts: 3,
      requestHandler: new NodeHttpHandler({ requestTimeout: 300, throwOnRequestTimeout: true }),
    });
    const client = new TerraformRunnerClient({ functionName: "tf-lambda", lambdaClient });

    const error = await client.plan({ bundled: true }).catch((caught: unknown) => caught);
    silent.closeAllConnections();
    await new Promise((resolve) => silent.close(resolve));

    expect(silentRequests).toBe(1);
    expect(InvokeError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/timed out|timeout/i);
  });

  it("sends apply once with the client's own Lambda client", async () => {
    const client = new TerraformRunnerClient({ functionName: "tf-lambda", endpoint });

    await client.apply({ bundled: true }).catch(() => undefined);
    client.destroyClients();

    expect(requests).toBe(1);
  });

  it("gives up on a silent connection only after Lambda's 900 s limit, and then with an error", async () => {
    const client = new TerraformRunnerClient({ functionName: "tf-lambda", endpoint });
    await client.apply({ bundled: true }).catch(() => undefined);
    const lambda = (client as unknown as { clients: Map<string, LambdaClient> }).clients.get(
      "mutating",
    ) as LambdaClient;

    const handlerConfig = await (
      lambda.config.requestHandler as unknown as {
        configProvider: Promise<{
          socketTimeout?: number;
          requestTimeout?: number;
          throwOnRequestTimeout?: boolean;
        }>;
      }
    ).configProvider;
    client.destroyClients();

    expect(handlerConfig.socketTimeout).toBeGreaterThan(900_000);
    expect(handlerConfig.requestTimeout).toBeGreaterThan(900_000);
    expect(handlerConfig.throwOnRequestTimeout).toBe(true);
  });
});
