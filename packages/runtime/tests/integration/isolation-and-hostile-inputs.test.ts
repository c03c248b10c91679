import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeBase64, PROTOCOL_VERSION } from "@tf-lambda/protocol";
import { toolOrSkip } from "@tf-lambda/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RuntimeUnderTest, startRuntime } from "../support/runtime-under-emulator.js";
import { buildZip, zipOf } from "../support/zip-builder.js";

const ready = toolOrSkip("terraform") && toolOrSkip("emulator");

/** Prints the child's environment and what its HOME and working directory hold, then leaves a marker file. */
const ECHO_TF = `
resource "terraform_data" "probe" {
  triggers_replace = timestamp()
  provisioner "local-exec" {
    command = "env | sort; echo HOME-FILES; ls -A \\"$HOME\\"; echo CODE-FILES; ls -A; echo leftover > \\"$HOME/marker-$((40+2))\\""
  }
}
`;

function snapshot(directory: string): string[] {
  return readdirSync(directory, { recursive: true })
    .map(String)
    .sort()
    .map((path) => `${path}:${statSync(join(directory, path)).size}`);
}

describe.runIf(ready)("isolation between invocations and hostile inputs", () => {
  let runtime: RuntimeUnderTest;
  let sentinel: string;
  let stateDirectory: string;
  let before: string[];

  beforeAll(async () => {
    stateDirectory = mkdtempSync(join(tmpdir(), "tf-lambda-isolation-state-"));
    sentinel = mkdtempSync(join(tmpdir(), "tf-lambda-sentinel-"));
    mkdirSync(join(sentinel, "inside"));
    writeFileSync(join(sentinel, "inside", "keep.txt"), "untouched");
    before = snapshot(sentinel);
    runtime = await startRuntime({
      TF_LAMBDA_LOCAL_STATE_DIR: stateDirectory,
      TF_LAMBDA_WORK_ROOT: join(sentinel, "work"),
    });
  });
  afterAll(async () => {
    await runtime?.stop();
    for (const directory of [stateDirectory, sentinel])
      if (directory) rmSync(directory, { recursive: true, force: true });
  });

  it("gives the next invocation none of the previous one's credentials, env or files", async () => {
    const code = { zip: encodeBase64(zipOf({ "main.tf": ECHO_TF, "extra-file-from-run-one.txt": "x" })) };
    const first = await runtime.run({
      protocol: PROTOCOL_VERSION,
      command: "apply",
      code,
      env: { RUN_ONE_MARKER: "marker-value-one", RUN_ONE_API_TOKEN: "token-value-one" },
      credentials: {
        accessKeyId: "AKIARUNONE0000000001",
        secretAccessKey: "run-one-secret-key",
        sessionToken: "run-one-session",
      },
    });
    expect(first.result.status, first.result.log.text).toBe("succeeded");
    expect(first.result.log.text).toContain("RUN_ONE_MARKER=marker-value-one");
    expect(first.result.log.text).toContain("extra-file-from-run-one.txt");

    const code2 = { zip: encodeBase64(zipOf({ "main.tf": ECHO_TF })) };
    const second = await runtime.run({ protocol: PROTOCOL_VERSION, command: "apply", code: code2 });

    const log = second.result.log.text;
    expect(second.result.status).toBe("succeeded");
    expect(log).toContain("TF_IN_AUTOMATION=1");
    for (const leaked of [
      "RUN_ONE",
      "marker-value-one",
      "AKIARUNONE",
      "run-one-secret",
      "run-one-session",
      "marker-42",
      "extra-file-from-run-one",
    ]) {
      expect(log).not.toContain(leaked);
    }
  });

  it("redacts the request's secrets even when the configuration prints them", async () => {
    const code = { zip: encodeBase64(zipOf({ "main.tf": ECHO_TF })) };

    const { result, text } = await runtime.run({
      protocol: PROTOCOL_VERSION,
      command: "apply",
      code,
      env: { MY_API_TOKEN: "printed-token-value" },
      credentials: {
        accessKeyId: "AKIAPRINTED000000001",
        secretAccessKey: "printed-secret-key",
        sessionToken: "printed-session-token",
      },
    });

    expect(result.status).toBe("succeeded");
    expect(result.log.text).toContain("MY_API_TOKEN=[redacted]");
    for (const secret of [
      "printed-token-value",
      "AKIAPRINTED000000001",
      "printed-secret-key",
      "printed-session-token",
    ]) {
      expect(text).not.toContain(secret);
      expect(runtime.emulator.output()).not.toContain(secret);
    }
  });

  const plan = (extra: Record<string, unknown>) => ({
    protocol: PROTOCOL_VERSION,
    command: "plan",
    ...extra,
  });
  const zipCode = (archive: Buffer) => ({ code: { zip: encodeBase64(archive) } });
  const manyEntries = buildZip(
    Array.from({ length: 20_001 }, (_, index) => ({ name: `f${index}`, store: true })),
  );

  it.each([
    ["zip-slip", plan(zipCode(zipOf({ "../../escaped.tf": "x" }))), "UnsafeArchive", /'\.\.' segment/],
    [
      "a symlink",
      plan(zipCode(buildZip([{ name: "link.tf", data: "/etc/passwd", mode: 0o120777 }]))),
      "UnsafeArchive",
      /symbolic link/,
    ],
    ["an absolute path", plan(zipCode(zipOf({ "/tmp/escaped.tf": "x" }))), "UnsafeArchive", /absolute path/],
    ["too many entries", plan(zipCode(manyEntries)), "UnsafeArchive", /20001 entries/],
    [
      "a zip bomb",
      plan(zipCode(buildZip([{ name: "bomb.tf", data: Buffer.alloc(8 * 1024 * 1024) }]))),
      "UnsafeArchive",
      /zip bomb/,
    ],
    [
      "a sha256 mismatch",
      plan({ code: { zip: encodeBase64(zipOf({ "main.tf": "" })), sha256: "a".repeat(64) } }),
      "UnsafeArchive",
      /sha256/,
    ],
    ["an unknown command", { protocol: PROTOCOL_VERSION, command: "console" }, "InvalidRequest", /command/],
    [
      "an injected flag in targets",
      plan({ options: { targets: ["-destroy"] } }),
      "InvalidRequest",
      /resource address/,
    ],
    ["a denied env name", plan({ env: { LD_PRELOAD: "/tmp/x.so" } }), "InvalidRequest", /LD_PRELOAD/],
    ["bad base64", { command: "plan", tf_code: "not base64!!" }, "InvalidRequest", /base64/],
    ["a non-JSON body", "this is not json", "InvalidRequest", /not valid JSON/],
    [
      "a CLI config path outside",
      plan({ ...zipCode(zipOf({ "main.tf": "" })), cliConfig: 'plugin_cache_dir = "/root"' }),
      "UnsafeConfiguration",
      /outside the run's workspace/,
    ],
    [
      "a backend path outside",
      plan({
        ...zipCode(zipOf({ "main.tf": "" })),
        backend: { type: "local", config: { path: "/etc/evil.tfstate" } },
      }),
      "UnsafeConfiguration",
      /outside the run's workspace/,
    ],
  ])(
    "rejects %s with a clear message, writes nothing outside and serves the next invocation",
    async (_what, payload, type, message) => {
      const { result, errorType } = await runtime.run(payload);

      expect(result.status).toBe("rejected");
      expect(errorType).toBe("TfLambda.Rejected");
      if (result.status === "rejected") {
        expect(result.error.type).toBe(type);
        expect(result.error.message).toMatch(message);
      }
      expect(snapshot(sentinel).filter((path) => !path.startsWith("work"))).toEqual(
        before.filter((path) => !path.startsWith("work")),
      );
      expect(readdirSync(join(sentinel, "work"))).toEqual([]);
      const next = await runtime.run(plan(zipCode(zipOf({ "main.tf": 'output "ok" {\n  value = 1\n}\n' }))));
      expect(next.result.status).toBe("succeeded");
    },
  );

  it("ignores a workspace selection shipped in the code's .terraform/environment (its name could lead outside the workspace)", async () => {
    const outside = mkdtempSync(join(tmpdir(), "tf-lambda-outside-state-"));
    writeFileSync(
      join(outside, "terraform.tfstate"),
      JSON.stringify({
        version: 4,
        terraform_version: "1.6.2",
        serial: 1,
        lineage: "00000000-0000-0000-0000-000000000000",
        outputs: { stolen: { value: "outside-state-value", type: "string" } },
        resources: [],
      }),
    );
    const lambdaLike = await startRuntime();
    try {
      // code/terraform.tfstate.d/<name>/terraform.tfstate, with <name> climbing out of the workspace
      const archive = zipOf({
        "main.tf": 'output "stolen" {\n  value = "from the code"\n}\n',
        ".terraform/environment": `../../../../../../../../../../..${outside}`,
      });

      const { result } = await lambdaLike.run({
        protocol: PROTOCOL_VERSION,
        command: "output",
        ...zipCode(archive),
      });

      expect(result.status).toBe("succeeded");
      expect(JSON.stringify(result)).not.toContain("outside-state-value");
    } finally {
      await lambdaLike.stop();
      for (const directory of [outside]) rmSync(directory, { recursive: true, force: true });
    }
  });

  it("rejects apply without a backend outside local mode, explaining the state would be lost", async () => {
    const lambdaLike = await startRuntime();
    try {
      const { result } = await lambdaLike.run({
        protocol: PROTOCOL_VERSION,
        command: "apply",
        code: { zip: encodeBase64(zipOf({ "main.tf": "" })) },
      });

      expect(result).toMatchObject({ status: "rejected", error: { type: "StateWouldBeLost" } });
      if (result.status === "rejected") expect(result.error.message).toMatch(/state would be .* lost/);
    } finally {
      await lambdaLike.stop();
    }
  });
});
