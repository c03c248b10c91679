import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { encodeBase64, PROTOCOL_VERSION, RUN_ERROR_TYPES } from "@tf-lambda/protocol";
import { toolOrSkip } from "@tf-lambda/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RuntimeUnderTest, startRuntime } from "../support/runtime-under-emulator.js";
import { buildZip, type ZipEntrySpec, zipOf } from "../support/zip-builder.js";
import { listTree, pathsNamed } from "./fault-harness.js";

const ready = toolOrSkip("terraform") && toolOrSkip("emulator");

/** Every path a hostile request names carries this marker, so a search finds anything it managed to write. */
const MARKER = `tf-lambda-escape-${randomBytes(4).toString("hex")}`;
const OUTSIDE = `${tmpdir()}/${MARKER}`;

const MAIN_TF = 'resource "terraform_data" "one" {\n  input = "x"\n}\n';
const good = { zip: encodeBase64(zipOf({ "main.tf": MAIN_TF })) };
const v1 = (fields: Record<string, unknown>) => ({
  protocol: PROTOCOL_VERSION,
  command: "plan",
  code: good,
  ...fields,
});
const zipCode = (entries: ZipEntrySpec[]) => ({ zip: encodeBase64(buildZip(entries)) });
const withMain = (entries: ZipEntrySpec[]) =>
  v1({ code: zipCode([{ name: "main.tf", data: MAIN_TF }, ...entries]) });
const b64 = (text: string) => Buffer.from(text).toString("base64");
const codeWithBackend = (backend: string) =>
  v1({ code: { zip: encodeBase64(zipOf({ "main.tf": MAIN_TF, "backend.tf": backend })) } });

/** A zip whose single entry claims `declaredSize` bytes while holding a few. */
function lyingZip(declaredSize: number): string {
  const zip = buildZip([{ name: "big.bin", data: "tiny", declaredSize }]);
  return encodeBase64(zip);
}

interface HostileCase {
  name: string;
  payload: unknown;
  /** What the error message must say. */
  message: RegExp;
  type?: string;
}

const archive = RUN_ERROR_TYPES.unsafeArchive;
const invalid = RUN_ERROR_TYPES.invalidRequest;
const unsafeConfig = RUN_ERROR_TYPES.unsafeConfiguration;

