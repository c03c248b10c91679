import {
  FunctionErrorBodySchema,
  PROTOCOL_VERSION,
  type RunResult,
  RunResultSchema,
} from "@tf-lambda/protocol";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RuntimeLogger } from "../../src/log-event.js";
import { RuntimeApiClient } from "../../src/runtime-api.js";
import { runLoop } from "../../src/runtime-loop.js";
import { FakeRuntimeApi } from "../support/fake-runtime-api.js";

const silent: RuntimeLogger = { event: () => undefined, terraformLine: () => undefined };

function resultOf(status: RunResult["status"], requestId: string): RunResult {
  const common = {
    protocol: PROTOCOL_VERSION,
    requestId,
    command: "plan" as const,
    exitCode: 0,
    durationMs: 1,
    terraformVersion: "Terraform v1.11.4",
    phase: "done" as const,
    plan: null,
    outputs: {},
    diagnostics: [],
    log: { text: "", truncated: false, bytes: 0 },
  };
  return status === "succeeded"
    ? { status, ...common }
    : { status, ...common, error: { type: "TerraformFailed", message: `it ${status}` } };
}

let fake: FakeRuntimeApi;
let client: RuntimeApiClient;

beforeEach(async () => {
  fake = new FakeRuntimeApi();
  client = new RuntimeApiClient(await fake.start());
});
afterEach(async () => {
  client.close();
  await fake.stop();
});

describe("runLoop against a fake Runtime API", () => {
  it("posts a succeeded result to /response", async () => {
    fake.enqueue("request-1", "{}");

    await runLoop({
      api: client,
      logger: silent,
      maxInvocations: 1,
      handle: async (invocation) => ({ result: resultOf("succeeded", invocation.requestId) }),
    });

    expect(fake.posts).toHaveLength(1);
    expect(fake.posts[0]?.path).toBe("/2018-06-01/runtime/invocation/request-1/response");
    expect(RunResultSchema.parse(JSON.parse(fake.posts[0]?.body ?? "")).status).toBe("succeeded");
  });

  it.each([
    ["failed", "TfLambda.Failed"],
    ["rejected", "TfLambda.Rejected"],
    ["interrupted", "TfLambda.Interrupted"],
  ] as const)("posts a %s result to /error with the typed result in the body", async (status, errorType) => {
    fake.enqueue("request-2", "{}");

    await runLoop({
      api: client,
      logger: silent,
      maxInvocations: 1,
      handle: async (invocation) => ({ result: resultOf(status, invocation.requestId) }),
    });

    const post = fake.posts[0];
    expect(post?.path).toBe("/2018-06-01/runtime/invocation/request-2/error");
    expect(post?.headers["lambda-runtime-function-error-type"]).toBe(errorType);
    const body = FunctionErrorBodySchema.parse(JSON.parse(post?.body ?? ""));
    expect(body).toMatchObject({ errorType, errorMessage: `it ${status}`, result: { status } });
  });

  it("answers a handler that throws with TfLambda.RuntimeError and serves the next invocation", async () => {
    fake.enqueue("boom", "{}");
    fake.enqueue("fine", "{}");
    let calls = 0;

    await runLoop({
      api: client,
      logger: silent,
      maxInvocations: 2,
      handle: async (invocation) => {
        calls += 1;
        if (calls === 1) throw new Error("disk on fire");
        return { result: resultOf("succeeded", invocation.requestId) };
      },
    });

    expect(fake.posts[0]?.headers["lambda-runtime-function-error-type"]).toBe("TfLambda.RuntimeError");
    const body = FunctionErrorBodySchema.parse(JSON.parse(fake.posts[0]?.body ?? ""));
    expect(body.result).toMatchObject({ status: "failed", error: { type: "Internal" } });
    expect(body.errorMessage).toContain("disk on fire");
    expect(fake.posts[1]?.path).toContain("/fine/response");
  });

  it("retries a response POST that failed, with the same body", async () => {
    fake.enqueue("request-3", "{}");
    fake.failPosts = 2;

    await runLoop({
      api: client,
      logger: silent,
      maxInvocations: 1,
      retryDelayMs: 1,
      handle: async (invocation) => ({ result: resultOf("succeeded", invocation.requestId) }),
    });

    expect(fake.posts).toHaveLength(3);
    expect(new Set(fake.posts.map((post) => post.body)).size).toBe(1);
  });

  it("does not retry a POST the API refused with a 4xx, and goes on", async () => {
    fake.enqueue("request-4", "{}");
    fake.enqueue("request-5", "{}");
    fake.rejectPosts = 1;

    await runLoop({
      api: client,
      logger: silent,
      maxInvocations: 2,
      retryDelayMs: 1,
      handle: async (invocation) => ({ result: resultOf("succeeded", invocation.requestId) }),
    });

    expect(fake.posts.map((post) => post.path)).toEqual([
      "/2018-06-01/runtime/invocation/request-4/response",
      "/2018-06-01/runtime/invocation/request-5/response",
    ]);
  });

  it("gives up only when the Runtime API is gone", async () => {
    await fake.stop();

    const outcome = runLoop({
      api: client,
      logger: silent,
      retryDelayMs: 1,
      nextAttempts: 3,
      handle: async () => ({ result: resultOf("succeeded", "x") }),
    });

    await expect(outcome).rejects.toThrow(/invocation\/next failed|ECONNREFUSED/);
  });

  it("reads the invocation headers", async () => {
    fake.enqueue("request-6", '{"command":"plan"}');

    const invocation = await client.nextInvocation();

    expect(invocation).toMatchObject({ requestId: "request-6", traceId: "Root=1-test" });
    expect(invocation.deadlineMs).toBeGreaterThan(Date.now());
    expect(invocation.body.toString()).toBe('{"command":"plan"}');
  });
});
