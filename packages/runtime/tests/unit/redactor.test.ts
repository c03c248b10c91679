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

describe("cliConfigSecrets", () => {
  it("finds tokens in HCL and in the article's JSON form", () => {
    expect(cliConfigSecrets('credentials "x" {\n  token = "hcl-token"\n}')).toEqual(["hcl-token"]);
    expect(cliConfigSecrets('{"credentials": {"app.terraform.io": {"token": "YOUR_TOKEN"}}}')).toEqual([
      "YOUR_TOKEN",
    ]);
  });
});
