import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import {
  encodeBase64,
  type PlanSummary,
  PROTOCOL_VERSION,
  type ResourceChange,
  type RunResult,
} from "@tf-lambda/protocol";
import { runTerraform, toolOrSkip } from "@tf-lambda/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RuntimeUnderTest, startRuntime } from "../support/runtime-under-emulator.js";
import { zipOf } from "../support/zip-builder.js";

/*
 * The runtime's plan summary for the less common plan shapes, compared with what `show -json` of a saved plan of
 * the same state says. Each scenario writes one state into the runtime's local state directory and into a
 * reference directory, plans through the emulator, and plans directly with the same binary.
 */

const binary = toolOrSkip("terraform");
const ready = binary && toolOrSkip("emulator");

/** `removed` blocks arrived in terraform 1.7 and OpenTofu 1.7. */
function removedBlocksSupported(): boolean {
  if (!binary) return false;
  const { terraform_version: version } = JSON.parse(
    execFileSync(binary, ["version", "-json"], { env: { PATH: process.env.PATH ?? "" } }).toString(),
  ) as { terraform_version: string };
  const [major = 0, minor = 0] = version.split(".").map(Number);
  return major > 1 || (major === 1 && minor >= 7);
}

const supportsRemovedBlocks = removedBlocksSupported();

const fixtures = join(import.meta.dirname, "..", "fixtures", "plan-shapes");
const fixture = (name: string) => readFileSync(join(fixtures, name), "utf8");

const BASE = fixture("base.tf");
const MOVED_ONLY = `${BASE.replace('"old_name"', '"new_name"')}
moved {
  from = terraform_data.old_name
  to   = terraform_data.new_name
}
`;
const FORGOTTEN = /resource "terraform_data" "forgotten" \{[^}]*\}\n/;
const REMOVED = `${BASE.replace(FORGOTTEN, "")}
removed {
  from = terraform_data.forgotten

  lifecycle {
    destroy = false
  }
}
`;

/** A configuration error terraform reports during init. */
const BROKEN_MOVED = `resource "terraform_data" "new_name" {}

moved {
  from = terraform_data.old_name
}
`;

/** The code of a scenario: its root module, the local module and the state file it reads at apply time. */
const filesOf = (main: string): Record<string, string> => ({
  "main.tf": main,
  "child/main.tf": fixture("child.tf"),
  "shipped/other.tfstate": fixture("other.tfstate"),
});

function writeFiles(directory: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(directory, name)), { recursive: true });
    writeFileSync(join(directory, name), text);
  }
}

/** One entry of `show -json`'s `resource_changes` / `resource_drift`. */
interface ShownChange {
  address: string;
  previous_address?: string;
  module_address?: string;
  mode: "managed" | "data";
  type: string;
  name: string;
  action_reason?: string;
  change: { actions: string[]; importing?: unknown };
}

interface Reference {
  exitCode: number | null;
  counts: Pick<PlanSummary, "add" | "change" | "destroy" | "import">;
  resources: ResourceChange[];
  drift: ResourceChange[];
}

/**
 * `show -json` names replace reasons differently from the `-json` UI stream the runtime reads (terraform's
 * jsonplan vs views/json); the others are spelled the same.
 */
const UI_REASONS: Record<string, string> = {
  replace_because_tainted: "tainted",
  replace_by_request: "requested",
  replace_because_cannot_update: "cannot_update",
  replace_by_triggers: "replace_triggered_by",
};

/** A `show -json` change as the runtime reports it; undefined for a plain no-op. */
function expectedChange(shown: ShownChange): ResourceChange | undefined {
  const { actions, importing } = shown.change;
  let action: string | undefined = actions.length === 2 ? "replace" : actions[0];
  if (action === "no-op" && shown.previous_address) action = "move";
  if (action === "no-op" && importing) action = "import";
  if (!action || action === "no-op") return undefined;
  const change: ResourceChange = {
    address: shown.address,
    mode: shown.mode,
    type: shown.type,
    name: shown.name,
    action: action as ResourceChange["action"],
  };
  if (shown.previous_address) change.previousAddress = shown.previous_address;
  if (shown.module_address) change.module = shown.module_address;
  if (shown.action_reason) change.reason = UI_REASONS[shown.action_reason] ?? shown.action_reason;
  return change;
}

