import { describe, expect, it } from "vitest";
import { cliConfigSecrets, REDACTED, Redactor, redactorFor } from "../../src/redactor.js";

describe("Redactor", () => {
  it("replaces every occurrence of a secret with the marker", () => {
    const redactor = new Redactor();
    redactor.add("hunter22");

    expect(redactor.redact("a hunter22 b hunter22")).toBe(`a ${REDACTED} b ${REDACTED}`);
  });

  it("replaces the longer of two overlapping secrets whole", () => {
    const redactor = new Redactor();
    redactor.add("abcd");
    redactor.add("abcdefgh");

    expect(redactor.redact("xabcdefghx")).toBe(`x${REDACTED}x`);
  });

  it("ignores secrets too short to redact meaningfully", () => {
    const redactor = new Redactor();
    redactor.add("ab");

    expect(redactor.redact("abc")).toBe("abc");
  });

  it("redacts each line of a multi-line secret and its JSON-escaped form", () => {
    const redactor = new Redactor();
    redactor.add("line-one\nline-two");

    expect(redactor.redact("line-two")).toBe(REDACTED);
    expect(redactor.redact('"line-one\\nline-two"')).toBe(`"${REDACTED}"`);
  });

  it("redacts every leaf of a structured sensitive value", () => {
    const redactor = new Redactor();
    redactor.addValue({ password: "s3cr3t-value", list: ["other-secret"] });

    expect(redactor.redact("s3cr3t-value other-secret")).toBe(`${REDACTED} ${REDACTED}`);
  });
});

describe("redactorFor", () => {
  it("knows the request's credentials, secret-looking env values, CLI config tokens and the role's secrets", () => {
    const redactor = redactorFor(
      {
        env: { DB_PASSWORD: "pw-value-1", TF_VAR_region: "us-east-1" },
        credentials: {
          accessKeyId: "AKIAREQUEST",
          secretAccessKey: "request-secret",
          sessionToken: "request-token",
        },
        cliConfig: 'credentials "app.terraform.io" { token = "cli-token-1" }',
      },
      { AWS_SECRET_ACCESS_KEY: "role-secret", AWS_SESSION_TOKEN: "role-token" },
    );

    const text = redactor.redact(
      "AKIAREQUEST request-secret request-token pw-value-1 cli-token-1 role-secret role-token us-east-1",
    );

    expect(text).toBe(`${Array(7).fill(REDACTED).join(" ")} us-east-1`);
  });
});

describe("redactorFor, secrets beyond credentials and env", () => {
  const secretsOf = (request: Parameters<typeof redactorFor>[0], runtimeEnv: NodeJS.ProcessEnv = {}) =>
    redactorFor(request, runtimeEnv);

  it("knows the secret-looking attributes of a typed backend block (debug logs print the access key)", () => {
    const redactor = secretsOf({
      env: {},
      backend: {
        type: "block",
        backendType: "s3",
        config: {
          bucket: "state-bucket",
          key: "env/terraform.tfstate",
          access_key: "AKIABACKEND000000001",
          secret_key: "backend-secret-key",
          token: "backend-session-token",
        },
      },
    });

    expect(
      redactor.redact(
        "state-bucket env/terraform.tfstate AKIABACKEND000000001 backend-secret-key backend-session-token",
      ),
    ).toBe(`state-bucket env/terraform.tfstate ${Array(3).fill(REDACTED).join(" ")}`);
  });

  it("knows the secret-looking attributes of a legacy backend text and of tfvars", () => {
    const redactor = secretsOf({
      env: {},
      backend: { type: "partial", hcl: 'bucket = "b"\nsecret_key = "partial-secret"\n' },
      vars: { db_password: "vars-password", region: "eu-west-1" },
      tfvarsText: 'api_token = "tfvars-token"\nname = "plain"\n',
    });

    expect(redactor.redact("partial-secret vars-password tfvars-token eu-west-1 plain")).toBe(
      `${Array(3).fill(REDACTED).join(" ")} eu-west-1 plain`,
    );
  });

  it("knows the function's own access key id", () => {
    const redactor = secretsOf({ env: {} }, { AWS_ACCESS_KEY_ID: "ASIAROLEKEY000000001" });

    expect(redactor.redact("Credential=ASIAROLEKEY000000001/20260101")).toBe(
      `Credential=${REDACTED}/20260101`,
    );
  });
});

describe("cliConfigSecrets", () => {
  it("finds tokens in HCL and in the article's JSON form", () => {
    expect(cliConfigSecrets('credentials "x" {\n  token = "hcl-token"\n}')).toEqual(["hcl-token"]);
    expect(cliConfigSecrets('{"credentials": {"app.terraform.io": {"token": "YOUR_TOKEN"}}}')).toEqual([
      "YOUR_TOKEN",
    ]);
  });
});