const cases: HostileCase[] = [
  // zip-slip and paths
  {
    name: "zip-slip with a leading ..",
    payload: withMain([{ name: `../${MARKER}.tf`, data: "x" }]),
    message: /'\.\.' segment/,
    type: archive,
  },
  {
    name: "zip-slip deep enough to reach /tmp",
    payload: withMain([{ name: `${"../".repeat(8)}tmp/${MARKER}`, data: "x" }]),
    message: /'\.\.' segment/,
    type: archive,
  },
  {
    name: "zip-slip hidden mid-path",
    payload: withMain([{ name: `modules/../../../${MARKER}`, data: "x" }]),
    message: /'\.\.' segment/,
    type: archive,
  },
  {
    name: "an absolute entry path",
    payload: withMain([{ name: `${OUTSIDE}-absolute.tf`, data: "x" }]),
    message: /absolute path/,
    type: archive,
  },
  {
    name: "a drive-letter entry path",
    payload: withMain([{ name: `C:/${MARKER}.tf`, data: "x" }]),
    message: /drive letter/,
    type: archive,
  },
  {
    name: "a backslash traversal",
    payload: withMain([{ name: `..\\..\\${MARKER}.tf`, data: "x" }]),
    message: /backslash/,
    type: archive,
  },
  {
    name: "a symlink to /etc/passwd",
    payload: withMain([{ name: `${MARKER}-link`, data: "/etc/passwd", mode: 0o120777 }]),
    message: /symbolic link/,
    type: archive,
  },
  {
    name: "a symlink to a directory outside, then a file through it",
    payload: withMain([
      { name: "escape", data: tmpdir(), mode: 0o120777 },
      { name: `escape/${MARKER}`, data: "x" },
    ]),
    message: /symbolic link/,
    type: archive,
  },
  {
    name: "a character device entry",
    payload: withMain([{ name: `${MARKER}-null`, data: "", mode: 0o020666 }]),
    message: /device or special file/,
    type: archive,
  },
  {
    name: "a block device entry",
    payload: withMain([{ name: `${MARKER}-sda`, data: "", mode: 0o060660 }]),
    message: /device or special file/,
    type: archive,
  },
  {
    name: "a FIFO entry",
    payload: withMain([{ name: `${MARKER}-fifo`, data: "", mode: 0o010644 }]),
    message: /device or special file/,
    type: archive,
  },
  {
    name: "a path nested 65 directories deep",
    payload: withMain([{ name: `${"d/".repeat(65)}${MARKER}.tf`, data: "x" }]),
    message: /nested deeper than 64/,
    type: archive,
  },
  {
    name: "a path longer than 1024 bytes",
    payload: withMain([{ name: `${"a".repeat(1100)}/${MARKER}`, data: "x" }]),
    message: /longer than 1024 bytes/,
    type: archive,
  },
  {
    name: "a name that is not UTF-8",
    payload: withMain([{ name: Buffer.from([0x66, 0xff, 0xfe, 0x2e, 0x74, 0x66]), data: "x", utf8: false }]),
    message: /not valid UTF-8/,
    type: archive,
  },
  {
    name: "a name flagged UTF-8 holding invalid bytes",
    payload: withMain([{ name: Buffer.from([0xc3, 0x28, 0x2e, 0x74, 0x66]), data: "x", utf8: true }]),
    message: /not valid UTF-8/,
    type: archive,
  },
  {
    name: "a control character in a name",
    payload: withMain([{ name: `${MARKER}\n.tf`, data: "x" }]),
    message: /control character/,
    type: archive,
  },
  {
    name: "an entry with an empty name",
    payload: withMain([{ name: "", data: "x" }]),
    message: /empty name/,
    type: archive,
  },
  {
    name: "the same entry twice",
    payload: withMain([{ name: "main.tf", data: "# again" }]),
    message: /appears twice/,
    type: archive,
  },
  // sizes and bombs
  {
    name: "more entries than the archive limit",
    payload: v1({
      code: zipCode(
        Array.from({ length: 20_001 }, (_, index) => ({ name: `f${index}`, data: "", store: true })),
      ),
    }),
    message: /20001 entries; at most 20000/,
    type: archive,
  },
  {
    name: "an entry that declares 300 MB",
    payload: v1({ code: { zip: lyingZip(300 * 1024 * 1024) } }),
    message: /is 314572800 bytes; at most/,
    type: archive,
  },
  {
    name: "a zip bomb (16 MB of zeros in a few KB)",
    payload: v1({
      code: zipCode([
        { name: "main.tf", data: MAIN_TF },
        { name: "bomb.bin", data: Buffer.alloc(16 * 1024 * 1024) },
      ]),
    }),
    message: /zip bomb/,
    type: archive,
  },
  {
    name: "an entry larger than it declares",
    payload: v1({ code: zipCode([{ name: "main.tf", data: MAIN_TF.repeat(50), declaredSize: 10 }]) }),
    message: /code archive was refused/,
    type: archive,
  },
  {
    name: "bytes that are not a zip",
    payload: v1({ code: { zip: encodeBase64(randomBytes(4096)) } }),
    message: /not a valid zip archive/,
    type: archive,
  },
  {
    name: "a truncated zip",
    payload: v1({
      code: { zip: encodeBase64(buildZip([{ name: "main.tf", data: MAIN_TF }]).subarray(0, 60)) },
    }),
    message: /not a valid zip archive/,
    type: archive,
  },
  {
    name: "a sha256 that does not match the zip",
    payload: v1({ code: { ...good, sha256: "0".repeat(64) } }),
    message: /sha256 is [0-9a-f]{64}, the request says 0{64}/,
    type: archive,
  },
  // commands and flag injection
  { name: "an unknown command", payload: v1({ command: "console" }), message: /command/, type: invalid },
  {
    name: "a command with an injected flag",
    payload: v1({ command: "plan -destroy" }),
    message: /command/,
    type: invalid,
  },
  {
    name: "a shell-injected legacy command",
    payload: { command: `apply; touch ${OUTSIDE}`, tf_code: good.zip },
    message: /command/,
    type: invalid,
  },
  {
    name: "a target that is a flag",
    payload: v1({ options: { targets: ["-destroy"] } }),
    message: /targets.*not a resource address/s,
    type: invalid,
  },
  {
    name: "a target smuggling -state",
    payload: v1({ options: { targets: [`-state=${OUTSIDE}`] } }),
    message: /not a resource address/,
    type: invalid,
  },
  {
    name: "a replace address with a newline",
    payload: v1({ options: { replace: ["terraform_data.one\n-destroy"] } }),
    message: /not a resource address/,
    type: invalid,
  },
  {
    name: "a workspace that is a flag",
    payload: v1({ workspace: "-chdir=/" }),
    message: /workspace/,
    type: invalid,
  },
  {
    name: "a workspace that walks up",
    payload: v1({ workspace: `../../${MARKER}` }),
    message: /workspace/,
    type: invalid,
  },
  {
    name: "a var name that is a flag",
    payload: v1({ vars: { "-var-file": "/etc/passwd" } }),
    message: /vars/,
    type: invalid,
  },
  {
    name: "a lock timeout with a smuggled flag",
    payload: v1({ options: { lockTimeout: "1s -lock=false" } }),
    message: /duration/,
    type: invalid,
  },
  { name: "an unknown option", payload: v1({ options: { chdir: "/" } }), message: /options/, type: invalid },
  // env
  {
    name: "env PATH",
    payload: v1({ env: { PATH: OUTSIDE } }),
    message: /'PATH' may not be set/,
    type: invalid,
  },
  {
    name: "env LD_PRELOAD",
    payload: v1({ env: { LD_PRELOAD: `${OUTSIDE}.so` } }),
    message: /'LD_PRELOAD' may not be set/,
    type: invalid,
  },
  {
    name: "env TF_CLI_ARGS_plan",
    payload: v1({ env: { TF_CLI_ARGS_plan: "-destroy" } }),
    message: /'TF_CLI_ARGS_plan' may not be set/,
    type: invalid,
  },
  {
    name: "env TF_DATA_DIR",
    payload: v1({ env: { TF_DATA_DIR: OUTSIDE } }),
    message: /'TF_DATA_DIR' may not be set/,
    type: invalid,
  },
  {
    name: "env NODE_OPTIONS",
    payload: v1({ env: { NODE_OPTIONS: "--require /tmp/x.js" } }),
    message: /'NODE_OPTIONS' may not be set/,
    type: invalid,
  },
  {
    name: "env credentials by name",
    payload: v1({ env: { aws_secret_access_key: "x" } }),
    message: /carries credentials/,
    type: invalid,
  },
  {
    name: "env name that is not an identifier",
    payload: v1({ env: { "A=B": "1" } }),
    message: /not a valid environment variable name/,
    type: invalid,
  },
  {
    name: "env value with a NUL",
    payload: v1({ env: { SAFE: "a\0b" } }),
    message: /NUL character/,
    type: invalid,
  },
  {
    name: "legacy envs setting LD_PRELOAD",
    payload: { command: "plan", tf_code: good.zip, envs: b64(`LD_PRELOAD=${OUTSIDE}.so\n`) },
    message: /LD_PRELOAD/,
    type: invalid,
  },
  // encodings, JSON and types
  {
    name: "malformed base64 code",
    payload: v1({ code: { zip: "!!!not base64!!!" } }),
    message: /base64/i,
    type: invalid,
  },
  {
    name: "malformed base64 legacy tf_code",
    payload: { command: "plan", tf_code: "%%%" },
    message: /base64/i,
    type: invalid,
  },
  {
    name: "malformed JSON",
    payload: '{"protocol": "tf-lambda/v1", "command": ',
    message: /not valid JSON/,
    type: invalid,
  },
  {
    name: "a JSON array body",
    payload: "[1,2,3]",
    message: /must be a JSON object, got an array/,
    type: invalid,
  },
  { name: "a number as command", payload: v1({ command: 42 }), message: /command/, type: invalid },
  { name: "a string as vars", payload: v1({ vars: "a=b" }), message: /vars/, type: invalid },
  {
    name: "a string as refresh",
    payload: v1({ options: { refresh: "yes" } }),
    message: /refresh/,
    type: invalid,
  },
  { name: "an unknown top-level field", payload: v1({ shell: "/bin/sh" }), message: /shell/, type: invalid },
  {
    name: "a CLI configuration of 300 KB",
    payload: v1({ cliConfig: `# ${"x".repeat(300 * 1024)}` }),
    message: /cliConfig/,
    type: invalid,
  },
  {
    name: "an env value of 40 KB",
    payload: v1({ env: { BIG: "x".repeat(40 * 1024) } }),
    message: /BIG|env/,
    type: invalid,
  },
  {
    name: "10,000 targets",
    payload: v1({
      options: { targets: Array.from({ length: 10_000 }, (_, index) => `terraform_data.r${index}`) },
    }),
    message: /targets/,
    type: invalid,
  },
  // backend and CLI configuration paths
  {
    name: "a local backend block with a path outside",
    payload: v1({ backend: { type: "local", config: { path: `${OUTSIDE}/terraform.tfstate` } } }),
    message: /backend configuration names the path/,
    type: unsafeConfig,
  },
  {
    name: "a local backend workspace_dir walking up",
    payload: v1({ backend: { type: "local", config: { workspace_dir: `../../../${MARKER}` } } }),
    message: /backend configuration names the path/,
    type: unsafeConfig,
  },
  {
    name: "a raw backend file with a path outside",
    payload: v1({
      backend: { hcl: `terraform {\n  backend "local" {\n    path = "${OUTSIDE}/s.tfstate"\n  }\n}\n` },
    }),
    message: /backend configuration names the path/,
    type: unsafeConfig,
  },
  {
    name: "a partial backend config with a path outside",
    payload: v1({ backend: { hcl: `path = "${OUTSIDE}/p.tfstate"\n` } }),
    message: /backend configuration names the path/,
    type: unsafeConfig,
  },
  {
    name: "a legacy backend with a path outside",
    payload: { command: "plan", tf_code: good.zip, backend: b64(`path = "${OUTSIDE}/legacy.tfstate"\n`) },
    message: /backend configuration names the path/,
    type: unsafeConfig,
  },
  {
    name: "a backend in the code with a path outside",
    payload: codeWithBackend(
      `terraform {\n  backend "local" {\n    path = "${OUTSIDE}/code.tfstate"\n  }\n}\n`,
    ),
    message: /local backend keeps state at .*outside the run's workspace/,
    type: unsafeConfig,
  },
  {
    name: "apply with no backend outside local mode",
    payload: v1({ command: "apply" }),
    message: /state would be written inside the run's ephemeral workspace/,
    type: RUN_ERROR_TYPES.stateWouldBeLost,
  },
  {
    name: "a CLI config plugin_cache_dir outside",
    payload: v1({ cliConfig: `plugin_cache_dir = "${OUTSIDE}/cache"\n` }),
    message: /CLI configuration names the path/,
    type: unsafeConfig,
  },
  {
    name: "a CLI config filesystem mirror outside",
    payload: v1({
      cliConfig: `provider_installation {\n  filesystem_mirror {\n    path = "${OUTSIDE}/mirror"\n  }\n}\n`,
    }),
    message: /CLI configuration names the path/,
    type: unsafeConfig,
  },
  {
    name: "a CLI config dev_overrides path under ~/..",
    payload: v1({
      cliConfig: `provider_installation {\n  dev_overrides {\n    "example/x" = "~/../../${MARKER}"\n  }\n  direct {}\n}\n`,
    }),
    message: /CLI configuration names the path/,
    type: unsafeConfig,
  },
  {
    name: "a legacy JSON tfconfig plugin_cache_dir outside",
    payload: {
      command: "plan",
      tf_code: good.zip,
      tfconfig: b64(JSON.stringify({ plugin_cache_dir: `${OUTSIDE}/json-cache` })),
    },
    message: /CLI configuration names the path/,
    type: unsafeConfig,
  },
];

