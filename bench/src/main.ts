import { spawnSync } from "node:child_process";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { findTool, requireTool } from "@tf-lambda/testing";
import { coldStartBenchmark } from "./cold-start.js";
import { fanOutBenchmark } from "./fan-out.js";
import { overheadBenchmark } from "./overhead.js";
import { packingBenchmark } from "./packing.js";
import { type Figure, formatTable, writeReport } from "./report.js";
import { soakBenchmark } from "./soak.js";
import { terraformVersion } from "./terraform-configs.js";

/** The benchmarks by name, with the repetitions `pnpm bench` uses (chosen to stay well under 15 minutes on 2 cores). */
const BENCHMARKS: Record<string, () => Promise<Figure[]>> = {
  overhead: () => overheadBenchmark({ repetitions: { small: 9, large: 5 } }),
  "cold-start": () => coldStartBenchmark({ repetitions: 15 }),
  packing: () =>
    packingBenchmark({
      trees: [
        { files: 100, megabytes: 10, repetitions: 5 },
        { files: 5_000, megabytes: 50, repetitions: 5 },
        { files: 20_000, megabytes: 50, repetitions: 3 },
      ],
    }),
  soak: () => soakBenchmark({ invocations: 200 }),
  "fan-out": () => fanOutBenchmark({ concurrencies: [1, 5, 10], repetitions: 2 }),
};

function zipVersion(): string {
  const run = spawnSync("zip", ["-v"], { encoding: "utf8" });
  return /This is Zip [^\n,]*/.exec(run.stdout ?? "")?.[0] ?? "unknown";
}

async function main(): Promise<void> {
  const requested = process.argv.slice(2);
  const unknown = requested.filter((name) => !(name in BENCHMARKS));
  if (unknown.length > 0) {
    console.error(
      `unknown benchmark(s): ${unknown.join(", ")}; expected: ${Object.keys(BENCHMARKS).join(", ")}`,
    );
    process.exit(2);
  }
  const names = requested.length > 0 ? requested : Object.keys(BENCHMARKS);
  const started = performance.now();
  const figures: Figure[] = [];
  for (const name of names) {
    const run = BENCHMARKS[name] as () => Promise<Figure[]>;
    const benchmarkStarted = performance.now();
    console.error(`[bench] ${name} ...`);
    figures.push(...(await run()));
    console.error(`[bench] ${name} done in ${((performance.now() - benchmarkStarted) / 1000).toFixed(0)} s`);
  }
  const terraform = requireTool("terraform");
  const report = {
    date: new Date().toISOString(),
    command: requested.length > 0 ? `pnpm bench ${requested.join(" ")}` : "pnpm bench",
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? "unknown",
      memoryGiB: Math.round(totalmem() / 1024 ** 3),
      platform: `${process.platform} ${process.arch}`,
      node: process.version,
    },
    versions: {
      terraform: `${terraformVersion(terraform)} (${terraform})`,
      emulator: findTool("emulator") ?? "missing",
      moto: findTool("moto") ?? "missing",
      zip: zipVersion(),
    },
    figures,
    durationSeconds: Math.round((performance.now() - started) / 1000),
  };
  console.log(formatTable(figures));
  const notes = figures.filter((figure) => figure.note);
  if (notes.length > 0)
    console.log(`\nnotes:\n${notes.map((figure) => `- ${figure.name}: ${figure.note}`).join("\n")}`);
  console.log(
    `\nterraform: ${report.versions.terraform}; ${report.machine.cpus} CPUs; ${report.durationSeconds} s`,
  );
  const output = join(
    import.meta.dirname,
    "..",
    "results",
    requested.length > 0 ? `partial-${names.join("-")}.json` : "latest.json",
  );
  writeReport(output, report);
  console.log(`written: ${output}`);
  const missed = figures.filter((figure) => figure.meets === false);
  if (missed.length > 0)
    console.log(`missing their targets: ${missed.map((figure) => figure.name).join("; ")}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
