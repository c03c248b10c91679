import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  diagnosticsFromText,
  humanLineOf,
  MachineOutputCollector,
  outputsOf,
  parseMachineLine,
} from "../../src/machine-output.js";

const fixtures = join(import.meta.dirname, "..", "fixtures", "machine-output");
const recorded = join(import.meta.dirname, "..", "fixtures", "plan-shapes", "recorded");

/** Feeds every line of a recorded stream to a collector. */
function collectFrom(path: string): MachineOutputCollector {
  const collector = new MachineOutputCollector();
  for (const line of readFileSync(path, "utf8").split("\n")) collector.add(parseMachineLine(line));
  return collector;
}

/** Lines recorded from terraform 1.11 (`plan -json`, `apply -json`, `output -json`). */
function collect(file: string): MachineOutputCollector {
  return collectFrom(join(fixtures, file));
}

describe("MachineOutputCollector", () => {
  it("summarises a plan: counts and one entry per changed resource, no-ops left out", () => {
    const summary = collect("plan-changes.jsonl").planSummary(true);

    expect(summary).toMatchObject({ add: 1, change: 1, destroy: 1, import: 0, hasChanges: true, drift: [] });
    expect(summary?.resources.map((change) => [change.address, change.action]).sort()).toEqual([
      ["terraform_data.added", "create"],
      ["terraform_data.changed", "update"],
      ["terraform_data.gone", "delete"],
    ]);
    expect(summary?.resources[0]).toMatchObject({ mode: "managed", type: "terraform_data" });
  });

  it("records the resources whose apply completed and the applied counts", () => {
    const collector = collect("apply.jsonl");

    expect(collector.completed.sort()).toEqual([
      "terraform_data.changed",
      "terraform_data.gone",
      "terraform_data.kept",
    ]);
    expect(collector.planSummary()).toMatchObject({ add: 3, change: 0, destroy: 0, hasChanges: true });
  });

  it("reads outputs from apply's outputs message without a sensitive value", () => {
    const collector = collect("apply.jsonl");

    expect(collector.outputs.name).toEqual({ sensitive: false, type: "string", value: "before" });
    expect(collector.outputs.secret).toEqual({ sensitive: true, type: "string" });
  });

  it("reads diagnostics with summary, detail, range and snippet", () => {
    const [diagnostic] = collect("plan-error.jsonl").diagnostics;

    expect(diagnostic).toMatchObject({
      severity: "error",
      summary: "Reference to undeclared input variable",
      range: { filename: "main.tf", start: { line: 5 } },
    });
    expect(diagnostic?.detail).toContain('"missing"');
    expect(diagnostic?.snippet).toContain("var.missing");
  });

  it("has no plan summary when terraform never planned", () => {
    expect(collect("plan-error.jsonl").planSummary(false)).toBeNull();
  });

  it("reports drift from resource_drift messages", () => {
    const collector = new MachineOutputCollector();
    collector.add({
      type: "resource_drift",
      change: {
        resource: {
          addr: "module.net.terraform_data.a",
          module: "module.net",
          resource: "terraform_data.a",
          resource_type: "terraform_data",
          resource_name: "a",
        },
        action: "update",
      },
    });
    collector.add({
      type: "change_summary",
      changes: { add: 0, change: 0, import: 0, remove: 0, operation: "plan" },
    });

    expect(collector.planSummary(false)?.drift).toEqual([
      {
        address: "module.net.terraform_data.a",
        mode: "managed",
        type: "terraform_data",
        name: "a",
        module: "module.net",
        action: "update",
      },
    ]);
  });
});

describe("MachineOutputCollector on the less common plan shapes", () => {
  it("keeps both changes terraform plans for one address: the tainted object's replace and the deposed object's delete", () => {
    // Recorded: a create_before_destroy replacement whose provisioner failed left a tainted object and a deposed one.
    const summary = collectFrom(join(recorded, "plan-deposed.terraform.jsonl")).planSummary(true);

    expect(summary).toMatchObject({ add: 1, change: 0, destroy: 2 });
    expect(summary?.resources.map((change) => [change.address, change.action, change.reason]).sort()).toEqual(
      [
        ["terraform_data.cbd", "delete", undefined],
        ["terraform_data.cbd", "replace", "tainted"],
      ],
    );
  });
});

describe("outputsOf", () => {
  it("keeps plain values, drops sensitive ones and hands them back for redaction", () => {
    const { outputs, sensitiveValues } = outputsOf(
      JSON.parse(readFileSync(join(fixtures, "output.json"), "utf8")),
    );

    expect(outputs).toEqual({
      name: { sensitive: false, type: "string", value: "before" },
      secret: { sensitive: true, type: "string" },
    });
    expect(sensitiveValues).toEqual(["s3cr3t-output"]);
  });
});

describe("log lines", () => {
  it("renders a diagnostic message with its location and detail", () => {
    const line = readFileSync(join(fixtures, "plan-error.jsonl"), "utf8")
      .split("\n")
      .map(parseMachineLine)
      .find((message) => message?.type === "diagnostic");

    expect(humanLineOf(line ?? {})).toMatch(
      /^Error: Reference to undeclared input variable \(main\.tf line 5\)\nAn input/,
    );
  });

  it("ignores lines that are not JSON objects", () => {
    expect(parseMachineLine("Initializing the backend...")).toBeUndefined();
    expect(parseMachineLine("{not json")).toBeUndefined();
  });

  it("reads diagnostics from init's plain-text output", () => {
    const text =
      "Initializing the backend...\n\nError: Failed to get existing workspaces: NoSuchBucket\n\nThe bucket does not exist.\n";

    expect(diagnosticsFromText(text)).toEqual([
      {
        severity: "error",
        summary: "Failed to get existing workspaces: NoSuchBucket",
        detail: "The bucket does not exist.",
      },
    ]);
  });
});