describe.runIf(ready)("hostile requests against the bundled runtime under the emulator", () => {
  let runtime: RuntimeUnderTest;

  beforeAll(async () => {
    runtime = await startRuntime();
  });
  afterAll(async () => {
    await runtime?.stop();
  });

  it(`covers at least 40 hostile cases (${cases.length})`, () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  it.each(cases)("rejects $name, writes nothing outside, then serves a normal request", async (hostile) => {
    const { result, errorType } = await runtime.run(hostile.payload);
    const after = await runtime.run(v1({ command: "validate" }));

    expect(result.status, JSON.stringify("error" in result ? result.error : result.log)).toBe("rejected");
    expect(errorType).toBe("TfLambda.Rejected");
    if (result.status === "rejected") {
      if (hostile.type) expect(result.error.type).toBe(hostile.type);
      const said = `${result.error.message} ${JSON.stringify(result.error.issues ?? [])}`;
      expect(said).toMatch(hostile.message);
    }
    expect(pathsNamed(MARKER, [tmpdir(), runtime.root], 3)).toEqual([]);
    expect(pathsNamed(MARKER, ["/"], 1)).toEqual([]);
    expect(listTree(runtime.workRoot)).toEqual([]);
    expect(listTree(runtime.root).filter((path) => !path.startsWith("plugin-cache"))).toEqual(["work"]);
    expect(after.result.status).toBe("succeeded");
  });
});
