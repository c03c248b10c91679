import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { HeadObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { type RunRequest, RunRequestSchema } from "@tf-lambda/protocol";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import {
  FunctionError,
  FunctionTimeoutError,
  InvalidRunInputError,
  InvokeError,
  PayloadTooLargeError,
  s3Backend,
  TerraformRunnerClient,
  UnexpectedResponseError,
} from "../../src/index.js";
import { failedBody, payloadOf, succeededResult } from "../support/run-results.js";

const lambda = mockClient(LambdaClient);
const s3 = mockClient(S3Client);
let directory: string;

function client(options: Partial<ConstructorParameters<typeof TerraformRunnerClient>[0]> = {}) {
  return new TerraformRunnerClient({
    functionName: "tf-lambda",
    region: "eu-west-1",
    credentials: { accessKeyId: "a", secretAccessKey: "b" },
    ...options,
  });
}

function sentRequest(index = 0): RunRequest {
  const payload = lambda.commandCalls(InvokeCommand)[index]?.args[0].input.Payload as Uint8Array;
  return RunRequestSchema.parse(JSON.parse(new TextDecoder().decode(payload)));
}

beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), "tf-lambda-client-unit-"));
  writeFileSync(join(directory, "main.tf"), 'resource "terraform_data" "a" {}\n');
  writeFileSync(join(directory, "blob.bin"), randomBytes(2_000));
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));
afterEach(() => vi.unstubAllEnvs());
beforeEach(() => {
  lambda.reset();
  s3.reset();
});

