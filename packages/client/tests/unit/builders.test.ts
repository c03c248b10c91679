import { parse } from "@cdktf/hcl2json";
import { describe, expect, it } from "vitest";
import { cliConfig, hclBackend, renderBackend, s3Backend } from "../../src/index.js";

/** What hcl2json shows for HOSTILE: the template escapes `$${` and `%%{` that make terraform read it literally. */
const ESCAPED = (text: string) => text.replaceAll("${", () => "$${").replaceAll("%{", () => "%%{");
// biome-ignore lint/suspicious/noTemplateCurlyInString: the point is a literal `${` that must stay literal
const HOSTILE = 'a "quoted" \\ back\\slash ${var.x} %{ if true } new\nline';

describe("s3Backend", () => {
  it("maps the options to terraform's argument names", async () => {
    const backend = s3Backend({
      bucket: "acme-state",
      key: "prod/network.tfstate",
      region: "eu-west-1",
      encrypt: true,
      kmsKeyId: "alias/state",
      dynamodbTable: "locks",
      workspaceKeyPrefix: "envs",
      roleArn: "arn:aws:iam::111111111111:role/State",
      endpoints: { s3: "http://127.0.0.1:5000" },
    });

    expect(backend).toEqual({
      type: "s3",
      config: {
        bucket: "acme-state",
        key: "prod/network.tfstate",
        region: "eu-west-1",
        encrypt: true,
        kms_key_id: "alias/state",
        dynamodb_table: "locks",
        workspace_key_prefix: "envs",
        assume_role: { role_arn: "arn:aws:iam::111111111111:role/State" },
        endpoints: { s3: "http://127.0.0.1:5000" },
      },
    });
  });

  it("renders HCL that a real HCL parser reads back to the same values", async () => {
    const backend = s3Backend({
      bucket: "acme-state",
      key: HOSTILE,
      useLockfile: true,
      assumeRole: { roleArn: "arn:x", externalId: HOSTILE },
    });

    const parsed = (await parse("backend.tf", backend.toHcl())) as {
      terraform: { backend: { s3: Record<string, unknown>[] } }[];
    };

    const block = parsed.terraform[0]?.backend.s3[0];
    expect(block).toMatchObject({ bucket: "acme-state", use_lockfile: true });
    expect(block?.key).toBe(ESCAPED(HOSTILE));
    expect(block?.assume_role).toMatchObject({ external_id: ESCAPED(HOSTILE) });
  });

  it("keeps toHcl off the wire (it is not an enumerable property)", () => {
    const backend = s3Backend({ bucket: "b", key: "k" });

    expect(Object.keys(backend)).toEqual(["type", "config"]);
    expect(JSON.parse(JSON.stringify(backend))).toEqual({ type: "s3", config: { bucket: "b", key: "k" } });
  });
});

describe("raw HCL backends", () => {
  it("pass through unchanged", () => {
    const text = 'bucket = "acme"\nkey = "x"\n';

    expect([renderBackend(text), renderBackend(hclBackend(text))]).toEqual([text, text]);
  });
});

describe("cliConfig", () => {
  it("renders credentials, provider installation and the plugin cache as valid HCL", async () => {
    const text = cliConfig({
      credentials: { "registry.acme.dev": HOSTILE },
      providerInstallation: {
        filesystemMirror: { path: "/opt/providers", include: ["registry.acme.dev/*/*"] },
        networkMirror: { url: "https://mirror.acme.dev/", exclude: ["hashicorp/*"] },
        direct: { exclude: ["registry.acme.dev/*/*"] },
      },
      pluginCacheDir: "/tmp/plugins",
    });

    const parsed = (await parse(".terraformrc", text)) as Record<string, unknown>;

    expect(parsed.plugin_cache_dir).toBe("/tmp/plugins");
    expect(parsed.credentials).toEqual({
      "registry.acme.dev": [{ token: ESCAPED(HOSTILE) }],
    });
    expect(parsed.provider_installation).toEqual([
      {
        filesystem_mirror: [{ path: "/opt/providers", include: ["registry.acme.dev/*/*"] }],
        network_mirror: [{ url: "https://mirror.acme.dev/", exclude: ["hashicorp/*"] }],
        direct: [{ exclude: ["registry.acme.dev/*/*"] }],
      },
    ]);
  });

  it("renders direct installation for every provider as an empty block", async () => {
    const parsed = (await parse(
      ".terraformrc",
      cliConfig({ providerInstallation: { direct: true } }),
    )) as Record<string, unknown>;

    expect(parsed.provider_installation).toEqual([{ direct: [{}] }]);
  });
});
