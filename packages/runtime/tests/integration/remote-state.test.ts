import { CreateTableCommand, DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import { CreateBucketCommand, GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { encodeBase64, PROTOCOL_VERSION } from "@tf-lambda/protocol";
import { type MotoServer, startMoto, toolOrSkip } from "@tf-lambda/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RuntimeUnderTest, startRuntime } from "../support/runtime-under-emulator.js";
import { zipOf } from "../support/zip-builder.js";

const ready = toolOrSkip("terraform") && toolOrSkip("emulator") && toolOrSkip("moto");
const BUCKET = "tf-lambda-remote-state";
const TABLE = "tf-lambda-locks";

const zip = (text: string) => ({ zip: encodeBase64(zipOf({ "main.tf": text })) });

const SLEEPY = (seconds: number) => `
resource "terraform_data" "first" {
  input = "created before the sleep"
}

resource "terraform_data" "slow" {
  depends_on = [terraform_data.first]
  input      = "slow"
  provisioner "local-exec" {
    command = "sleep ${seconds}"
  }
}
`;

describe.runIf(ready)("remote state in moto's S3 with a DynamoDB lock table", () => {
  let moto: MotoServer;
  let s3: S3Client;
  let dynamodb: DynamoDBClient;
  let runtimes: RuntimeUnderTest[] = [];

  const backend = (key: string) => ({
    type: "s3",
    config: {
      bucket: BUCKET,
      key,
      region: "us-east-1",
      dynamodb_table: TABLE,
      endpoints: { s3: moto.endpoint, dynamodb: moto.endpoint, sts: moto.endpoint },
      use_path_style: true,
      skip_credentials_validation: true,
      skip_requesting_account_id: true,
      skip_metadata_api_check: true,
      skip_region_validation: true,
    },
  });
  const request = (
    command: string,
    key: string,
    code: { zip: string },
    options: Record<string, unknown> = {},
  ) => ({
    protocol: PROTOCOL_VERSION,
    command,
    code,
    backend: backend(key),
    credentials: {
      accessKeyId: moto.credentials.accessKeyId,
      secretAccessKey: moto.credentials.secretAccessKey,
    },
    options,
  });
  const state = async (key: string) => {
    const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    return JSON.parse((await object.Body?.transformToString()) ?? "{}") as {
      serial: number;
      resources: { name: string }[];
    };
  };

  beforeAll(async () => {
    moto = await startMoto();
    s3 = new S3Client({
      endpoint: moto.endpoint,
      region: moto.region,
      credentials: moto.credentials,
      forcePathStyle: true,
    });
    dynamodb = new DynamoDBClient({
      endpoint: moto.endpoint,
      region: moto.region,
      credentials: moto.credentials,
    });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await dynamodb.send(
      new CreateTableCommand({
        TableName: TABLE,
        KeySchema: [{ AttributeName: "LockID", KeyType: "HASH" }],
        AttributeDefinitions: [{ AttributeName: "LockID", AttributeType: "S" }],
        BillingMode: "PAY_PER_REQUEST",
      }),
    );
    runtimes = [await startRuntime({}, 120), await startRuntime({}, 120), await startRuntime({}, 8)];
  });
  afterAll(async () => {
    await Promise.all(runtimes.map((runtime) => runtime.stop()));
    await moto?.stop();
  });

  it("applies, then plans no changes against the same state", async () => {
    const code = zip('resource "terraform_data" "a" {\n  input = "a"\n}\n');
    const [runtime] = runtimes as [RuntimeUnderTest];

    const applied = await runtime.run(request("apply", "simple.tfstate", code));
    const planned = await runtime.run(request("plan", "simple.tfstate", code));

    expect(applied.result.status).toBe("succeeded");
    expect(planned.result).toMatchObject({
      status: "succeeded",
      exitCode: 0,
      plan: { hasChanges: false, add: 0 },
    });
    expect((await state("simple.tfstate")).resources.map((resource) => resource.name)).toEqual(["a"]);
  });

  it("lets only one of two concurrent applies hold the lock, and the state stays whole", async () => {
    const [first, second] = runtimes as [RuntimeUnderTest, RuntimeUnderTest];
    const code = zip(SLEEPY(3));

    const results = await Promise.all([
      first.run(request("apply", "concurrent.tfstate", code)),
      new Promise((resolve) => setTimeout(resolve, 300)).then(() =>
        second.run(request("apply", "concurrent.tfstate", code)),
      ),
    ]);

    const statuses = results.map(({ result }) => result.status).sort();
    expect(statuses).toEqual(["failed", "succeeded"]);
    const loser = results.find(({ result }) => result.status === "failed")?.result;
    expect(loser?.diagnostics.map((diagnostic) => diagnostic.summary).join(" ")).toMatch(/lock/i);
    const saved = await state("concurrent.tfstate");
    expect(saved.resources.map((resource) => resource.name).sort()).toEqual(["first", "slow"]);
    const after = await first.run(request("plan", "concurrent.tfstate", code, { lockTimeout: "0s" }));
    expect(after.result).toMatchObject({ status: "succeeded", plan: { hasChanges: false } });
  });

  it("interrupts an apply at the deadline, keeps what was created in state and releases the lock", async () => {
    const short = runtimes[2] as RuntimeUnderTest;
    const code = zip(SLEEPY(60));

    const { result, errorType } = await short.run(request("apply", "deadline.tfstate", code));

    expect(result.status).toBe("interrupted");
    expect(errorType).toBe("TfLambda.Interrupted");
    if (result.status === "interrupted") {
      expect(result.error.type).toBe("DeadlineExceeded");
      expect(result.error.message).toContain("terraform_data.first");
    }
    expect((await state("deadline.tfstate")).resources.map((resource) => resource.name)).toContain("first");
    const locks = await dynamodb.send(new ScanCommand({ TableName: TABLE }));
    expect(locks.Items?.filter((item) => item.Info !== undefined) ?? []).toEqual([]);
    const [other] = runtimes as [RuntimeUnderTest];
    const plan = await other.run(request("plan", "deadline.tfstate", code, { lockTimeout: "0s" }));
    expect(plan.result.status).toBe("succeeded");
  });
});
