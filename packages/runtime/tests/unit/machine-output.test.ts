import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  diagnosticsFromText,
  humanLineOf,
  MachineOutputCollector,
  outputsOf,
  parseMachineLine,
  validateDiagnosticsOf,
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
  it.each([
    ["terraform 1.11", "plan-changed.terraform.jsonl"],
    ["OpenTofu 1.6", "plan-changed.tofu.jsonl"],
  ])(
    "reads %s's replace, move, update, delete, module and deferred read changes with their details",
    (_binary, file) => {
      const summary = collectFrom(join(recorded, file)).planSummary(true);

      expect(summary).toMatchObject({
        add: 5,
        change: 1,
        destroy: 4,
        import: 0,
        hasChanges: true,
        drift: [],
      });
      const byAddress = Object.fromEntries(
        summary?.resources.map((change) => [change.address, change]) ?? [],
      );
      expect(Object.keys(byAddress).sort()).toEqual([
        "data.terraform_remote_state.shipped",
        "module.child.terraform_data.counted[1]",
        'module.each["x"].terraform_data.counted[0]',
        "terraform_data.forgotten",
        "terraform_data.gone",
        "terraform_data.new_name",
        "terraform_data.pointer",
        "terraform_data.replaced",
        "terraform_data.triggered",
        "terraform_data.updated",
      ]);
      expect(byAddress["terraform_data.replaced"]).toMatchObject({ action: "replace", reason: "requested" });
      expect(byAddress["terraform_data.triggered"]).toMatchObject({
        action: "replace",
        reason: "cannot_update",
      });
      expect(byAddress["terraform_data.updated"]).toEqual({
        address: "terraform_data.updated",
        mode: "managed",
        type: "terraform_data",
        name: "updated",
        action: "update",
      });
      expect(byAddress["terraform_data.gone"]).toMatchObject({
        action: "delete",
        reason: "delete_because_no_resource_config",
      });
      expect(byAddress["terraform_data.new_name"]).toMatchObject({
        action: "move",
        previousAddress: "terraform_data.old_name",
      });
      expect(byAddress['module.each["x"].terraform_data.counted[0]']).toMatchObject({
        module: 'module.each["x"]',
        type: "terraform_data",
        name: "counted",
        action: "create",
      });
      expect(byAddress["data.terraform_remote_state.shipped"]).toMatchObject({
        mode: "data",
        type: "terraform_remote_state",
        name: "shipped",
        action: "read",
        reason: "read_because_config_unknown",
      });
    },
  );

  it("counts a planned import and keeps the import and the move among the resources", () => {
    const summary = collectFrom(join(recorded, "plan-import-and-move.terraform.jsonl")).planSummary(true);

    expect(summary).toMatchObject({ add: 0, change: 0, destroy: 0, import: 1, hasChanges: true });
    expect(
      summary?.resources.map((change) => [change.address, change.action, change.previousAddress]),
    ).toEqual(
      expect.arrayContaining([
        ["terraform_data.imported", "import", undefined],
        ["terraform_data.new_name", "move", "terraform_data.old_name"],
      ]),
    );
  });

  it("takes an apply's counts from its final summary, imports included, and sees changes without an exit code", () => {
    const collector = collectFrom(join(recorded, "apply-import-and-move.terraform.jsonl"));

    expect(collector.planSummary()).toMatchObject({
      add: 0,
      change: 0,
      destroy: 0,
      import: 1,
      hasChanges: true,
    });
  });

  it("reports a removed block's object as forget, which terraform leaves out of its counts", () => {
    const summary = collectFrom(join(recorded, "plan-removed.terraform.jsonl")).planSummary(true);

    expect(summary).toMatchObject({ add: 0, change: 0, destroy: 0, import: 0, hasChanges: true });
    expect(summary?.resources).toEqual([
      {
        address: "terraform_data.forgotten",
        mode: "managed",
        type: "terraform_data",
        name: "forgotten",
        action: "forget",
        reason: "delete_because_no_resource_config",
      },
    ]);
  });

  it("sees changes in an apply that only forgets or moves, from the listed resources", () => {
    const collector = collectFrom(join(recorded, "plan-removed.terraform.jsonl"));

    expect(collector.planSummary()?.hasChanges).toBe(true);
  });

  it("reports a moved block met by a refresh-only plan as drift with the previous address", () => {
    const summary = collectFrom(join(recorded, "plan-refresh-only-move.terraform.jsonl")).planSummary(false);

    expect(summary?.resources).toEqual([]);
    expect(summary?.drift).toEqual([
      {
        address: "terraform_data.new_name",
        previousAddress: "terraform_data.old_name",
        mode: "managed",
        type: "terraform_data",
        name: "new_name",
        action: "move",
      },
    ]);
  });

  it("reports update and delete drift of keyed instances, in a module or not, apart from the planned changes", () => {
    const summary = collectFrom(join(recorded, "plan-drift.handwritten.jsonl")).planSummary(true);

    expect(summary?.drift).toEqual([
      {
        address: 'module.net["b"].terraform_data.keyed["x"]',
        mode: "managed",
        type: "terraform_data",
        name: "keyed",
        module: 'module.net["b"]',
        action: "update",
      },
      {
        address: "terraform_data.counted[1]",
        mode: "managed",
        type: "terraform_data",
        name: "counted",
        action: "delete",
      },
    ]);
    expect(summary?.resources.map((change) => [change.address, change.action])).toEqual([
      ["terraform_data.counted[1]", "create"],
      ["terraform_data.adopted", "import"],
      ["terraform_data.reshaped", "update"],
    ]);
  });

  it("counts imports from the change summary, also those that come with an update", () => {
    const summary = collectFrom(join(recorded, "plan-drift.handwritten.jsonl")).planSummary(true);

    expect(summary).toMatchObject({ add: 1, change: 1, destroy: 0, import: 2 });
  });

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

describe("validateDiagnosticsOf", () => {
  it("reads every diagnostic of validate's single JSON document", () => {
    const diagnostics = validateDiagnosticsOf(
      readFileSync(join(recorded, "validate-invalid.terraform.json"), "utf8"),
    );

    expect(diagnostics?.map((diagnostic) => [diagnostic.severity, diagnostic.summary])).toEqual([
      ["error", "Unsupported argument"],
      ["error", "Reference to undeclared input variable"],
    ]);
    expect(diagnostics?.[0]).toMatchObject({
      range: { filename: "main.tf", start: { line: 5, column: 3, byte: 87 }, end: { line: 5, column: 9 } },
      snippet: '  inputs = "typo"',
    });
  });

  it("has no diagnostics for a valid configuration", () => {
    expect(
      validateDiagnosticsOf(readFileSync(join(recorded, "validate-valid.terraform.json"), "utf8")),
    ).toEqual([]);
  });

  it("is undefined for text that is not validate's document", () => {
    expect(validateDiagnosticsOf("Error: Failed to load plugin schemas")).toBeUndefined();
    expect(validateDiagnosticsOf("null")).toBeUndefined();
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

  it("reads init's configuration errors once each, with a summary terraform wrapped over two lines", () => {
    // Recorded: terraform 1.11 init (stdout then stderr) of a moved block without 'to'; it prints the error twice.
    const text = readFileSync(join(recorded, "init-invalid-moved.terraform.txt"), "utf8");

    const diagnostics = diagnosticsFromText(text);

    expect(diagnostics.map((diagnostic) => diagnostic.summary)).toEqual([
      "Terraform encountered problems during initialisation, including problems with the configuration, described below.",
      "Missing required argument",
    ]);
    expect(diagnostics[1]?.detail).toContain('The argument "to" is required');
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
