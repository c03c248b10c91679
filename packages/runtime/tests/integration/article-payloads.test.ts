import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { encodeBase64, PROTOCOL_VERSION } from "@tf-lambda/protocol";
import { type MotoServer, startMoto, toolOrSkip } from "@tf-lambda/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RuntimeUnderTest, startRuntime } from "../support/runtime-under-emulator.js";
import { zipOf } from "../support/zip-builder.js";

const ready = toolOrSkip("terraform") && toolOrSkip("emulator") && toolOrSkip("moto");
const articleDirectory = join(
  import.meta.dirname,
  "..",
  "..",
  "..",
  "protocol",
  "tests",
  "fixtures",
  "article",
);
const article = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(articleDirectory, name), "utf8")) as Record<string, unknown>;
const bundledCode = join(import.meta.dirname, "..", "fixtures", "bundled-code");

describe.runIf(ready)("the article's payloads against the bundled runtime", () => {
  let moto: MotoServer;
  let s3: S3Client;
  let runtime: RuntimeUnderTest;
  let stateDirectory: string;
  let baseCliConfig: string;

  beforeAll(async () => {
    moto = await startMoto();
    s3 = new S3Client({
      endpoint: moto.endpoint,
      region: moto.region,
      credentials: moto.credentials,
      forcePathStyle: true,
    });
    await s3.send(new CreateBucketCommand({ Bucket: "my-terraform-state" }));
    stateDirectory = mkdtempSync(join(tmpdir(), "tf-lambda-article-state-"));
    baseCliConfig = join(stateDirectory, "..", `tf-lambda-base-${process.pid}.tfrc`);
    writeFileSync(baseCliConfig, "disable_checkpoint = true\n");
    runtime = await startRuntime({
      TF_LAMBDA_LOCAL_STATE_DIR: stateDirectory,
      TF_LAMBDA_BUNDLED_CODE_DIR: bundledCode,
      TF_LAMBDA_CLI_CONFIG_FILE: baseCliConfig,
      AWS_ENDPOINT_URL: moto.endpoint,
      AWS_ACCESS_KEY_ID: moto.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: moto.credentials.secretAccessKey,
    });
  });
  afterAll(async () => {
    await runtime?.stop();
    await moto?.stop();
    rmSync(stateDirectory, { recursive: true, force: true });
    rmSync(baseCliConfig, { force: true });
  });

  it("covers every payload the article shows", () => {
    expect(readdirSync(articleDirectory).filter((name) => name.endsWith(".json"))).toHaveLength(12);
  });

  it.each(readdirSync(articleDirectory).filter((name) => name.endsWith(".json")))("runs %s", async (name) => {
    const { result } = await runtime.run(article(name));

    expect(result.status, result.log.text).toBe("succeeded");
  });

  it("plans the bundled code for the article's first payload", async () => {
    const { result } = await runtime.run(article("01-bundled-plan.json"));

    expect(result.plan?.resources.map((change) => change.address)).toContain("terraform_data.example");
  });

  it("hands envs to the configuration as TF_VAR_* variables", async () => {
    const { result } = await runtime.run(article("03-envs.json"));

    expect(result.outputs.region).toMatchObject({ value: "us-east-1" });
    expect(result.outputs.environment).toMatchObject({ value: "prod" });
  });

  it("hands the CI branch to the configuration", async () => {
    const { result } = await runtime.run(article("10-ci-branch-envs.json"));

    expect(result.outputs.branch).toMatchObject({ value: "feature-login" });
  });

  it("keeps the dynamic code's state in the S3 backend its backend text names", async () => {
    await runtime.run(article("02-dynamic-code-apply.json"));

    const object = await s3.send(
      new GetObjectCommand({ Bucket: "my-terraform-state", Key: "prod/infrastructure.tfstate" }),
    );
    const state = JSON.parse((await object.Body?.transformToString()) ?? "{}") as {
      resources?: { name: string }[];
    };
    expect(state.resources?.map((resource) => resource.name)).toContain("example");
  });

  it("reads the article's JSON tfconfig as CLI configuration after the image's base file, without problems", async () => {
    const { result, text } = await runtime.run(article("06-tfconfig-custom-cli-configuration.json"));

    expect(result.status).toBe("succeeded");
    expect(result.log.text).not.toContain("problems with the CLI configuration");
    expect(text).not.toContain("YOUR_TOKEN");
  });

  it("would have reported a CLI configuration terraform cannot parse (the check above can fail)", async () => {
    const tfconfig = encodeBase64("this is { not a CLI configuration");

    const { result } = await runtime.run({ command: "plan", tfconfig });

    expect(result.log.text).toContain("problems with the CLI configuration");
  });

  it("lists the workspace and raises terraform's log level in debug, still redacting credentials", async () => {
    const payload = {
      ...article("07-debug.json"),
      aws_access_key: "AKIADEBUGKEY0001",
      aws_secret_key: "debug-secret-value",
    };

    const { result, text } = await runtime.run(payload);

    expect(result.log.text).toContain("workspace file code/main.tf");
    expect(result.log.text).toContain("[DEBUG]");
    expect(text).not.toContain("debug-secret-value");
    expect(text).not.toContain("AKIADEBUGKEY0001");
  });

  it("fetches code staged in S3 with the function's credentials and checks its sha256", async () => {
    const zip = zipOf({ "main.tf": 'output "from" {\n  value = "s3"\n}\n' });
    await s3.send(new PutObjectCommand({ Bucket: "my-terraform-state", Key: "code/staged.zip", Body: zip }));
    const sha256 = createHash("sha256").update(zip).digest("hex");

    const { result } = await runtime.run({
      protocol: PROTOCOL_VERSION,
      command: "plan",
      code: { s3: { bucket: "my-terraform-state", key: "code/staged.zip", sha256 } },
    });

    expect(result.status).toBe("succeeded");
  });

  it("rejects S3 code whose sha256 differs", async () => {
    const { result } = await runtime.run({
      protocol: PROTOCOL_VERSION,
      command: "plan",
      code: { s3: { bucket: "my-terraform-state", key: "code/staged.zip", sha256: "0".repeat(64) } },
    });

    expect(result).toMatchObject({ status: "rejected", error: { type: "UnsafeArchive" } });
  });

  it("rejects S3 code that does not exist", async () => {
    const { result } = await runtime.run({
      protocol: PROTOCOL_VERSION,
      command: "plan",
      code: { s3: { bucket: "my-terraform-state", key: "code/missing.zip" } },
    });

    expect(result).toMatchObject({ status: "rejected", error: { type: "CodeUnavailable" } });
    if (result.status === "rejected") expect(result.error.message).toMatch(/HTTP 404/);
  });
});
