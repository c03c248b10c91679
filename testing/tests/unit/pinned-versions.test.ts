import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const repository = join(import.meta.dirname, "..", "..", "..");
const read = (path: string) => readFileSync(join(repository, path), "utf8");

/** The pins as scripts/lib.sh (the installer) states them. */
function pinnedInInstaller(name: string): string {
  const match = new RegExp(`^${name}=(\\S+)$`, "m").exec(read("scripts/lib.sh"));
  if (!match?.[1]) throw new Error(`scripts/lib.sh does not pin ${name}`);
  return match[1];
}

describe("the pinned tool versions", () => {
  it("name the same OpenTofu in the installer, the test toolchain and the local runner's cache lookup", () => {
    const opentofu = pinnedInInstaller("OPENTOFU_VERSION");

    expect(read("testing/src/tools.ts")).toContain(`const OPENTOFU_VERSION = "${opentofu}";`);
    expect(read("packages/client/src/local-runner/find-terraform.ts")).toContain(`"opentofu-${opentofu}"`);
  });

  it("name the same Lambda Runtime Interface Emulator in the installer and the test toolchain", () => {
    const emulator = pinnedInInstaller("RIE_VERSION");

    expect(read("testing/src/tools.ts")).toContain(`const RIE_VERSION = "${emulator}";`);
  });
});