describe("TerraformRunnerClient", () => {
  it("resolves a succeeded run to its typed result", async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: payloadOf(succeededResult()) });

    const result = await client().plan({ dir: directory });

    expect(result.status).toBe("succeeded");
    expect(result.plan?.add).toBe(1);
  });

  it("sends a valid v1 request with the packed code, its sha256, backend, vars and options", async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: payloadOf(succeededResult()) });

    await client().plan({
      dir: directory,
      backend: s3Backend({ bucket: "acme-state", key: "a.tfstate" }),
      vars: { env: "prod" },
      targets: ["terraform_data.a"],
      workspace: "blue",
    });

    const request = sentRequest();
    expect(request).toMatchObject({
      protocol: "tf-lambda/v1",
      command: "plan",
      backend: { type: "s3", config: { bucket: "acme-state", key: "a.tfstate" } },
      vars: { env: "prod" },
      options: { targets: ["terraform_data.a"] },
      workspace: "blue",
    });
    expect(request.code).toHaveProperty("sha256", expect.stringMatching(/^[a-f0-9]{64}$/));
  });

  it.each([
    ["apply", (c: TerraformRunnerClient) => c.apply({ bundled: true })],
    ["destroy", (c: TerraformRunnerClient) => c.destroy({ bundled: true })],
    ["validate", (c: TerraformRunnerClient) => c.validate({ bundled: true })],
    ["init", (c: TerraformRunnerClient) => c.init({ bundled: true })],
    ["output", (c: TerraformRunnerClient) => c.output({ bundled: true })],
    ["plan", (c: TerraformRunnerClient) => c.run({ command: "plan" })],
  ])("%s sends its command with bundled code", async (command, call) => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: payloadOf(succeededResult()) });

    await call(client());

    expect(sentRequest()).toMatchObject({ command, code: { bundled: true } });
  });

  it("resolves a failed run (a function error carrying the result) without throwing", async () => {
    lambda
      .on(InvokeCommand)
      .resolves({ StatusCode: 200, FunctionError: "Unhandled", Payload: payloadOf(failedBody()) });

    const result = await client().plan({ bundled: true });

    expect(result.status).toBe("failed");
    expect(result.status === "failed" && result.error.type).toBe("TerraformFailed");
  });

  it("recognises the failed result by its shape when no function-error header came (the emulator)", async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: payloadOf(failedBody()) });

    const result = await client().plan({ bundled: true });

    expect(result.diagnostics[0]?.summary).toBe("Unsupported argument");
  });

  it("throws FunctionTimeoutError for the emulator's timeout text", async () => {
    lambda
      .on(InvokeCommand)
      .resolves({ StatusCode: 200, Payload: payloadOf("Task timed out after 3.00 seconds") });

    const error = await client()
      .plan({ bundled: true })
      .catch((caught: unknown) => caught);

    expect(FunctionTimeoutError.isInstance(error) && error.timeoutSeconds).toBe(3);
  });

  it("throws FunctionTimeoutError for Lambda's Sandbox.Timedout error", async () => {
    const body = {
      errorType: "Sandbox.Timedout",
      errorMessage: "RequestId: x Error: Task timed out after 900.00 seconds",
    };
    lambda
      .on(InvokeCommand)
      .resolves({ StatusCode: 200, FunctionError: "Unhandled", Payload: payloadOf(body) });

    await expect(client().apply({ bundled: true })).rejects.toBeInstanceOf(FunctionTimeoutError);
  });

  it("throws FunctionError with the type for a runtime that exited", async () => {
    const body = {
      errorType: "Runtime.ExitError",
      errorMessage: "RequestId: x Error: Runtime exited with error: exit status 1",
    };
    lambda
      .on(InvokeCommand)
      .resolves({ StatusCode: 200, FunctionError: "Unhandled", Payload: payloadOf(body) });

    const error = await client()
      .plan({ bundled: true })
      .catch((caught: unknown) => caught);

    expect(FunctionError.isInstance(error) && error.errorType).toBe("Runtime.ExitError");
  });

  it("gives a Lambda-level failure of apply the request id and tells to check the state before repeating", async () => {
    const body = {
      errorType: "Runtime.ExitError",
      errorMessage: "Runtime exited with error: signal: killed",
    };
    lambda.on(InvokeCommand).resolves({
      StatusCode: 200,
      FunctionError: "Unhandled",
      Payload: payloadOf(body),
      $metadata: { requestId: "req-7" },
    });

    const error = await client()
      .apply({ bundled: true })
      .catch((caught: unknown) => caught);

    expect(FunctionError.isInstance(error) && error.requestId).toBe("req-7");
    expect((error as Error).message).toMatch(/req-7.*plan before repeating/s);
  });

  it("gives a timeout the request id", async () => {
    lambda.on(InvokeCommand).resolves({
      StatusCode: 200,
      Payload: payloadOf("Task timed out after 3.00 seconds"),
      $metadata: { requestId: "req-8" },
    });

    const error = await client()
      .plan({ bundled: true })
      .catch((caught: unknown) => caught);

    expect(FunctionTimeoutError.isInstance(error) && error.requestId).toBe("req-8");
  });

  it("gives an InvokeError the request id AWS answered with", async () => {
    lambda.on(InvokeCommand).rejects(
      Object.assign(new Error("Rate exceeded"), {
        name: "TooManyRequestsException",
        $metadata: { httpStatusCode: 429, requestId: "req-9" },
      }),
    );

    const error = await client()
      .plan({ bundled: true })
      .catch((caught: unknown) => caught);

    expect(InvokeError.isInstance(error) && error.requestId).toBe("req-9");
  });

  it("names an empty answer as such", async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: payloadOf("") });

    const error = await client()
      .plan({ bundled: true })
      .catch((caught: unknown) => caught);

    expect(UnexpectedResponseError.isInstance(error) && error.message).toMatch(/empty/);
  });

  it("throws UnexpectedResponseError for a body that is no result", async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: payloadOf({ hello: "world" }) });

    await expect(client().plan({ bundled: true })).rejects.toBeInstanceOf(UnexpectedResponseError);
  });

  it("throws InvokeError with the cause and the throttling flag when Lambda throttles", async () => {
    const throttled = Object.assign(new Error("Rate exceeded"), {
      name: "TooManyRequestsException",
      $metadata: { httpStatusCode: 429 },
    });
    lambda.on(InvokeCommand).rejects(throttled);

    const error = await client()
      .plan({ bundled: true })
      .catch((caught: unknown) => caught);

    expect(InvokeError.isInstance(error) && [error.throttled, error.cause]).toEqual([true, throttled]);
  });

  it("throws InvokeError naming the AWS error for a permission failure", async () => {
    lambda
      .on(InvokeCommand)
      .rejects(Object.assign(new Error("not authorized"), { name: "AccessDeniedException" }));

    const error = await client()
      .apply({ bundled: true })
      .catch((caught: unknown) => caught);

    expect(InvokeError.isInstance(error) && error.code).toBe("AccessDeniedException");
  });

  it("throws PayloadTooLargeError when Lambda refuses the payload as too large", async () => {
    lambda
      .on(InvokeCommand)
      .rejects(Object.assign(new Error("too large"), { name: "RequestEntityTooLargeException" }));

    await expect(client().plan({ bundled: true })).rejects.toBeInstanceOf(PayloadTooLargeError);
  });

  it("refuses an invalid request before sending anything", async () => {
    const error = await client()
      .plan({ bundled: true, env: { PATH: "/tmp" } })
      .catch((caught: unknown) => caught);

    expect(InvalidRunInputError.isInstance(error) && error.issues[0]?.field).toBe("env.PATH");
    expect(lambda.calls()).toHaveLength(0);
  });

  it("refuses two code sources at once", async () => {
    await expect(client().plan({ dir: directory, bundled: true })).rejects.toBeInstanceOf(
      InvalidRunInputError,
    );
  });

  it("queues an Event invocation and resolves to the accepted request id", async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 202, $metadata: { requestId: "req-42" } });

    const accepted = await client().apply({ bundled: true, invocationType: "Event" });

    expect(accepted).toEqual({ accepted: true, requestId: "req-42" });
    expect(lambda.commandCalls(InvokeCommand)[0]?.args[0].input.InvocationType).toBe("Event");
  });

  it("checks an Event invocation against the 1 MB asynchronous limit", async () => {
    const vars = { blob: "x".repeat(1_100_000) };

    const error = await client()
      .apply({ bundled: true, vars, invocationType: "Event" })
      .catch((caught: unknown) => caught);

    expect(PayloadTooLargeError.isInstance(error) && error.limit).toBe(1024 * 1024);
  });

  it("sends the qualifier", async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: payloadOf(succeededResult()) });

    await client({ qualifier: "live" }).plan({ bundled: true });

    expect(lambda.commandCalls(InvokeCommand)[0]?.args[0].input.Qualifier).toBe("live");
  });

  it("never retries apply and destroy, while reading commands may retry", async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: payloadOf(succeededResult()) });
    const runner = client();

    await runner.apply({ bundled: true });
    await runner.plan({ bundled: true });

    const attempts = await Promise.all(
      lambda.calls().map((call) => (call.thisValue as LambdaClient).config.maxAttempts()),
    );
    expect(attempts).toEqual([1, 3]);
  });
});

