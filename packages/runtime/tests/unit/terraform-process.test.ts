import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runTerraformProcess } from "../../src/terraform-process.js";

/** True while the process exists and is not a zombie waiting for its (re)parent to reap it. */
function isRunning(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

describe("runTerraformProcess", () => {
  let directory: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), "tf-lambda-process-"));
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it("leaves no process behind that the command started in the background (a local-exec 'cmd &')", async () => {
    const script = join(directory, "fake-terraform");
    writeFileSync(
      script,
      // one child detached from the pipes, one still holding terraform's stdout (which would keep 'close' waiting)
      `#!/bin/sh\nsleep 60 > /dev/null 2>&1 &\necho $! > "${join(directory, "background.pid")}"\nsleep 1 &\necho done\n`,
    );
    chmodSync(script, 0o755);

    const exit = await runTerraformProcess({
      binary: script,
      args: [],
      cwd: directory,
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin" },
      onLine: () => undefined,
      deadline: undefined,
    });
    const pid = Number(readFileSync(join(directory, "background.pid"), "utf8"));
    await new Promise((resolve) => setTimeout(resolve, 100));

    expect(exit.exitCode).toBe(0);
    expect(isRunning(pid)).toBe(false);
  });

  it("streams each line of stdout and stderr as it comes", async () => {
    const script = join(directory, "fake-terraform");
    writeFileSync(script, `#!/bin/sh\nprintf 'one\\ntwo' \necho three >&2\n`);
    chmodSync(script, 0o755);
    const lines: string[] = [];

    await runTerraformProcess({
      binary: script,
      args: [],
      cwd: directory,
      env: {},
      onLine: (line, stream) => lines.push(`${stream}:${line}`),
      deadline: undefined,
    });

    expect(lines.sort()).toEqual(["stderr:three", "stdout:one", "stdout:two"]);
  });
});
