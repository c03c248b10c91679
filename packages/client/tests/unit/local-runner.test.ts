import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type LocalRunner, type LocalRunnerOptions, startLocalRunner } from "../../src/index.js";

const FAKE_RUNTIME = join(import.meta.dirname, "..", "fixtures", "fake-runtime", "bootstrap.mjs");
let runner: LocalRunner | undefined;

async function start(options: LocalRunnerOptions = {}): Promise<LocalRunner> {
  runner = await startLocalRunner({
    runtimeCommand: [process.execPath, FAKE_RUNTIME],
    terraformBinary: process.execPath,
    ...options,
  });
  return runner;
}

async function invoke(endpoint: string, payload: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${endpoint}/2015-03-31/functions/anything/invocations`, {
    method: "POST",
    body: JSON.stringify(payload),
    headers,
  });
  const text = await response.text();
  return {
    status: response.status,
    functionError: response.headers.get("x-amz-function-error"),
    text,
    json: () => JSON.parse(text),
  };
}

afterEach(async () => {
  vi.unstubAllEnvs();
  await runner?.stop();
  runner = undefined;
});

describe("the local runner (with a stand-in runtime)", () => {
  it("gives the runtime the caller's AWS credentials, region and proxy settings, and no other variable", async () => {
    vi.stubEnv("GITHUB_TOKEN", "ghp_canary");
    vi.stubEnv("NPM_TOKEN", "npm_canary");
    vi.stubEnv("AWS_ACCESS_KEY_ID", "AKIDTHEUSER");
    vi.stubEnv("AWS_REGION", "eu-west-3");
    vi.stubEnv("HTTPS_PROXY", "http://proxy.example:3128");
    const { endpoint } = await start();

    const response = await invoke(endpoint, {
      env: ["GITHUB_TOKEN", "NPM_TOKEN", "AWS_ACCESS_KEY_ID", "AWS_REGION", "HTTPS_PROXY"],
    });

    expect(response.json()).toMatchObject({
      GITHUB_TOKEN: null,
      NPM_TOKEN: null,
      AWS_ACCESS_KEY_ID: "AKIDTHEUSER",
      AWS_REGION: "eu-west-3",
      HTTPS_PROXY: "http://proxy.example:3128",
    });
  });

  it("adds the env option to the runtime's environment", async () => {
    const { endpoint } = await start({ env: { GITHUB_TOKEN: "given on purpose" } });

    const response = await invoke(endpoint, { env: ["GITHUB_TOKEN"] });

    expect(response.json().GITHUB_TOKEN).toBe("given on purpose");
  });

  it("answers an invoke with the body the runtime posted to /response", async () => {
    const { endpoint } = await start();

    const response = await invoke(endpoint, { respond: { ok: true } });

    expect([response.status, response.functionError, response.json().ok]).toEqual([200, null, true]);
  });

  it("marks a body posted to /error with X-Amz-Function-Error: Unhandled, like Lambda", async () => {
    const { endpoint } = await start();

    const response = await invoke(endpoint, { fail: { errorType: "TfLambda.Failed" } });

    expect(response.functionError).toBe("Unhandled");
    expect(response.json().errorType).toBe("TfLambda.Failed");
  });

  it("gives each invocation a request id and a deadline from the timeout", async () => {
    const { endpoint } = await start({ timeoutSeconds: 60 });
    const before = Date.now();

    const body = (await invoke(endpoint, { respond: {} })).json();

    expect(body.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number(body.deadline) - before).toBeGreaterThan(55_000);
  });

  it("serves invocations one at a time, in order", async () => {
    const { endpoint } = await start();

    const [slow, fast] = await Promise.all([
      invoke(endpoint, { sleep: 300, respond: { name: "slow" } }),
      invoke(endpoint, { respond: { name: "fast" } }),
    ]);

    expect([slow.json().name, fast.json().name]).toEqual(["slow", "fast"]);
  });

  it("answers Runtime.ExitError when the runtime dies, and starts a fresh one for the next invocation", async () => {
    const { endpoint } = await start();
    const first = (await invoke(endpoint, { respond: {} })).json();

    const crashed = await invoke(endpoint, { exit: 3 });
    const after = (await invoke(endpoint, { respond: {} })).json();

    expect(crashed.json().errorType).toBe("Runtime.ExitError");
    expect(crashed.json().errorMessage).toContain("exit status 3");
    expect(after.pid).not.toBe(first.pid);
  });

  it("answers a timeout like Lambda when the runtime passes the deadline", async () => {
    const { endpoint } = await start({ timeoutSeconds: 1 });

    const response = await invoke(endpoint, { sleep: 3_000, respond: {} });

    expect(response.functionError).toBe("Unhandled");
    expect(response.json().errorMessage).toContain("Task timed out after 1.00 seconds");
  });

  it("answers the runtime's init error when it cannot start", async () => {
    const { endpoint } = await start({ env: { FAKE_RUNTIME_INIT_ERROR: "1" } });

    const response = await invoke(endpoint, { respond: {} });

    expect(response.json().errorType).toBe("Runtime.InitError");
  });

  it("accepts an Event invocation with HTTP 202 at once", async () => {
    const { endpoint } = await start();

    const response = await invoke(
      endpoint,
      { sleep: 200, respond: {} },
      { "X-Amz-Invocation-Type": "Event" },
    );

    expect(response.status).toBe(202);
  });

  it("refuses a payload over the 6 MB synchronous limit with RequestEntityTooLargeException", async () => {
    const { endpoint } = await start();

    const response = await invoke(endpoint, { respond: { blob: "x".repeat(6_400_000) } });

    expect(response.status).toBe(413);
  });
});
