import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MotoServer, runTerraform, startEmulator, startMoto, toolOrSkip } from "../../src/index.js";

const terraform = toolOrSkip("terraform");
const emulator = toolOrSkip("emulator");
const moto = toolOrSkip("moto");

describe.runIf(terraform)("the Terraform-compatible CLI", () => {
  let directory: string;

  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), "tf-lambda-toolchain-"));
    cpSync(join(import.meta.dirname, "..", "fixtures", "toolchain-config"), directory, { recursive: true });
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it("runs init, plan and apply on built-in resources and reports the plan", async () => {
    const init = await runTerraform(["init", "-input=false", "-no-color"], { cwd: directory });
    expect(init.exitCode, init.stderr).toBe(0);

    const plan = await runTerraform(["plan", "-input=false", "-json", "-detailed-exitcode"], {
      cwd: directory,
    });
    expect(plan.exitCode, plan.stderr).toBe(2);
    const summary = plan.stdout
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line))
      .find((message) => message.type === "change_summary");
    expect(summary?.changes).toMatchObject({ add: 2, change: 0, remove: 0 });

    const apply = await runTerraform(["apply", "-input=false", "-auto-approve", "-no-color"], {
      cwd: directory,
    });
    expect(apply.exitCode, apply.stderr).toBe(0);
    const output = await runTerraform(["output", "-json"], { cwd: directory });
    expect(JSON.parse(output.stdout).greeting.value).toBe("hello");
  });
});

describe.runIf(emulator)("the Lambda Runtime Interface Emulator", () => {
  it("starts a bootstrap and answers an invoke with its response", async () => {
    const bootstrap = join(import.meta.dirname, "..", "fixtures", "echo-bootstrap", "bootstrap.mjs");
    const running = await startEmulator({ bootstrap: [process.execPath, bootstrap], timeoutSeconds: 10 });
    try {
      const response = await running.invoke({ hello: "world" });

      expect(response.statusCode).toBe(200);
      const body = response.json() as { echo: unknown; requestId: string; deadlineMs: string };
      expect(body.echo).toEqual({ hello: "world" });
      expect(body.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(Number(body.deadlineMs)).toBeGreaterThan(Date.now());
    } finally {
      await running.stop();
    }
  });
});

describe.runIf(moto)("moto's server", () => {
  let server: MotoServer;

  beforeAll(async () => {
    server = await startMoto();
  });
  afterAll(() => server?.stop());

  it("stores and returns an S3 object through the AWS SDK", async () => {
    const s3 = new S3Client({
      endpoint: server.endpoint,
      region: server.region,
      credentials: server.credentials,
      forcePathStyle: true,
    });

    await s3.send(new CreateBucketCommand({ Bucket: "toolchain-check" }));
    await s3.send(new PutObjectCommand({ Bucket: "toolchain-check", Key: "a.txt", Body: "stored" }));
    const object = await s3.send(new GetObjectCommand({ Bucket: "toolchain-check", Key: "a.txt" }));

    expect(await object.Body?.transformToString()).toBe("stored");
  });

  it("answers STS AssumeRole with temporary credentials", async () => {
    const sts = new STSClient({
      endpoint: server.endpoint,
      region: server.region,
      credentials: server.credentials,
    });

    const assumed = await sts.send(
      new AssumeRoleCommand({
        RoleArn: "arn:aws:iam::111111111111:role/Terraform",
        RoleSessionName: "toolchain",
      }),
    );

    expect(assumed.Credentials?.AccessKeyId).toMatch(/^ASIA/);
    expect(assumed.Credentials?.SessionToken).toBeTruthy();
    expect(assumed.AssumedRoleUser?.Arn).toContain("111111111111");
  });
});
