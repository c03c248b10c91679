import { describe, expect, it } from "vitest";
import { normalizeRequest, PROTOCOL_VERSION } from "../../src/index.js";

describe("a v1 request", () => {
  it("normalizes every field", () => {
    const request = normalizeRequest({
      protocol: PROTOCOL_VERSION,
      command: "apply",
      code: { zip: Buffer.from("PK\u0003\u0004").toString("base64") },
      backend: { type: "s3", config: { bucket: "state", key: "k", region: "us-east-1" } },
      vars: { environment: "prod", replicas: 3, tags: { team: "a" } },
      env: { TF_VAR_extra: "1", GITHUB_TOKEN: "ghp_x" },
      credentials: { accessKeyId: "AKIAEXAMPLE", secretAccessKey: "secret", sessionToken: "token" },
      cliConfig: 'plugin_cache_dir = "/tmp/cache"',
      workspace: "staging",
      options: {
        targets: ['module.net["eu"].aws_vpc.this[0]'],
        parallelism: 4,
        lockTimeout: "30s",
        refresh: false,
      },
      debug: true,
    });

    expect(request).toMatchObject({
      format: "v1",
      command: "apply",
      code: { type: "zip" },
      backend: {
        type: "block",
        backendType: "s3",
        config: { bucket: "state", key: "k", region: "us-east-1" },
      },
      vars: { environment: "prod", replicas: 3, tags: { team: "a" } },
      env: { TF_VAR_extra: "1", GITHUB_TOKEN: "ghp_x" },
      credentials: { accessKeyId: "AKIAEXAMPLE", secretAccessKey: "secret", sessionToken: "token" },
      workspace: "staging",
      options: {
        targets: ['module.net["eu"].aws_vpc.this[0]'],
        parallelism: 4,
        lockTimeout: "30s",
        refresh: false,
      },
      debug: true,
    });
  });

  it("defaults to bundled code, no backend and no vars", () => {
    const request = normalizeRequest({ protocol: PROTOCOL_VERSION, command: "validate" });

    expect(request).toEqual({
      format: "v1",
      command: "validate",
      code: { type: "bundled" },
      backend: { type: "none" },
      vars: {},
      env: {},
      options: {},
      debug: false,
    });
  });

  it("reads raw backend HCL with a terraform block as a backend file", () => {
    const request = normalizeRequest({
      protocol: PROTOCOL_VERSION,
      command: "plan",
      backend: { hcl: 'terraform {\n  backend "s3" {}\n}\n' },
    });

    expect(request.backend.type).toBe("file");
  });

  it("reads raw backend HCL without a terraform block as partial configuration", () => {
    const request = normalizeRequest({
      protocol: PROTOCOL_VERSION,
      command: "plan",
      backend: { hcl: 'bucket = "b"' },
    });

    expect(request.backend).toEqual({ type: "partial", hcl: 'bucket = "b"' });
  });

  it("keeps an S3 code reference with its version and checksum", () => {
    const sha256 = "a".repeat(64);
    const request = normalizeRequest({
      protocol: PROTOCOL_VERSION,
      command: "plan",
      code: { s3: { bucket: "staging-bucket", key: "code/x.zip", versionId: "v1", sha256 } },
    });

    expect(request.code).toEqual({
      type: "s3",
      bucket: "staging-bucket",
      key: "code/x.zip",
      versionId: "v1",
      sha256,
    });
  });

  it("accepts the JSON text of a request as well as the parsed value", () => {
    const request = normalizeRequest(
      new TextEncoder().encode('{"protocol":"tf-lambda/v1","command":"init"}'),
    );

    expect(request.command).toBe("init");
  });
});
