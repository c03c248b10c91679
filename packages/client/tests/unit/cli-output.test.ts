import { describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.js";

function stream(isTTY: boolean) {
  const chunks: string[] = [];
  const fake = { isTTY, write: (chunk: string) => chunks.push(chunk) > 0 };
  return { stream: fake as unknown as NodeJS.WriteStream, text: () => chunks.join("") };
}

describe("the CLI's error output", () => {
  it("has no colors when stderr is a file, even if stdout is a terminal", async () => {
    const stdout = stream(true);
    const stderr = stream(false);

    const code = await runCli(["plan", "--no-such-flag"], {
      stdout: stdout.stream,
      stderr: stderr.stream,
      env: {},
    });

    expect(code).toBe(1);
    expect(stderr.text()).toContain("Error:");
    expect(stderr.text()).not.toContain("\u001b[");
  });

  it("is colored when stderr is a terminal, even if stdout is a pipe", async () => {
    const stdout = stream(false);
    const stderr = stream(true);

    await runCli(["plan", "--no-such-flag"], { stdout: stdout.stream, stderr: stderr.stream, env: {} });

    expect(stderr.text()).toContain("\u001b[31m");
  });
});