const expectedChanges = (shown: ShownChange[] | undefined): ResourceChange[] =>
  (shown ?? []).flatMap((change) => expectedChange(change) ?? []);

/** Orders changes so two lists of one plan compare equal whatever order terraform printed them in. */
const sorted = (changes: readonly ResourceChange[] | undefined): ResourceChange[] =>
  [...(changes ?? [])].sort((left, right) =>
    `${left.address} ${left.action}`.localeCompare(`${right.address} ${right.action}`),
  );

function countsOf(shown: ShownChange[] | undefined): Reference["counts"] {
  const counts = { add: 0, change: 0, destroy: 0, import: 0 };
  for (const { change } of shown ?? []) {
    if (change.actions.includes("create")) counts.add += 1;
    if (change.actions.includes("delete")) counts.destroy += 1;
    if (change.actions[0] === "update") counts.change += 1;
    if (change.importing) counts.import += 1;
  }
  return counts;
}

describe.runIf(ready)("the bundled runtime under the Lambda emulator: plan shapes against show -json", () => {
  let runtime: RuntimeUnderTest;
  let stateDirectory: string;
  let scratch: string;
  let baseState: string;
  let changed: { result: RunResult; reference: Reference };

  /** Applies with the binary directly and returns the state it wrote. Later applies may fail on purpose. */
  async function stateFrom(files: Record<string, string>, applies: string[][]): Promise<string> {
    const directory = mkdtempSync(join(scratch, "state-"));
    writeFiles(directory, files);
    await runTerraform(["init", "-input=false"], { cwd: directory });
    for (const extra of applies)
      await runTerraform(["apply", "-input=false", "-auto-approve", ...extra], { cwd: directory });
    return readFileSync(join(directory, "terraform.tfstate"), "utf8");
  }

  /** Plans saved to a file with the binary directly on a copy of the state, and reads it with show -json. */
  async function referencePlan(
    files: Record<string, string>,
    state: string,
    flags: string[],
  ): Promise<Reference> {
    const directory = mkdtempSync(join(scratch, "reference-"));
    writeFiles(directory, files);
    writeFileSync(join(directory, "terraform.tfstate"), state);
    await runTerraform(["init", "-input=false"], { cwd: directory });
    const plan = await runTerraform(
      ["plan", "-input=false", "-detailed-exitcode", "-out=saved.tfplan", ...flags],
      { cwd: directory },
    );
    if (plan.exitCode !== 0 && plan.exitCode !== 2) throw new Error(`reference plan failed: ${plan.stderr}`);
    const shown = JSON.parse(
      (await runTerraform(["show", "-json", "saved.tfplan"], { cwd: directory })).stdout,
    ) as {
      resource_changes?: ShownChange[];
      resource_drift?: ShownChange[];
    };
    return {
      exitCode: plan.exitCode,
      counts: countsOf(shown.resource_changes),
      resources: expectedChanges(shown.resource_changes),
      drift: expectedChanges(shown.resource_drift),
    };
  }

  /** The same plan through the runtime (state in its local state directory) and directly. */
  async function planBoth(
    files: Record<string, string>,
    state: string,
    request: { options?: Record<string, unknown>; vars?: Record<string, string> },
    flags: string[],
  ): Promise<{ result: RunResult; reference: Reference }> {
    writeFileSync(join(stateDirectory, "terraform.tfstate"), state);
    const [{ result }, reference] = await Promise.all([
      runtime.run({
        protocol: PROTOCOL_VERSION,
        command: "plan",
        code: { zip: encodeBase64(zipOf(files)) },
        ...request,
      }),
      referencePlan(files, state, flags),
    ]);
    return { result, reference };
  }

  const changeOf = (result: RunResult, address: string) =>
    result.plan?.resources.filter((change) => change.address === address);
  const shownOf = (reference: Reference, address: string) =>
    reference.resources.filter((change) => change.address === address);

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), "tf-lambda-plan-shapes-"));
    stateDirectory = mkdtempSync(join(scratch, "local-state-"));
    const [started, state] = await Promise.all([
      startRuntime({ TF_LAMBDA_LOCAL_STATE_DIR: stateDirectory }),
      stateFrom(filesOf(BASE), [[]]),
    ]);
    runtime = started;
    baseState = state;
    changed = await planBoth(
      filesOf(fixture("changed.tf")),
      baseState,
      { options: { replace: ["terraform_data.replaced"] } },
      ["-replace=terraform_data.replaced"],
    );
  });
  afterAll(async () => {
    await runtime?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it("plans every change of a mixed plan as show -json lists it, with the same counts and hasChanges", () => {
    const { result, reference } = changed;

    expect(result.status).toBe("succeeded");
    expect(result.plan).toMatchObject({
      ...reference.counts,
      hasChanges: reference.exitCode === 2,
      drift: [],
    });
    expect(sorted(result.plan?.resources)).toEqual(sorted(reference.resources));
  });

  it("reports options.replace as a replace requested by the user", () => {
    expect(changeOf(changed.result, "terraform_data.replaced")).toEqual([
      expect.objectContaining({ action: "replace", reason: "requested" }),
    ]);
    expect(changeOf(changed.result, "terraform_data.replaced")).toEqual(
      shownOf(changed.reference, "terraform_data.replaced"),
    );
  });

  it("reports a triggers_replace change as a replace because it cannot be updated", () => {
    expect(changeOf(changed.result, "terraform_data.triggered")).toEqual([
      expect.objectContaining({ action: "replace", reason: "cannot_update" }),
    ]);
    expect(changeOf(changed.result, "terraform_data.triggered")).toEqual(
      shownOf(changed.reference, "terraform_data.triggered"),
    );
  });

  it("reports a terraform_data input change as an update in place", () => {
    expect(changeOf(changed.result, "terraform_data.updated")).toEqual([
      {
        address: "terraform_data.updated",
        mode: "managed",
        type: "terraform_data",
        name: "updated",
        action: "update",
      },
    ]);
    expect(changeOf(changed.result, "terraform_data.updated")).toEqual(
      shownOf(changed.reference, "terraform_data.updated"),
    );
  });

  it("reports a resource removed from the configuration as a delete with its reason", () => {
    expect(changeOf(changed.result, "terraform_data.gone")).toEqual([
      expect.objectContaining({ action: "delete", reason: "delete_because_no_resource_config" }),
    ]);
    expect(changeOf(changed.result, "terraform_data.gone")).toEqual(
      shownOf(changed.reference, "terraform_data.gone"),
    );
  });

  it("reports a moved resource under its new address with the previous one", () => {
    expect(changeOf(changed.result, "terraform_data.new_name")).toEqual([
      expect.objectContaining({ action: "move", previousAddress: "terraform_data.old_name" }),
    ]);
    expect(changeOf(changed.result, "terraform_data.new_name")).toEqual(
      shownOf(changed.reference, "terraform_data.new_name"),
    );
  });

  it("reports module instances with their module address and count / for_each keys", () => {
    const inModules = (changes: readonly ResourceChange[] | undefined) =>
      sorted(changes?.filter((change) => change.module !== undefined));

    expect(inModules(changed.result.plan?.resources)).toEqual([
      expect.objectContaining({ address: "module.child.terraform_data.counted[1]", module: "module.child" }),
      expect.objectContaining({
        address: 'module.each["x"].terraform_data.counted[0]',
        module: 'module.each["x"]',
        name: "counted",
      }),
    ]);
    expect(inModules(changed.result.plan?.resources)).toEqual(inModules(changed.reference.resources));
  });

  it("reports a data source read at apply time (config unknown until then) as a read", () => {
    expect(changeOf(changed.result, "data.terraform_remote_state.shipped")).toEqual([
      expect.objectContaining({ mode: "data", type: "terraform_remote_state", action: "read" }),
    ]);
    expect(changeOf(changed.result, "data.terraform_remote_state.shipped")).toEqual(
      shownOf(changed.reference, "data.terraform_remote_state.shipped"),
    );
  });

  it("reports an import block's resource as an import and counts it", () => {
    expect(changeOf(changed.result, "terraform_data.adopted")).toEqual([
      expect.objectContaining({ action: "import" }),
    ]);
    expect(changed.result.plan?.import).toBe(1);
    expect(changeOf(changed.result, "terraform_data.adopted")).toEqual(
      shownOf(changed.reference, "terraform_data.adopted"),
    );
  });

  it("reports a plan that only moves a resource: nothing counted, a change as terraform's exit code says", async () => {
    const { result, reference } = await planBoth(filesOf(MOVED_ONLY), baseState, {}, []);

    expect(result.plan).toMatchObject({ add: 0, change: 0, destroy: 0, import: 0 });
    expect(result.plan?.hasChanges).toBe(reference.exitCode === 2);
    expect(result.plan?.resources).toEqual([expect.objectContaining({ action: "move" })]);
    expect(result.plan?.resources).toEqual(reference.resources);
  });

  it("reports the move a refresh-only plan meets as the drift show -json lists", async () => {
    const { result, reference } = await planBoth(
      filesOf(MOVED_ONLY),
      baseState,
      { options: { refreshOnly: true } },
      ["-refresh-only"],
    );

    expect(result.plan?.drift).toEqual([
      expect.objectContaining({ action: "move", previousAddress: "terraform_data.old_name" }),
    ]);
    expect(result.plan?.drift).toEqual(reference.drift);
    expect(result.plan?.resources).toEqual(reference.resources);
    expect(result.plan?.hasChanges).toBe(reference.exitCode === 2);
  });

  it.runIf(supportsRemovedBlocks)(
    "reports a removed block's resource as forget, counted nowhere",
    async () => {
      const { result, reference } = await planBoth(filesOf(REMOVED), baseState, {}, []);

      expect(result.plan).toMatchObject({
        add: 0,
        change: 0,
        destroy: 0,
        hasChanges: reference.exitCode === 2,
      });
      expect(result.plan?.resources).toEqual([
        expect.objectContaining({ address: "terraform_data.forgotten", action: "forget" }),
      ]);
      expect(result.plan?.resources).toEqual(reference.resources);
    },
  );

  it.runIf(!supportsRemovedBlocks)(
    "fails a removed block on a binary without them, with its diagnostic",
    async () => {
      writeFileSync(join(stateDirectory, "terraform.tfstate"), baseState);

      const { result } = await runtime.run({
        protocol: PROTOCOL_VERSION,
        command: "plan",
        code: { zip: encodeBase64(zipOf(filesOf(REMOVED))) },
      });

      expect(result.status).toBe("failed");
      expect(result.plan).toBeNull();
      expect(result.diagnostics[0]).toMatchObject({ severity: "error", summary: "Unsupported block type" });
    },
  );

  it("fails a moved block without its destination with init's diagnostic, which terraform writes to stderr", async () => {
    const { result } = await runtime.run({
      protocol: PROTOCOL_VERSION,
      command: "plan",
      code: { zip: encodeBase64(zipOf({ "main.tf": BROKEN_MOVED })) },
    });

    expect(result).toMatchObject({ status: "failed", phase: "init", plan: null });
    expect(result.diagnostics).toContainEqual(
      expect.objectContaining({
        severity: "error",
        summary: "Missing required argument",
        detail: expect.stringContaining('The argument "to" is required'),
      }),
    );
  });

  it("keeps both changes of one address: the tainted object's replace and the deposed object's delete", async () => {
    const files = { "main.tf": fixture("deposed.tf") };
    const state = await stateFrom(files, [["-var=generation=1"], ["-var=generation=2", "-var=fail=true"]]);

    const { result, reference } = await planBoth(files, state, { vars: { generation: "3" } }, [
      "-var=generation=3",
    ]);

    expect(
      sorted(result.plan?.resources).map((change) => [change.address, change.action, change.reason]),
    ).toEqual([
      ["terraform_data.cbd", "delete", undefined],
      ["terraform_data.cbd", "replace", "tainted"],
    ]);
    expect(sorted(result.plan?.resources)).toEqual(sorted(reference.resources));
    expect(result.plan).toMatchObject(reference.counts);
  });

  it("applies the mixed change with the counts and resources its plan showed, reading the shipped state", async () => {
    writeFileSync(join(stateDirectory, "terraform.tfstate"), baseState);

    const { result } = await runtime.run({
      protocol: PROTOCOL_VERSION,
      command: "apply",
      code: { zip: encodeBase64(zipOf(filesOf(fixture("changed.tf")))) },
      options: { replace: ["terraform_data.replaced"] },
    });

    expect(result.status).toBe("succeeded");
    expect(result.plan).toMatchObject({ ...changed.reference.counts, hasChanges: true });
    expect(sorted(result.plan?.resources)).toEqual(sorted(changed.reference.resources));
    expect(result.outputs.shipped_greeting).toMatchObject({ value: "hello from the shipped state" });
  });
});
