import { describe, expect, it } from "vitest";
import { buildChildEnvironment, type ChildEnvironmentInput } from "../../src/child-environment.js";

const runtimeEnv: NodeJS.ProcessEnv = {
  PATH: "/usr/bin",
  AWS_REGION: "eu-west-1",
  AWS_LAMBDA_RUNTIME_API: "127.0.0.1:9001",
  AWS_ENDPOINT_URL_S3: "http://127.0.0.1:5000",
  AWS_ACCESS_KEY_ID: "ROLEKEY",
  AWS_SECRET_ACCESS_KEY: "role-secret",
  AWS_SESSION_TOKEN: "role-token",
  NODE_OPTIONS: "--inspect",
  TF_LAMBDA_LOCAL_STATE_DIR: "/state",
  SOMETHING_ELSE: "x",
};

function input(overrides: Partial<ChildEnvironmentInput> = {}): ChildEnvironmentInput {
  return {
    runtimeEnv,
    requestEnv: {},
    credentials: undefined,
    homeDirectory: "/tmp/ws/home",
    temporaryDirectory: "/tmp/ws/tmp",
    cliConfigFile: "/tmp/ws/cli-config.tfrc",
    pluginCacheDirectory: "/tmp/cache",
    traceId: "Root=1-abc",
    debug: false,
    ...overrides,
  };
}

describe("buildChildEnvironment", () => {
  it("inherits only allowlisted names from the runtime", () => {
    const env = buildChildEnvironment(input());

    expect(env.PATH).toBe("/usr/bin");
    expect(env.AWS_REGION).toBe("eu-west-1");
    expect(env.AWS_ENDPOINT_URL_S3).toBe("http://127.0.0.1:5000");
    expect(env).not.toHaveProperty("AWS_LAMBDA_RUNTIME_API");
    expect(env).not.toHaveProperty("NODE_OPTIONS");
    expect(env).not.toHaveProperty("TF_LAMBDA_LOCAL_STATE_DIR");
    expect(env).not.toHaveProperty("SOMETHING_ELSE");
  });

  it("passes the function's role credentials when the request brings none", () => {
    const env = buildChildEnvironment(input());

    expect(env.AWS_ACCESS_KEY_ID).toBe("ROLEKEY");
    expect(env.AWS_SESSION_TOKEN).toBe("role-token");
  });

  it("uses the request's credentials instead of the role's, dropping the role's session token", () => {
    const env = buildChildEnvironment(
      input({ credentials: { accessKeyId: "REQKEY", secretAccessKey: "req-secret" } }),
    );

    expect(env.AWS_ACCESS_KEY_ID).toBe("REQKEY");
    expect(env.AWS_SECRET_ACCESS_KEY).toBe("req-secret");
    expect(env).not.toHaveProperty("AWS_SESSION_TOKEN");
  });

  it("adds the request's env and the trace id", () => {
    const env = buildChildEnvironment(input({ requestEnv: { TF_VAR_region: "us-east-1" } }));

    expect(env.TF_VAR_region).toBe("us-east-1");
    expect(env._X_AMZN_TRACE_ID).toBe("Root=1-abc");
  });

  it("sets the variables the runtime controls after the request's env", () => {
    const env = buildChildEnvironment(input({ requestEnv: { CHECKPOINT_DISABLE: "0" } }));

    expect(env).toMatchObject({
      HOME: "/tmp/ws/home",
      TMPDIR: "/tmp/ws/tmp",
      TF_IN_AUTOMATION: "1",
      TF_INPUT: "0",
      CHECKPOINT_DISABLE: "1",
      TF_CLI_CONFIG_FILE: "/tmp/ws/cli-config.tfrc",
      TF_PLUGIN_CACHE_DIR: "/tmp/cache",
    });
  });

  it("raises terraform's log level only for a debug run", () => {
    expect(buildChildEnvironment(input({ debug: true })).TF_LOG).toBe("DEBUG");
    expect(buildChildEnvironment(input())).not.toHaveProperty("TF_LOG");
  });

  it("never changes the runtime's environment", () => {
    const before = { ...runtimeEnv };

    buildChildEnvironment(
      input({ requestEnv: { TF_VAR_x: "1" }, credentials: { accessKeyId: "K", secretAccessKey: "S" } }),
    );

    expect(runtimeEnv).toEqual(before);
  });
});
