import { mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runtimeCommand } from "@tf-lambda/client";
import { encodeBase64, PROTOCOL_VERSION } from "@tf-lambda/protocol";
import { requireTool, startEmulator } from "@tf-lambda/testing";
import type { Figure } from "./report.js";
import { invocationEndEvents, phaseDurations } from "./runtime-events.js";
import { pairwiseRatios, percentile, summarize } from "./statistics.js";
import { bareTerraform, terraformDataConfig } from "./terraform-configs.js";
import { zipOf } from "./zip-of.js";

export interface OverheadOptions {
  /** Measured pairs per (configuration, command); one more warm-up pair is discarded. */
  repetitions: { small: number; large: number };
}

/**
 * Benchmark 1: a warm invocation through the Lambda emulator (plan, apply in local mode) against a bare
 * `terraform init && terraform plan|apply` of the same configuration in a shell, run alternately; plus the
 * runtime's own time outside terraform's processes, from its `invocation-end` log events.
 */
export async function overheadBenchmark(options: OverheadOptions): Promise<Figure[]> {
  const terraform = requireTool("terraform");
  const root = mkdtempSync(join(tmpdir(), "tf-lambda-bench-overhead-"));
  const stateDirectory = join(root, "state");
  mkdirSync(stateDirectory);
  const emulator = await startEmulator({
    bootstrap: runtimeCommand(),
    inheritEnv: false,
    timeoutSeconds: 900,
    env: {
      TF_LAMBDA_TERRAFORM_BIN: terraform,
      TF_LAMBDA_WORK_ROOT: join(root, "work"),
      TF_LAMBDA_PLUGIN_CACHE_DIR: join(root, "plugin-cache"),
      TF_LAMBDA_LOCAL_STATE_DIR: stateDirectory,
      AWS_REGION: "us-east-1",
    },
  });
  const resetState = () => {
    for (const name of readdirSync(stateDirectory)) {
      rmSync(join(stateDirectory, name), { recursive: true, force: true });
    }
  };
  const figures: Figure[] = [];
  try {
    for (const [resources, repetitions] of [
      [3, options.repetitions.small],
      [500, options.repetitions.large],
    ] as const) {
      const mainTf = terraformDataConfig(resources);
      const zip = encodeBase64(await zipOf({ "main.tf": mainTf }));
      const payload = (command: string) => ({ protocol: PROTOCOL_VERSION, command, code: { zip } });
      for (const command of ["plan", "apply"] as const) {
        const invokeMs: number[] = [];
        const bareMs: number[] = [];
        const sameCommandsMs: number[] = [];
        const requestIds: string[] = [];
        for (let round = 0; round <= repetitions; round += 1) {
          resetState();
          const started = performance.now();
          const response = await emulator.invoke(payload(command));
          const elapsed = performance.now() - started;
          const body = response.json() as { status?: string; requestId?: string; errorMessage?: string };
          if (body.status !== "succeeded" || !body.requestId) {
            throw new Error(`the runtime's ${command} did not succeed: ${response.text.slice(0, 1000)}`);
          }
          const bare = await bareTerraform(terraform, mainTf, command);
          const sameCommands = await bareTerraform(terraform, mainTf, command, "runtime-commands");
          if (round === 0) continue; // warm-up round
          invokeMs.push(elapsed);
          bareMs.push(bare);
          sameCommandsMs.push(sameCommands);
          requestIds.push(body.requestId);
        }
        resetState();
        const events = invocationEndEvents(emulator.output());
        const own = requestIds.map((id) => events.get(id)?.overheadMs ?? Number.NaN);
        const inside = requestIds.map((id) => events.get(id)?.terraformMs ?? Number.NaN);
        const ratio = summarize(pairwiseRatios(invokeMs, bareMs));
        const sameRatio = summarize(pairwiseRatios(invokeMs, sameCommandsMs));
        const phases = [...phaseDurations(emulator.output(), new Set(requestIds))]
          .map(([phase, values]) => `${phase} ${percentile(values, 0.5).toFixed(0)}`)
          .join(", ");
        const label = `${command}, ${resources} terraform_data`;
        figures.push(
          {
            benchmark: "1 overhead",
            name: `${label}: invoke through the emulator`,
            unit: "ms",
            value: summarize(invokeMs),
            reference: { what: `bare init && ${command}`, ...summarize(bareMs) },
            ratio,
            target: "ratio <= 1.10",
            meets: ratio.median <= 1.1,
          },
          {
            benchmark: "1 overhead",
            name: `${label}: invoke vs the runtime's own terraform commands in a shell`,
            unit: "ms",
            value: summarize(invokeMs),
            reference: { what: "same commands, bare", ...summarize(sameCommandsMs) },
            ratio: sameRatio,
            note: "the reference runs init -no-color, then the command with -json, as the runtime does (no output -json: no output is sensitive)",
          },
          {
            benchmark: "1 overhead",
            name: `${label}: invoke minus bare`,
            unit: "ms",
            value: summarize(invokeMs.map((value, index) => value - (bareMs[index] as number))),
          },
          {
            benchmark: "1 overhead",
            name: `${label}: runtime's own time (outside terraform)`,
            unit: "ms",
            value: summarize(own),
            target: "< 30 ms",
            meets: summarize(own).median < 30,
            note: `from the runtime's invocation-end events (durationMs - terraformMs); terraform's processes took ${summarize(inside).median.toFixed(0)} ms (median); median ms by phase: ${phases}`,
          },
        );
      }
    }
  } finally {
    await emulator.stop();
    rmSync(root, { recursive: true, force: true });
  }
  return figures;
}
