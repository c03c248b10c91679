import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runtimeCommand } from "@tf-lambda/client";
import { encodeBase64, PROTOCOL_VERSION } from "@tf-lambda/protocol";
import { requireTool, startEmulator } from "@tf-lambda/testing";
import { childPids, commandLine, openDescriptors, residentKib } from "./processes.js";
import type { Figure } from "./report.js";
import { invocationEndEvents } from "./runtime-events.js";
import { percentile, summarize } from "./statistics.js";
import { terraformDataConfig } from "./terraform-configs.js";
import { zipOf } from "./zip-of.js";

/**
 * Benchmark 4: `invocations` plans of a tiny configuration in one warm runtime under the emulator: the runtime's
 * own time per invocation (p50 / p95), and the runtime process's RSS and open descriptors (from /proc) after the
 * first invocation and after the last.
 */
export async function soakBenchmark(options: { invocations: number }): Promise<Figure[]> {
  const root = mkdtempSync(join(tmpdir(), "tf-lambda-bench-soak-"));
  const emulator = await startEmulator({
    bootstrap: runtimeCommand(),
    inheritEnv: false,
    timeoutSeconds: 300,
    env: {
      TF_LAMBDA_TERRAFORM_BIN: requireTool("terraform"),
      TF_LAMBDA_WORK_ROOT: join(root, "work"),
      TF_LAMBDA_PLUGIN_CACHE_DIR: join(root, "plugin-cache"),
      AWS_REGION: "us-east-1",
    },
  });
  try {
    const zip = encodeBase64(await zipOf({ "main.tf": terraformDataConfig(2) }));
    const payload = { protocol: PROTOCOL_VERSION, command: "plan", code: { zip } };
    const invoke = async () => {
      const started = performance.now();
      const response = await emulator.invoke(payload);
      const elapsed = performance.now() - started;
      const body = response.json() as { status?: string; requestId?: string };
      if (body.status !== "succeeded" || !body.requestId) {
        throw new Error(`a soak invocation did not succeed: ${response.text.slice(0, 500)}`);
      }
      return { elapsed, requestId: body.requestId };
    };
    await invoke(); // the emulator starts the runtime on the first invoke
    const runtimePid = childPids(emulator.pid).find((pid) =>
      commandLine(pid).some((argument) => argument.endsWith("bootstrap.mjs")),
    );
    if (runtimePid === undefined)
      throw new Error("the runtime process (child of the emulator) was not found");
    const start = { rssKib: residentKib(runtimePid), descriptors: openDescriptors(runtimePid) };
    const wall: number[] = [];
    const ids: string[] = [];
    /** VmRSS (MiB) every 25 invocations: a leak keeps climbing, a heap settling into its size levels off. */
    const trajectory: number[] = [start.rssKib / 1024];
    let halfway = start.rssKib;
    for (let index = 0; index < options.invocations; index += 1) {
      const { elapsed, requestId } = await invoke();
      wall.push(elapsed);
      ids.push(requestId);
      if ((index + 1) % 25 === 0) trajectory.push(residentKib(runtimePid) / 1024);
      if (index + 1 === Math.floor(options.invocations / 2)) halfway = residentKib(runtimePid);
    }
    const end = { rssKib: residentKib(runtimePid), descriptors: openDescriptors(runtimePid) };
    const events = invocationEndEvents(emulator.output());
    const own = ids.map((id) => events.get(id)?.overheadMs ?? Number.NaN);
    const single = (value: number) => ({ median: value, min: value, max: value, runs: 1 });
    const rssGrowthMiB = (end.rssKib - start.rssKib) / 1024;
    return [
      {
        benchmark: "4 soak",
        name: `runtime's own time per invocation, p50 (${options.invocations} plans)`,
        unit: "ms",
        value: { ...summarize(own), median: percentile(own, 0.5) },
        note: `p95 ${percentile(own, 0.95).toFixed(1)} ms; invoke wall time p50 ${percentile(wall, 0.5).toFixed(0)} ms, p95 ${percentile(wall, 0.95).toFixed(0)} ms`,
      },
      {
        benchmark: "4 soak",
        name: "runtime's own time per invocation, p95",
        unit: "ms",
        value: single(percentile(own, 0.95)),
      },
      {
        benchmark: "4 soak",
        name: "invoke wall time, p50 / p95",
        unit: "ms",
        value: { ...summarize(wall), median: percentile(wall, 0.5) },
        note: `p95 ${percentile(wall, 0.95).toFixed(0)} ms`,
      },
      {
        benchmark: "4 soak",
        name: "runtime RSS growth (after 1st -> after last)",
        unit: "MiB",
        value: single(rssGrowthMiB),
        target: "< 20 MiB",
        meets: rssGrowthMiB < 20,
        note: `VmRSS ${(start.rssKib / 1024).toFixed(1)} -> ${(end.rssKib / 1024).toFixed(1)} MiB (pid ${runtimePid}); every 25 invocations: ${trajectory.map((value) => value.toFixed(1)).join(", ")} MiB`,
      },
      {
        benchmark: "4 soak",
        name: "runtime RSS growth over the second half",
        unit: "MiB",
        value: single((end.rssKib - halfway) / 1024),
        note: "the same process between invocation N/2 and N: what a leak would keep adding",
      },
      {
        benchmark: "4 soak",
        name: "runtime open descriptors growth",
        unit: "fds",
        value: single(end.descriptors - start.descriptors),
        target: "0",
        meets: end.descriptors <= start.descriptors,
        note: `/proc/<pid>/fd: ${start.descriptors} -> ${end.descriptors}`,
      },
    ];
  } finally {
    await emulator.stop();
    rmSync(root, { recursive: true, force: true });
  }
}
