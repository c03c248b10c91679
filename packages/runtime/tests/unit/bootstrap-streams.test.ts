import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeRuntimeApi } from "../support/fake-runtime-api.js";
import { BUNDLE } from "../support/runtime-under-emulator.js";

let fake: FakeRuntimeApi;
let workRoot: string;

beforeEach(() => {
  fake = new FakeRuntimeApi();
  workRoot = mkdtempSync(join(tmpdir(), "tf-lambda-streams-"));
});
afterEach(async () => {
  await fake.stop();
  rmSync(workRoot, { recursive: true, force: true });
});

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
}

describe("the bootstrap process", () => {
  it("keeps serving invocations when its stdout and stderr are closed (EPIPE)", async () => {
    const address = await fake.start();
    const child = spawn(process.execPath, [BUNDLE], {
      env: { PATH: process.env.PATH ?? "", AWS_LAMBDA_RUNTIME_API: address, TF_LAMBDA_WORK_ROOT: workRoot },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let exitCode: number | null | undefined;
    child.once("exit", (code) => {
      exitCode = code;
    });
    child.stdout.destroy();
    child.stderr.destroy();

    fake.enqueue("request-1", '{"command":"console"}');
    fake.enqueue("request-2", '{"command":"console"}');
    await until(() => fake.posts.length >= 2 || exitCode !== undefined, 15_000);
    child.kill("SIGKILL");

    expect(exitCode).toBeUndefined();
    expect(fake.posts.map((post) => post.path)).toEqual([
      "/2018-06-01/runtime/invocation/request-1/error",
      "/2018-06-01/runtime/invocation/request-2/error",
    ]);
    expect(fake.posts[0]?.headers["lambda-runtime-function-error-type"]).toBe("TfLambda.Rejected");
  });
});
