import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeBase64, PROTOCOL_VERSION, RUN_ERROR_TYPES, RunResultSchema } from "@tf-lambda/protocol";
import { freePort, requireTool, toolOrSkip } from "@tf-lambda/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeRuntimeApi } from "../support/fake-runtime-api.js";
import { BUNDLE, type RuntimeUnderTest, startRuntime } from "../support/runtime-under-emulator.js";
import { buildZip, zipOf } from "../support/zip-builder.js";
import { listTree, processesMatching, waitFor } from "./fault-harness.js";

// The deadline fault (SIGINT before the deadline -> `interrupted`, state kept in moto's S3, lock released) is
// proven by tests/integration/remote-state.test.ts ("interrupts an apply at the deadline ..."): not repeated here.

const ready = toolOrSkip("terraform") && toolOrSkip("emulator");

const TINY_TF = 'resource "terraform_data" "one" {\n  input = "x"\n}\n';
const SLEEPY_TF = `
resource "terraform_data" "first" {
  input = "created before the kill"
}

resource "terraform_data" "slow" {
  depends_on = [terraform_data.first]
  provisioner "local-exec" {
    command = "sleep 60"
  }
}
`;
const code = (text: string) => ({ zip: encodeBase64(zipOf({ "main.tf": text })) });
const request = (command: string, text: string, extra: Record<string, unknown> = {}) => ({
  protocol: PROTOCOL_VERSION,
  command,
  code: code(text),
  ...extra,
});

describe.runIf(ready)("faults around a run: a killed terraform, an unreachable backend", () => {
  let runtime: RuntimeUnderTest;
  let stateDirectory: string;

  beforeAll(async () => {
    stateDirectory = mkdtempSync(join(tmpdir(), "tf-lambda-faults-state-"));
    runtime = await startRuntime({ TF_LAMBDA_LOCAL_STATE_DIR: stateDirectory });
  });
  afterAll(async () => {
    await runtime?.stop();
    rmSync(stateDirectory, { recursive: true, force: true });
  });

  it("reports terraform killed mid-apply with SIGKILL as failed, with what it knows, and serves the next request", async () => {
    const inWorkRoot = (cwd: string) => cwd.startsWith(runtime.workRoot);
    const pending = runtime.run(request("apply", SLEEPY_TF));
    await waitFor(
      () => processesMatching((argv, cwd) => argv[0] === "sleep" && inWorkRoot(cwd))[0],
      60_000,
      "the local-exec sleep of the apply",
    );
    const [terraformPid] = processesMatching(
      (argv, cwd) => argv[0] === requireTool("terraform") && argv.includes("apply") && inWorkRoot(cwd),
    );

    process.kill(terraformPid as number, "SIGKILL");
    const { result, errorType } = await pending;
    const next = await runtime.run(request("plan", SLEEPY_TF));

    expect(result.status).toBe("failed");
    expect(errorType).toBe("TfLambda.Failed");
    if (result.status === "failed") {
      expect(result.error).toMatchObject({ type: RUN_ERROR_TYPES.terraformKilled });
      expect(result.error.message).toContain("SIGKILL");
    }
    expect(result).toMatchObject({ phase: "command", exitCode: null });
    expect(result.terraformVersion).toMatch(/v\d+\.\d+\.\d+/);
    expect(result.log.text).toContain("terraform_data.first: Creation complete");
    expect(processesMatching((_argv, cwd) => inWorkRoot(cwd))).toEqual([]);
    expect(listTree(runtime.workRoot)).toEqual([]);
    expect(next.result.status).toBe("succeeded");
  });

  it("reports an unreachable S3 backend as failed init with terraform's diagnostic", async () => {
    const closedPort = await freePort();
    const endpoint = `http://127.0.0.1:${closedPort}`;

    const { result } = await runtime.run(
      request("plan", TINY_TF, {
        backend: {
          type: "s3",
          config: {
            bucket: "unreachable-state",
            key: "x.tfstate",
            region: "us-east-1",
            endpoints: { s3: endpoint, sts: endpoint },
            use_path_style: true,
            skip_credentials_validation: true,
            skip_requesting_account_id: true,
            skip_metadata_api_check: true,
            skip_region_validation: true,
            max_retries: 1,
          },
        },
        credentials: { accessKeyId: "AKIAUNREACHABLE00001", secretAccessKey: "unreachable-secret" },
      }),
    );

    expect(result.status).toBe("failed");
    if (result.status === "failed") expect(result.error.type).toBe(RUN_ERROR_TYPES.initFailed);
    expect(result.phase).toBe("init");
    expect(`${result.log.text}\n${JSON.stringify(result.diagnostics)}`).toMatch(/connection refused/i);
    expect(result.log.text).toContain(`127.0.0.1:${closedPort}`);
    expect(listTree(runtime.workRoot)).toEqual([]);
  });
});

