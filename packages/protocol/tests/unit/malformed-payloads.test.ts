import { describe, expect, it } from "vitest";
import { InvalidRequestError, normalizeRequest } from "../../src/index.js";

const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64");
const v1 = (fields: Record<string, unknown>) => ({ protocol: "tf-lambda/v1", command: "plan", ...fields });

/** [what is wrong, payload, the field the error must name, a phrase of the message]. */
const cases: Array<[string, unknown, string, RegExp]> = [
  ["body is not JSON", "{not json", "", /not valid JSON/],
  ["body is an array", "[1,2]", "", /must be a JSON object, got an array/],
  ["body is null", null, "", /got null/],
  ["body is a number", 42, "", /got number/],
  ["legacy: unknown command", { command: "console" }, "command", /unknown command "console"/],
  ["legacy: injected command", { command: "apply -auto-approve; rm -rf /" }, "command", /unknown command/],
  ["legacy: tf_code not base64", { tf_code: "not base64!!" }, "tf_code", /not valid base64/],
  ["legacy: tf_code truncated base64", { tf_code: "QUJDR" }, "tf_code", /whole number of bytes/],
  ["legacy: backend not base64", { backend: "terraform {" }, "backend", /not valid base64/],
  ["legacy: envs not base64", { envs: "TF_VAR_x=1" }, "envs", /not valid base64/],
  [
    "legacy: envs line without =",
    { envs: b64("TF_VAR_ok=1\nnot-an-assignment\n") },
    "envs line 2",
    /KEY=VALUE/,
  ],
  ["legacy: envs sets PATH", { envs: b64("PATH=/evil") }, "envs line 1", /'PATH' may not be set/],
  ["legacy: envs sets LD_PRELOAD", { envs: b64("LD_PRELOAD=/tmp/x.so") }, "envs line 1", /'LD_PRELOAD'/],
  [
    "legacy: envs sets NODE_OPTIONS",
    { envs: b64("NODE_OPTIONS=--require /tmp/x") },
    "envs line 1",
    /NODE_OPTIONS/,
  ],
  ["legacy: envs sets HOME", { envs: b64("HOME=/") }, "envs line 1", /'HOME' may not be set/],
  [
    "legacy: envs sets TF_CLI_CONFIG_FILE",
    { envs: b64("TF_CLI_CONFIG_FILE=/x") },
    "envs line 1",
    /TF_CLI_CONFIG_FILE/,
  ],
  ["legacy: envs sets TF_DATA_DIR", { envs: b64("TF_DATA_DIR=/x") }, "envs line 1", /TF_DATA_DIR/],
  [
    "legacy: envs sets AWS_LAMBDA_RUNTIME_API",
    { envs: b64("AWS_LAMBDA_RUNTIME_API=x") },
    "envs line 1",
    /AWS_LAMBDA_RUNTIME_API/,
  ],
  [
    "legacy: envs name is not an identifier",
    { envs: b64("1BAD=x") },
    "envs line 1",
    /not a valid environment variable name/,
  ],
  [
    "legacy: envs sets TF_CLI_ARGS_plan",
    { envs: b64("TF_CLI_ARGS_plan=-destroy") },
    "envs line 1",
    /TF_CLI_ARGS_plan/,
  ],
  [
    "legacy: tfvars not UTF-8",
    { tfvars: Buffer.from([0xff, 0xfe, 0x00]).toString("base64") },
    "tfvars",
    /UTF-8/,
  ],
  ["legacy: access key without secret", { aws_access_key: "AKIAX" }, "aws_secret_key", /is required/],
  ["legacy: secret without access key", { aws_secret_key: "s" }, "aws_access_key", /is required/],
  ["legacy: unknown field", { command: "plan", comand: "apply" }, "comand", /not a known field/],
  [
    "legacy: v1 field without protocol",
    { command: "plan", code: { bundled: true } },
    "code",
    /needs "protocol"/,
  ],
  ["legacy: debug of a wrong type", { debug: 1 }, "debug", /.+/],
  ["legacy: command of a wrong type", { command: ["plan"] }, "command", /must be a string/],
  [
    "v1: unsupported protocol",
    { protocol: "tf-lambda/v9", command: "plan" },
    "protocol",
    /unsupported protocol/,
  ],
  ["v1: missing command", { protocol: "tf-lambda/v1" }, "command", /.+/],
  ["v1: unknown command", v1({ command: "import" }), "command", /.+/],
  ["v1: zip not base64", v1({ code: { zip: "%%%" } }), "code.zip", /not valid base64/],
  [
    "v1: bad S3 bucket name",
    v1({ code: { s3: { bucket: "Bad_Bucket", key: "k" } } }),
    "code.s3.bucket",
    /bucket name/,
  ],
  [
    "v1: S3 reference without key",
    v1({ code: { s3: { bucket: "state-bucket" } } }),
    "code.s3.key",
    /required/,
  ],
  ["v1: code of no known shape", v1({ code: { git: "https://example.com" } }), "code", /must be \{ zip/],
  ["v1: bundled false", v1({ code: { bundled: false } }), "code.bundled", /.+/],
  ["v1: denied env name", v1({ env: { LD_LIBRARY_PATH: "/x" } }), "env.LD_LIBRARY_PATH", /may not be set/],
  [
    "v1: credentials in env",
    v1({ env: { AWS_SECRET_ACCESS_KEY: "x" } }),
    "env.AWS_SECRET_ACCESS_KEY",
    /credentials/,
  ],
  ["v1: env value not a string", v1({ env: { TF_VAR_x: 1 } }), "env.TF_VAR_x", /must be a string/],
  [
    "v1: target injecting a flag",
    v1({ options: { targets: ["-var=x=1"] } }),
    "options.targets[0]",
    /resource address/,
  ],
  [
    "v1: target with a newline",
    v1({ options: { targets: ["aws_s3_bucket.a\n-destroy"] } }),
    "options.targets[0]",
    /control/,
  ],
  [
    "v1: replace injecting a flag",
    v1({ options: { replace: ["--help"] } }),
    "options.replace[0]",
    /resource address/,
  ],
  [
    "v1: workspace injecting a flag",
    v1({ workspace: "-or-" }),
    "workspace",
    /starting with a letter or digit/,
  ],
  ["v1: workspace with a path", v1({ workspace: "../../etc" }), "workspace", /.+/],
  ["v1: parallelism out of range", v1({ options: { parallelism: 0 } }), "options.parallelism", /.+/],
  [
    "v1: lock timeout not a duration",
    v1({ options: { lockTimeout: "5 minutes" } }),
    "options.lockTimeout",
    /duration/,
  ],
  ["v1: var name not an identifier", v1({ vars: { "a b": 1 } }), 'vars["a b"]', /identifier/],
  ["v1: unknown backend type", v1({ backend: { type: "s4", config: {} } }), "backend.type", /.+/],
  [
    "v1: backend config key with spaces",
    v1({ backend: { type: "s3", config: { "a b": 1 } } }),
    'backend.config["a b"]',
    /identifier/,
  ],
  [
    "v1: credentials without secret",
    v1({ credentials: { accessKeyId: "AKIA" } }),
    "credentials.secretAccessKey",
    /required/,
  ],
  ["v1: unknown top-level field", v1({ targets: ["a.b"] }), "targets", /not a known field/],
  ["v1: debug not boolean", v1({ debug: "yes" }), "debug", /must be a boolean/],
  ["v1: huge cliConfig", v1({ cliConfig: "x".repeat(300 * 1024) }), "cliConfig", /.+/],
];

describe("malformed payloads", () => {
  it("are at least 20 distinct cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });

  it.each(cases)("are rejected: %s", (_what, payload, field, message) => {
    let caught: unknown;
    try {
      normalizeRequest(payload);
    } catch (error) {
      caught = error;
    }

    expect(InvalidRequestError.isInstance(caught)).toBe(true);
    const issues = (caught as InvalidRequestError).issues;
    const named = issues.find((issue) => issue.field === field);
    expect(named, `no issue names '${field}': ${JSON.stringify(issues)}`).toBeDefined();
    expect(named?.message).toMatch(message);
    expect((caught as Error).message).toContain(field);
  });
});
