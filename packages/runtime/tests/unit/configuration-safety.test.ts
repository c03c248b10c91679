import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BACKEND_OVERRIDE_FILE, type BackendContext, setUpBackend } from "../../src/backend-setup.js";
import { cliConfigJsonToHcl, composeCliConfig } from "../../src/cli-configuration.js";
import { RunRefusedError } from "../../src/errors.js";

let root: string;
let context: BackendContext;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "tf-lambda-safety-"));
  context = {
    command: "plan",
    workspaceRoot: root,
    codeDirectory: root,
    homeDirectory: join(root, "home"),
    localStateDirectory: undefined,
  };
  writeFileSync(join(root, "main.tf"), 'resource "terraform_data" "a" {}\n');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

async function refusal(promise: Promise<unknown>): Promise<RunRefusedError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!RunRefusedError.isInstance(error)) throw new Error(`expected a refusal, got ${String(error)}`);
  return error;
}

describe("setUpBackend", () => {
  it("renders a typed block as an override file", async () => {
    await setUpBackend(
      { type: "block", backendType: "s3", config: { bucket: "state", key: "a.tfstate" } },
      context,
    );

    expect(readFileSync(join(root, BACKEND_OVERRIDE_FILE), "utf8")).toContain('backend "s3"');
  });

  it("refuses apply with no backend: the state would be lost", async () => {
    const error = await refusal(setUpBackend({ type: "none" }, { ...context, command: "apply" }));

    expect(error.type).toBe("StateWouldBeLost");
    expect(error.message).toMatch(/lost when the invocation ends/);
  });

  it("allows a plan with no backend", async () => {
    await expect(setUpBackend({ type: "none" }, context)).resolves.toBeUndefined();
  });

  it("points a run with no backend at the local state directory in local mode", async () => {
    await setUpBackend({ type: "none" }, { ...context, command: "apply", localStateDirectory: "/var/state" });

    expect(readFileSync(join(root, BACKEND_OVERRIDE_FILE), "utf8")).toContain(
      '"/var/state/terraform.tfstate"',
    );
  });

  it.each([
    [
      "a typed local block",
      { type: "block" as const, backendType: "local" as const, config: { path: "/etc/state.tfstate" } },
    ],
    [
      "a backend file",
      {
        type: "file" as const,
        hcl: 'terraform {\n  backend "local" {\n    workspace_dir = "../../outside"\n  }\n}\n',
      },
    ],
    ["a partial configuration", { type: "partial" as const, hcl: 'path = "/root/x.tfstate"\n' }],
  ])("refuses %s with a path outside the workspace", async (_what, backend) => {
    const error = await refusal(setUpBackend(backend, context));

    expect(error.type).toBe("UnsafeConfiguration");
  });

  it("writes a partial configuration for -backend-config", async () => {
    const file = await setUpBackend({ type: "partial", hcl: 'bucket = "b"\n' }, context);

    expect(file).toBe(join(root, "backend.tfbackend"));
  });
});

describe("composeCliConfig", () => {
  const base = {
    allowedRoots: ["/tmp/ws", "/tmp/cache"],
    workingDirectory: "/tmp/ws/code",
    homeDirectory: "/tmp/ws/home",
  };

  it("appends the request's configuration after the image's", () => {
    const text = composeCliConfig({
      ...base,
      base: 'plugin_cache_dir = "/opt/mirror"',
      request: "disable_checkpoint = true",
    });

    expect(text.indexOf("/opt/mirror")).toBeLessThan(text.indexOf("disable_checkpoint"));
  });

  it("converts a JSON request configuration to HCL when it follows a base", () => {
    const text = composeCliConfig({
      ...base,
      base: "disable_checkpoint = true",
      request: '{"credentials": {"app.terraform.io": {"token": "t"}}}',
    });

    expect(text).toContain('"credentials" = {\n  "app.terraform.io" = {\n    "token" = "t"\n  }\n}');
  });

  it("keeps a JSON configuration as it is when there is no base", () => {
    const json = '{"credentials": {"app.terraform.io": {"token": "t"}}}';

    expect(composeCliConfig({ ...base, base: undefined, request: json })).toBe(json);
  });

  it.each([
    ['plugin_cache_dir = "/root/.cache"'],
    ['provider_installation {\n  filesystem_mirror {\n    path = "/etc"\n  }\n}'],
    ['provider_installation {\n  dev_overrides {\n    "hashicorp/aws" = "../../../bin"\n  }\n}'],
  ])("refuses a request configuration naming a path outside the workspace: %s", (request) => {
    expect(() => composeCliConfig({ ...base, base: undefined, request })).toThrow(
      /outside the run's workspace/,
    );
  });

  it.each([
    ['plugin_cache_dir = "\\x2froot"'],
    ['plugin_cache_dir = "\\u002froot"'],
    ['plugin_cache_dir = "\\057root"'],
    ['provider_installation {\n  filesystem_mirror {\n    path = "\\U0000002fetc"\n  }\n}'],
  ])("refuses a path outside the workspace spelled with string escapes terraform decodes: %s", (request) => {
    expect(() => composeCliConfig({ ...base, base: undefined, request })).toThrow(
      /outside the run's workspace/,
    );
  });

  it("keeps a JSON key from writing its own lines into the HCL it becomes", () => {
    const request = JSON.stringify({ 'x = 1\nplugin_cache_dir = "/root"\ny': 1 });

    const text = composeCliConfig({ ...base, base: "disable_checkpoint = true", request });

    expect(text).not.toMatch(/^plugin_cache_dir/m);
  });

  it("allows the plugin cache and the base's own mirror", () => {
    const request =
      'plugin_cache_dir = "/tmp/cache"\nprovider_installation {\n  filesystem_mirror {\n    path = "/opt/mirror"\n  }\n}';

    expect(() => composeCliConfig({ ...base, base: 'x { path = "/opt/mirror" }', request })).not.toThrow();
  });

  it("returns nothing for text that is not a JSON object", () => {
    expect(cliConfigJsonToHcl("plugin_cache_dir = 1")).toBeUndefined();
  });
});
