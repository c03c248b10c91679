import { randomBytes } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateBucketCommand, HeadObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { STSClient } from "@aws-sdk/client-sts";
import { type MotoServer, startMoto, toolOrSkip } from "@tf-lambda/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assumeRole, forEachAccount, stagedCodeKey, TerraformRunnerClient } from "../../src/index.js";
import { CONFIGS, type RuntimeUnderTest, startRuntimeInEmulator } from "../support/runtime-emulator.js";

const moto = toolOrSkip("moto");
const ready = moto && toolOrSkip("terraform") && toolOrSkip("emulator");

describe.runIf(moto)("accounts on moto's STS", () => {
  let server: MotoServer;
  let sts: STSClient;

  beforeAll(async () => {
    server = await startMoto();
    sts = new STSClient({
      endpoint: server.endpoint,
      region: server.region,
      credentials: server.credentials,
    });
  });
  afterAll(() => server?.stop());

  it("assumeRole returns temporary credentials for the role", async () => {
    const credentials = await assumeRole({
      roleArn: "arn:aws:iam::111111111111:role/Terraform",
      stsClient: sts,
    });

    expect(credentials.accessKeyId).toMatch(/^ASIA/);
    expect(credentials.sessionToken).toBeTruthy();
  });

  it("forEachAccount runs in each account with distinct credentials and reports each", async () => {
    const report = await forEachAccount(
      ["arn:aws:iam::111111111111:role/Terraform", "arn:aws:iam::222222222222:role/Terraform"],
      async ({ credentials }) => credentials.accessKeyId,
      { stsClient: sts, concurrency: 2 },
    );

    const keys = report.accounts.map((account) => ("result" in account ? account.result : undefined));
    expect(report.succeeded).toBe(2);
    expect(new Set(keys).size).toBe(2);
  });
});

describe.runIf(ready)("code over 6 MB, staged in moto's S3 and run through the emulator", () => {
  let server: MotoServer;
  let runtime: RuntimeUnderTest;
  let s3: S3Client;
  let dir: string;
  const bucket = "tf-lambda-staging";

  beforeAll(async () => {
    server = await startMoto();
    s3 = new S3Client({
      endpoint: server.endpoint,
      region: server.region,
      credentials: server.credentials,
      forcePathStyle: true,
    });
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    runtime = await startRuntimeInEmulator({
      env: {
        AWS_ENDPOINT_URL_S3: server.endpoint,
        AWS_ACCESS_KEY_ID: server.credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: server.credentials.secretAccessKey,
        AWS_REGION: server.region,
      },
    });
    dir = mkdtempSync(join(tmpdir(), "tf-lambda-large-"));
    cpSync(join(CONFIGS, "simple"), dir, { recursive: true });
    mkdirSync(join(dir, "files"));
    writeFileSync(join(dir, "files", "blob.bin"), randomBytes(7 * 1024 * 1024));
  });
  afterAll(async () => {
    await runtime?.stop();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("uploads the archive under its sha256 and the runtime plans from the S3 reference", async () => {
    const client = new TerraformRunnerClient({
      functionName: runtime.emulator.functionName,
      endpoint: runtime.emulator.endpoint,
      stagingBucket: bucket,
      s3Client: s3,
    });

    const result = await client.plan({ dir });
    client.destroyClients();

    expect(result.status, JSON.stringify(result.status === "succeeded" ? "" : result.error)).toBe(
      "succeeded",
    );
    expect(result.plan?.add).toBe(2);
    const { packDirectory } = await import("../../src/index.js");
    const key = stagedCodeKey((await packDirectory(dir)).sha256);
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    expect(head.ContentLength).toBeGreaterThan(6 * 1024 * 1024);
  });
});
