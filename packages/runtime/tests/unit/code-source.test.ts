import { lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { materializeCode } from "../../src/code-source.js";

describe("materializeCode from the bundled directory", () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "tf-lambda-code-"));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("copies symlinked files and directories as their content, so writes in the workspace cannot reach their targets", async () => {
    const outside = join(root, "outside");
    const bundled = join(root, "bundled");
    mkdirSync(join(outside, "shared-module"), { recursive: true });
    writeFileSync(join(outside, "shared.tfvars"), 'region = "eu-west-1"\n');
    writeFileSync(join(outside, "shared-module", "main.tf"), "# shared\n");
    mkdirSync(bundled);
    writeFileSync(join(bundled, "main.tf"), "# root\n");
    symlinkSync(join(outside, "shared.tfvars"), join(bundled, "terraform.tfvars"));
    symlinkSync(join(outside, "shared-module"), join(bundled, "module"));
    const code = join(root, "workspace", "code");

    await materializeCode({ type: "bundled" }, code, { bundledCodeDirectory: bundled, env: {} });
    writeFileSync(join(code, "terraform.tfvars"), 'region = "from the request"\n');
    writeFileSync(join(code, "module", "main.tf"), "# overwritten\n");

    expect(lstatSync(join(code, "terraform.tfvars")).isSymbolicLink()).toBe(false);
    expect(lstatSync(join(code, "module")).isSymbolicLink()).toBe(false);
    expect(readFileSync(join(outside, "shared.tfvars"), "utf8")).toBe('region = "eu-west-1"\n');
    expect(readFileSync(join(outside, "shared-module", "main.tf"), "utf8")).toBe("# shared\n");
  });
});