/** Mounts a 1 MiB tmpfs (the suite runs as root here); undefined when this machine cannot. */
function mountTinyFilesystem(): string | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const mountPoint = mkdtempSync(join(tmpdir(), "tf-lambda-tiny-"));
  const mount = spawnSync("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", mountPoint], {
    stdio: "ignore",
  });
  if (mount.status === 0) return mountPoint;
  rmSync(mountPoint, { recursive: true, force: true });
  return undefined;
}

function unmount(mountPoint: string): void {
  spawnSync("umount", [mountPoint], { stdio: "ignore" });
  rmSync(mountPoint, { recursive: true, force: true });
}

const tiny = ready ? mountTinyFilesystem() : undefined;

describe.runIf(ready && tiny)("a nearly full /tmp (a work root on a 1 MiB tmpfs)", () => {
  let runtime: RuntimeUnderTest;

  beforeAll(async () => {
    runtime = await startRuntime({ TF_LAMBDA_WORK_ROOT: join(tiny as string, "work") });
  });
  afterAll(async () => {
    await runtime?.stop();
    if (tiny) unmount(tiny);
  });

  it("fails code that does not fit as WorkspaceUnavailable (not an unsafe archive), with a clear no-space error, and cleans up", async () => {
    const payload = {
      protocol: PROTOCOL_VERSION,
      command: "plan",
      code: {
        zip: encodeBase64(
          buildZip([
            { name: "main.tf", data: TINY_TF },
            { name: "blob.bin", data: randomBytes(2 * 1024 * 1024) },
          ]),
        ),
      },
    };

    const { result } = await runtime.run(payload);
    const next = await runtime.run(request("validate", TINY_TF));

    expect(result.status).toBe("failed");
    if (result.status === "failed") {
      expect(result.error.type).toBe(RUN_ERROR_TYPES.workspaceUnavailable);
      expect(result.error.message).toMatch(/no room to unpack the code.*(ENOSPC|no space left)/i);
    }
    expect(listTree(join(tiny as string, "work"))).toEqual([]);
    expect(next.result.status).toBe("succeeded");
  });
});

describe.runIf(ready)("a work root that cannot be created (the fallback for a full /tmp)", () => {
  let runtime: RuntimeUnderTest;
  let blocker: string;

  beforeAll(async () => {
    blocker = join(mkdtempSync(join(tmpdir(), "tf-lambda-blocked-")), "not-a-directory");
    writeFileSync(blocker, "a file where the work root should be");
    runtime = await startRuntime({ TF_LAMBDA_WORK_ROOT: join(blocker, "work") });
  });
  afterAll(async () => {
    await runtime?.stop();
    rmSync(join(blocker, ".."), { recursive: true, force: true });
  });

  it("fails with WorkspaceUnavailable naming the file system error", async () => {
    const { result, errorType } = await runtime.run(request("validate", TINY_TF));

    expect(result.status).toBe("failed");
    expect(errorType).toBe("TfLambda.Failed");
    if (result.status === "failed") {
      expect(result.error.type).toBe(RUN_ERROR_TYPES.workspaceUnavailable);
      expect(result.error.message).toMatch(/during workspace: .*ENOTDIR/);
    }
  });
});

describe.runIf(ready)("the Runtime API resetting the connection during the response POST", () => {
  let api: FakeRuntimeApi;
  let root: string;
  let runtimeProcess: ReturnType<typeof spawn>;
  let output = "";

  beforeAll(async () => {
    api = new FakeRuntimeApi();
    api.resetPosts = 1;
    const address = await api.start();
    root = mkdtempSync(join(tmpdir(), "tf-lambda-reset-"));
    mkdirSync(join(root, "work"));
    runtimeProcess = spawn(process.execPath, [BUNDLE], {
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        AWS_LAMBDA_RUNTIME_API: address,
        TF_LAMBDA_TERRAFORM_BIN: requireTool("terraform"),
        TF_LAMBDA_WORK_ROOT: join(root, "work"),
        TF_LAMBDA_PLUGIN_CACHE_DIR: join(root, "plugin-cache"),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    runtimeProcess.stdout?.on("data", (chunk) => {
      output += chunk;
    });
    runtimeProcess.stderr?.on("data", (chunk) => {
      output += chunk;
    });
  });
  afterAll(async () => {
    runtimeProcess?.kill("SIGKILL");
    await api?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it("retries the POST and delivers the result exactly once", async () => {
    api.enqueue("reset-1", JSON.stringify(request("validate", TINY_TF)));

    await waitFor(
      () => (api.nextRequests >= 2 ? true : undefined),
      60_000,
      `the runtime to ask again\n${output}`,
    );

    expect(api.posts.map((post) => post.outcome)).toEqual(["reset", "accepted"]);
    expect(api.posts.every((post) => post.path.endsWith("/invocation/reset-1/response"))).toBe(true);
    expect(api.posts[1]?.body).toBe(api.posts[0]?.body);
    expect(RunResultSchema.parse(JSON.parse(api.posts[1]?.body ?? "{}"))).toMatchObject({
      status: "succeeded",
      requestId: "reset-1",
    });
    expect(runtimeProcess.exitCode).toBeNull();
  });
});
