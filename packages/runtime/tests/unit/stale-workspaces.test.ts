import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { removeStaleWorkspaces, workspacePrefix } from "../../src/stale-workspaces.js";

describe("removeStaleWorkspaces", () => {
  let workRoot: string;
  beforeEach(() => {
    workRoot = mkdtempSync(join(tmpdir(), "tf-lambda-stale-"));
  });
  afterEach(() => rmSync(workRoot, { recursive: true, force: true }));

  it("removes the workspaces of dead runtimes and of this pid's predecessor, keeping live runtimes' and others", () => {
    const deadPid = spawnSync(process.execPath, ["-e", ""]).pid as number;
    const livePid = process.ppid;
    const ownPid = 424242;
    for (const name of [
      `${workspacePrefix(deadPid)}a1`,
      `${workspacePrefix(ownPid)}b2`,
      `${workspacePrefix(livePid)}c3`,
      "unrelated",
    ]) {
      mkdirSync(join(workRoot, name));
      writeFileSync(join(workRoot, name, "cli-config.tfrc"), 'credentials "x" { token = "t" }');
    }

    const removed = removeStaleWorkspaces(workRoot, ownPid);

    expect(removed.sort()).toEqual([`${workspacePrefix(deadPid)}a1`, `${workspacePrefix(ownPid)}b2`].sort());
    expect(readdirSync(workRoot).sort()).toEqual([`${workspacePrefix(livePid)}c3`, "unrelated"].sort());
  });

  it("does nothing when the work root does not exist yet", () => {
    expect(removeStaleWorkspaces(join(workRoot, "missing"))).toEqual([]);
  });
});