/** A client that stages everything (a 1,000-byte limit) in acme-staging through a mocked S3 client. */
function stagingRunner(): TerraformRunnerClient {
  return client({
    stagingBucket: "acme-staging",
    s3Client: new S3Client({ region: "eu-west-1" }),
    maxPayloadBytes: 1_000,
  });
}

/** S3's answer to a HEAD of a missing key. */
function notFound(): Error {
  return Object.assign(new Error("NotFound"), { name: "NotFound", $metadata: { httpStatusCode: 404 } });
}

describe("code over the payload limit", () => {
  it("is staged in the bucket under its sha256 and sent by reference", async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: payloadOf(succeededResult()) });
    s3.on(HeadObjectCommand).rejects(notFound());
    s3.on(PutObjectCommand).resolves({});
    const runner = stagingRunner();

    await runner.plan({ dir: directory });

    const code = sentRequest().code as { s3: { bucket: string; key: string; sha256: string } };
    expect(code.s3.key).toBe(`tf-lambda/code/${code.s3.sha256}.zip`);
    expect(s3.commandCalls(PutObjectCommand)[0]?.args[0].input.Key).toBe(code.s3.key);
  });

  it("is not uploaded again when the bucket already holds it", async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: payloadOf(succeededResult()) });
    const { packDirectory } = await import("../../src/index.js");
    const packed = await packDirectory(directory);
    s3.on(HeadObjectCommand).resolves({ ContentLength: packed.size, Metadata: { sha256: packed.sha256 } });
    const runner = stagingRunner();

    await runner.plan({ dir: directory });

    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  it("is uploaded again when an object of the same size but another checksum holds the key", async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: payloadOf(succeededResult()) });
    const { packDirectory } = await import("../../src/index.js");
    const packed = await packDirectory(directory);
    s3.on(HeadObjectCommand).resolves({ ContentLength: packed.size, Metadata: { sha256: "0".repeat(64) } });
    s3.on(PutObjectCommand).resolves({});
    const runner = stagingRunner();

    await runner.plan({ dir: directory });

    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(1);
  });

  it("uploads with a SHA-256 checksum that S3 verifies", async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: payloadOf(succeededResult()) });
    s3.on(HeadObjectCommand).rejects(notFound());
    s3.on(PutObjectCommand).resolves({});
    const runner = stagingRunner();

    await runner.plan({ dir: directory });

    const code = sentRequest().code as { s3: { sha256: string } };
    const put = s3.commandCalls(PutObjectCommand)[0]?.args[0].input;
    expect(put?.ChecksumSHA256).toBe(Buffer.from(code.s3.sha256, "hex").toString("base64"));
  });

  it("stages through an S3 client that follows the bucket's region and ignores the loopback placeholders", async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: payloadOf(succeededResult()) });
    s3.on(HeadObjectCommand).rejects(notFound());
    s3.on(PutObjectCommand).resolves({});
    vi.stubEnv("AWS_ACCESS_KEY_ID", "AKIDTHEUSER");
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", "the-user-secret");
    const runner = new TerraformRunnerClient({
      functionName: "tf-lambda",
      endpoint: "http://127.0.0.1:9",
      stagingBucket: "acme-staging",
      maxPayloadBytes: 1_000,
    });

    await runner.plan({ dir: directory });

    const used = s3.commandCalls(PutObjectCommand)[0]?.thisValue as S3Client;
    expect(used.config.followRegionRedirects).toBe(true);
    expect((await used.config.credentials()).accessKeyId).toBe("AKIDTHEUSER");
  });

  it("without a staging bucket throws PayloadTooLargeError with the size, the limit and the fix", async () => {
    const error = await client({ maxPayloadBytes: 1_000 })
      .plan({ dir: directory })
      .catch((caught: unknown) => caught);

    expect(PayloadTooLargeError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ limit: 1_000, message: expect.stringContaining("stagingBucket") });
    expect((error as PayloadTooLargeError).size).toBeGreaterThan(1_000);
  });
});
