import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeBase64, PROTOCOL_VERSION } from "@tf-lambda/protocol";
import { toolOrSkip } from "@tf-lambda/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RuntimeUnderTest, startRuntime } from "../support/runtime-under-emulator.js";
import { zipOf } from "../support/zip-builder.js";
import { filesContaining, listTree } from "./fault-harness.js";

// tests/integration/isolation-and-hostile-inputs.test.ts already proves that printed credentials and env tokens are
// redacted from one apply's log. This suite adds the CLI configuration token, a sensitive output, the legacy
// payload's fields, debug logging, a failed run's diagnostics, and the files left behind.

const ready = toolOrSkip("terraform") && toolOrSkip("emulator");

const nonce = randomBytes(4).toString("hex");
const CANARIES = {
  accessKeyId: `AKIACANARY${nonce.toUpperCase()}01`,
  secretAccessKey: `canary-secret-access-key-${nonce}`,
  sessionToken: `canary-session-token-${nonce}`,
  cliToken: `canary-cli-config-token-${nonce}`,
  envSecret: `canary-env-secret-${nonce}`,
  sensitiveOutput: `canary-sensitive-output-${nonce}`,
};

/** Prints every secret it can reach, writes them into the workspace, and returns one as a sensitive output. */
const LEAKY_TF = `
variable "api_token" {
  type      = string
  sensitive = true
}

resource "terraform_data" "leak" {
  triggers_replace = [timestamp(), var.api_token]
  provisioner "local-exec" {
    command = "env; cat \\"$TF_CLI_CONFIG_FILE\\"; env > leaked-env.txt; cat \\"$TF_CLI_CONFIG_FILE\\" > \\"$HOME/leaked-cli.txt\\"; echo \\"$SERVICE_PASSWORD\\" > \\"$TMPDIR/leaked-tmp.txt\\""
  }
}

output "secret_value" {
  value     = "${CANARIES.sensitiveOutput}"
  sensitive = true
}
`;

/** Fails at plan time with an error message that quotes a secret variable. */
const FAILING_TF = `
variable "api_token" {
  type = string
}

resource "terraform_data" "guarded" {
  input = "x"
  lifecycle {
    precondition {
      condition     = var.api_token == "something else"
      error_message = "the token \${var.api_token} is not the expected one"
    }
  }
}
`;

const CLI_CONFIG = `credentials "registry.example.com" {\n  token = "${CANARIES.cliToken}"\n}\n`;
const code = (text: string) => encodeBase64(zipOf({ "main.tf": text }));

describe.runIf(ready)("secrets never leave the run", () => {
  let runtime: RuntimeUnderTest;
  let stateDirectory: string;

  const assertNoCanary = (text: string) => {
    for (const [name, canary] of Object.entries(CANARIES)) expect(text, name).not.toContain(canary);
  };
  const assertNothingLeftBehind = () => {
    expect(listTree(runtime.workRoot)).toEqual([]);
    expect(filesContaining(runtime.root, Object.values(CANARIES))).toEqual([]);
  };

  beforeAll(async () => {
    stateDirectory = mkdtempSync(join(tmpdir(), "tf-lambda-secrets-state-"));
    runtime = await startRuntime({ TF_LAMBDA_LOCAL_STATE_DIR: stateDirectory });
  });
  afterAll(async () => {
    await runtime?.stop();
    rmSync(stateDirectory, { recursive: true, force: true });
  });

  it("keeps credentials, the CLI token, env secrets and sensitive outputs out of an apply's result, logs and files, in debug too", async () => {
    const { result, text } = await runtime.run({
      protocol: PROTOCOL_VERSION,
      command: "apply",
      code: { zip: code(LEAKY_TF) },
      credentials: {
        accessKeyId: CANARIES.accessKeyId,
        secretAccessKey: CANARIES.secretAccessKey,
        sessionToken: CANARIES.sessionToken,
      },
      cliConfig: CLI_CONFIG,
      env: { SERVICE_PASSWORD: CANARIES.envSecret, TF_VAR_api_token: CANARIES.envSecret },
      debug: true,
    });

    expect(result.status, JSON.stringify(result).slice(0, 3000)).toBe("succeeded");
    expect(result.outputs.secret_value).toEqual({ sensitive: true, type: "string" });
    expect(result.log.text).toContain("SERVICE_PASSWORD=[redacted]");
    assertNoCanary(text);
    assertNoCanary(runtime.emulator.output());
    assertNothingLeftBehind();
  });

  it("keeps the legacy payload's credentials, tfconfig token and envs out of a failed run's diagnostics, logs and files", async () => {
    const { result, text } = await runtime.run({
      command: "plan",
      tf_code: code(FAILING_TF),
      aws_access_key: CANARIES.accessKeyId,
      aws_secret_key: CANARIES.secretAccessKey,
      aws_session_token: CANARIES.sessionToken,
      tfconfig: Buffer.from(CLI_CONFIG).toString("base64"),
      envs: Buffer.from(`TF_VAR_api_token=${CANARIES.envSecret}\n`).toString("base64"),
    });

    expect(result.status).toBe("failed");
    expect(JSON.stringify(result.diagnostics)).toContain("the token [redacted] is not the expected one");
    assertNoCanary(text);
    assertNoCanary(runtime.emulator.output());
    assertNothingLeftBehind();
  });
});
