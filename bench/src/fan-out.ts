import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { forEachAccount, type LocalRunner, startLocalRunner, TerraformRunnerClient } from "@tf-lambda/client";
import { requireTool, startMoto } from "@tf-lambda/testing";
import type { Figure } from "./report.js";
import { summarize } from "./statistics.js";
import { terraformDataConfig } from "./terraform-configs.js";

const ACCOUNTS = 50;

/** Samples this process's RSS every 20 ms while `work` runs; returns the peak in KiB. */
async function peakResidentDuring<T>(work: () => Promise<T>): Promise<{ value: T; peakKib: number }> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 20);
  try {
    const value = await work();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { value, peakKib: peak / 1024 };
  } finally {
    clearInterval(timer);
  }
}

/**
 * Benchmark 5: forEachAccount over 50 accounts (roles assumed on moto's STS), each a plan of a tiny
 * configuration, at several concurrencies. A local runner serves one invocation at a time like one Lambda
 * sandbox, so concurrency N uses N local runners (N sandboxes), each client call taking a free one.
 */
export async function fanOutBenchmark(options: {
  concurrencies: readonly number[];
  repetitions: number;
}): Promise<Figure[]> {
  const moto = await startMoto();
  const directory = mkdtempSync(join(tmpdir(), "tf-lambda-bench-fanout-"));
  writeFileSync(join(directory, "main.tf"), terraformDataConfig(3));
  const runners: LocalRunner[] = [];
  const figures: Figure[] = [];
  try {
    const roles = Array.from(
      { length: ACCOUNTS },
      (_, index) => `arn:aws:iam::${String(100000000000 + index)}:role/Terraform`,
    );
    for (const concurrency of options.concurrencies) {
      while (runners.length < concurrency) {
        runners.push(await startLocalRunner({ terraformBinary: requireTool("terraform") }));
      }
      const clients = runners
        .slice(0, concurrency)
        .map((runner) => new TerraformRunnerClient({ functionName: "bench", endpoint: runner.endpoint }));
      // warm every sandbox once
      await Promise.all(clients.map((client) => client.plan({ dir: directory })));
      const free = [...clients];
      const walls: number[] = [];
      const peaks: number[] = [];
      for (let round = 0; round < options.repetitions; round += 1) {
        const before = process.memoryUsage.rss() / 1024;
        const started = performance.now();
        const { value: report, peakKib } = await peakResidentDuring(() =>
          forEachAccount(
            roles,
            async ({ credentials }) => {
              const client = free.pop();
              if (!client) throw new Error("no free runner: concurrency exceeds the runners");
              try {
                return await client.plan({ dir: directory, credentials });
              } finally {
                free.push(client);
              }
            },
            { concurrency, endpoint: moto.endpoint, region: moto.region, credentials: moto.credentials },
          ),
        );
        walls.push(performance.now() - started);
        peaks.push((peakKib - before) / 1024);
        if (report.succeeded !== ACCOUNTS) {
          const failure = report.accounts.find((account) => account.status !== "succeeded");
          throw new Error(
            `fan-out: ${report.succeeded}/${ACCOUNTS} succeeded; first other: ${JSON.stringify(failure).slice(0, 800)}`,
          );
        }
      }
      figures.push(
        {
          benchmark: "5 fan-out",
          name: `${ACCOUNTS} accounts at concurrency ${concurrency}: wall time`,
          unit: "ms",
          value: summarize(walls),
          note: `${concurrency} local runner(s), one invocation at a time each; assumeRole on moto STS`,
        },
        {
          benchmark: "5 fan-out",
          name: `${ACCOUNTS} accounts at concurrency ${concurrency}: client RSS growth (peak - before)`,
          unit: "MiB",
          value: summarize(peaks),
          note: `client process RSS after: ${(process.memoryUsage.rss() / 1024 / 1024).toFixed(0)} MiB`,
        },
      );
    }
  } finally {
    await Promise.all(runners.map((runner) => runner.stop()));
    await moto.stop();
    rmSync(directory, { recursive: true, force: true });
  }
  return figures;
}
