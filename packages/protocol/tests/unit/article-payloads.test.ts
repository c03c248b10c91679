import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decodeBase64, normalizeRequest } from "../../src/index.js";

const directory = join(import.meta.dirname, "..", "fixtures", "article");
const load = (name: string): unknown => JSON.parse(readFileSync(join(directory, name), "utf8"));

describe("the article's payloads", () => {
  it("are all accepted by normalizeRequest", () => {
    const files = readdirSync(directory).filter((name) => name.endsWith(".json"));

    const accepted = files.map((name) => normalizeRequest(load(name)));

    expect(files.length).toBeGreaterThanOrEqual(12);
    expect(accepted.every((request) => request.format === "legacy")).toBe(true);
  });

  it("runs bundled code when only a command is given", () => {
    const request = normalizeRequest(load("01-bundled-plan.json"));

    expect(request.command).toBe("plan");
    expect(request.code).toEqual({ type: "bundled" });
    expect(request.backend).toEqual({ type: "none" });
  });

  it("decodes tf_code to the zip bytes and a backend with a terraform block to a backend file", () => {
    const payload = load("02-dynamic-code-apply.json") as { tf_code: string };

    const request = normalizeRequest(payload);

    expect(request.command).toBe("apply");
    expect(request.code.type).toBe("zip");
    const zip = request.code.type === "zip" ? request.code.zip : new Uint8Array();
    expect(Buffer.from(zip).subarray(0, 4).toString("hex")).toBe("504b0304");
    expect(Buffer.from(zip).equals(Buffer.from(decodeBase64(payload.tf_code)))).toBe(true);
    expect(request.backend.type).toBe("file");
    expect(request.backend.type === "file" && request.backend.hcl).toContain('bucket = "my-terraform-state"');
  });

  it("reads a backend without a terraform block as partial configuration", () => {
    const request = normalizeRequest(load("12-partial-backend-config.json"));

    expect(request.backend).toEqual({
      type: "partial",
      hcl: 'bucket = "my-terraform-state"\nkey    = "prod/infrastructure.tfstate"\nregion = "us-east-1"\n',
    });
  });

  it("decodes envs to the TF_VAR_ variables the article shows", () => {
    const request = normalizeRequest(load("03-envs.json"));

    expect(request.env).toEqual({ TF_VAR_region: "us-east-1", TF_VAR_environment: "prod" });
  });

  it("decodes the CI example's envs made with `echo ... | base64` (trailing newline)", () => {
    const request = normalizeRequest(load("10-ci-branch-envs.json"));

    expect(request.env).toEqual({ TF_VAR_branch: "feature-login" });
  });

  it("turns aws_* fields into credentials", () => {
    const request = normalizeRequest(load("04-multi-account-credentials.json"));

    expect(request.credentials).toEqual({
      accessKeyId: "AKIA...",
      secretAccessKey: "...",
      sessionToken: "...",
    });
  });

  it("keeps credentials and code together for the multi-account pattern", () => {
    const request = normalizeRequest(load("11-multi-account-with-code.json"));

    expect(request.credentials?.sessionToken).toBe("example-session-token");
    expect(request.code.type).toBe("zip");
  });

  it.each(["05-tfconfig-private-registry.json", "06-tfconfig-custom-cli-configuration.json"])(
    "decodes tfconfig (%s) to the CLI configuration text",
    (name) => {
      const request = normalizeRequest(load(name));

      expect(request.cliConfig).toContain('"app.terraform.io"');
      expect(JSON.parse(request.cliConfig ?? "")).toHaveProperty([
        "credentials",
        "app.terraform.io",
        "token",
      ]);
    },
  );

  it("reads debug: true", () => {
    const request = normalizeRequest(load("07-debug.json"));

    expect(request.debug).toBe(true);
    expect(request.command).toBe("apply");
  });

  it.each([
    ["08-destroy.json", "destroy"],
    ["09-eventbridge-nightly-apply.json", "apply"],
  ])("reads the command of %s", (name, command) => {
    expect(normalizeRequest(load(name)).command).toBe(command);
  });
});
