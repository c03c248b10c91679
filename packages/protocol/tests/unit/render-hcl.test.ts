import { parse } from "@cdktf/hcl2json";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { renderBackendConfig, renderBackendFile, renderHclBlock, renderHclString } from "../../src/index.js";

/** hcl2json prints strings in HCL's JSON template form, where a literal `${` / `%{` is written `$${` / `%%{`. */
const literal = (template: string) => template.replaceAll("$${", "${").replaceAll("%%{", "%{");

describe("renderHclString", () => {
  it("escapes quotes, backslashes, newlines and template sequences", () => {
    expect(renderHclString('a "b" \\ ${c} %{d}\n')).toBe('"a \\"b\\" \\\\ $${c} %%{d}\\n"');
  });

  it("round-trips any string through a real HCL parser", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: "binary", maxLength: 60 }), async (value) => {
        const parsed = (await parse("test.tf", `value = ${renderHclString(value)}\n`)) as { value: string };
        // HCL normalizes string literals to Unicode NFC, so that is what terraform sees.
        expect(literal(parsed.value)).toBe(value.normalize("NFC"));
      }),
      { numRuns: 150 },
    );
  });
});

describe("renderBackendFile", () => {
  it("renders a backend block a real HCL parser reads back with the same values", async () => {
    const config = {
      bucket: "state-${prod}",
      key: 'team "a"/terraform.tfstate',
      region: "eu-west-1",
      encrypt: true,
      max_retries: 5,
      assume_role: { role_arn: "arn:aws:iam::111111111111:role/Terraform", "session name": "x\\y" },
      allowed_account_ids: ["111111111111", "222222222222"],
    };

    const parsed = (await parse("backend.tf", renderBackendFile("s3", config))) as {
      terraform: Array<{ backend: { s3: Array<Record<string, unknown>> } }>;
    };

    const block = parsed.terraform[0]?.backend.s3[0] ?? {};
    expect(literal(block.bucket as string)).toBe("state-${prod}");
    expect(block.key).toBe('team "a"/terraform.tfstate');
    expect(block.encrypt).toBe(true);
    expect(block.max_retries).toBe(5);
    expect(block.assume_role).toEqual({
      role_arn: "arn:aws:iam::111111111111:role/Terraform",
      "session name": "x\\y",
    });
    expect(block.allowed_account_ids).toEqual(["111111111111", "222222222222"]);
  });

  it("renders partial configuration as attribute lines", async () => {
    const text = renderBackendConfig({ bucket: "b", key: "k", dynamodb_table: undefined });

    expect(text).toBe('bucket = "b"\nkey = "k"\n');
    expect(await parse("x.tfbackend", text)).toEqual({ bucket: "b", key: "k" });
  });

  it("refuses attribute names that are not identifiers", () => {
    expect(() => renderBackendConfig({ "bad name": "x" })).toThrow(/not a valid HCL attribute name/);
  });
});

describe("renderHclBlock", () => {
  it("renders labelled nested blocks as terraform's CLI configuration uses them", async () => {
    const text = renderHclBlock({
      type: "credentials",
      labels: ["app.terraform.io"],
      attributes: { token: "t0k${n}" },
    });

    const parsed = (await parse("cli.tfrc", text)) as {
      credentials: Record<string, Array<{ token: string }>>;
    };
    expect(literal(parsed.credentials["app.terraform.io"]?.[0]?.token ?? "")).toBe("t0k${n}");
  });
});
