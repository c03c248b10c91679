import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Figure } from "./report.js";
import { pairwiseRatios, summarize } from "./statistics.js";

const run = promisify(execFile);
const CHILD = join(import.meta.dirname, "pack-child.mjs");
const TEXT_LINE = 'resource "terraform_data" "example" {\n  input = "some configuration text"\n}\n';

/** A tree of `files` files totalling about `totalBytes`: half text (compressible), half random bytes. */
function generateTree(directory: string, files: number, totalBytes: number): void {
  const average = Math.max(1, Math.floor(totalBytes / files));
  for (let index = 0; index < files; index += 1) {
    const folder = join(directory, `module-${Math.floor(index / 50)}`, `part-${Math.floor(index / 10) % 5}`);
    if (index % 10 === 0) mkdirSync(folder, { recursive: true });
    // sizes vary from 0.5x to 1.5x the average, deterministically
    const size = Math.max(1, Math.floor(average * (0.5 + ((index * 7919) % 1000) / 1000)));
    const content =
      index % 2 === 0
        ? Buffer.from(TEXT_LINE.repeat(Math.ceil(size / TEXT_LINE.length)).slice(0, size))
        : randomBytes(size);
    writeFileSync(join(folder, index % 2 === 0 ? `file-${index}.tf` : `blob-${index}.bin`), content);
  }
}

interface PackRun {
  ms: number;
  size: number;
  sha256: string;
  files: number;
  maxRssKib: number;
}

async function packInChild(directory: string): Promise<PackRun> {
  const { stdout } = await run(process.execPath, [CHILD, directory], { maxBuffer: 1024 * 1024 });
  return JSON.parse(stdout) as PackRun;
}

async function zipQr(directory: string, output: string): Promise<{ ms: number; size: number }> {
  rmSync(output, { force: true });
  const started = performance.now();
  await run("zip", ["-qr", output, "."], { cwd: directory });
  const ms = performance.now() - started;
  return { ms, size: statSync(output).size };
}

/**
 * Benchmark 3: packDirectory (in a child process, for its peak RSS) against `zip -qr` on the same generated trees,
 * alternately; time ratio, size ratio, peak memory, and whether every run gave the same bytes.
 */
export async function packingBenchmark(options: {
  trees: readonly { files: number; megabytes: number; repetitions: number }[];
}): Promise<Figure[]> {
  const figures: Figure[] = [];
  const baseline = JSON.parse((await run(process.execPath, [CHILD, "--baseline"])).stdout) as {
    maxRssKib: number;
  };
  for (const tree of options.trees) {
    const root = mkdtempSync(join(tmpdir(), "tf-lambda-bench-pack-"));
    const directory = join(root, "tree");
    const output = join(root, "reference.zip");
    try {
      generateTree(directory, tree.files, tree.megabytes * 1024 * 1024);
      const packs: PackRun[] = [];
      const zips: { ms: number; size: number }[] = [];
      for (let round = 0; round <= tree.repetitions; round += 1) {
        const packed = await packInChild(directory);
        const zipped = await zipQr(directory, output);
        if (round === 0) continue; // warm-up pair (page cache)
        packs.push(packed);
        zips.push(zipped);
      }
      const label = `${tree.files} files, ${tree.megabytes} MB`;
      const identical = new Set(packs.map((pack) => pack.sha256)).size === 1;
      const timeRatio = summarize(
        pairwiseRatios(
          packs.map((pack) => pack.ms),
          zips.map((zip) => zip.ms),
        ),
      );
      const sizes = packs.map((pack, index) => pack.size / (zips[index] as { size: number }).size);
      figures.push(
        {
          benchmark: "3 packing",
          name: `${label}: packDirectory time`,
          unit: "ms",
          value: summarize(packs.map((pack) => pack.ms)),
          reference: { what: "zip -qr", ...summarize(zips.map((zip) => zip.ms)) },
          ratio: timeRatio,
          target: "ratio <= 1.00",
          meets: timeRatio.median <= 1,
        },
        {
          benchmark: "3 packing",
          name: `${label}: archive size`,
          unit: "MiB",
          value: summarize(packs.map((pack) => pack.size / 1024 / 1024)),
          reference: { what: "zip -qr", ...summarize(zips.map((zip) => zip.size / 1024 / 1024)) },
          ratio: summarize(sizes),
        },
        {
          benchmark: "3 packing",
          name: `${label}: packDirectory peak RSS (child maxRSS)`,
          unit: "MiB",
          value: summarize(packs.map((pack) => pack.maxRssKib / 1024)),
          note: `a child that only imports the client peaks at ${(baseline.maxRssKib / 1024).toFixed(1)} MiB`,
        },
        {
          benchmark: "3 packing",
          name: `${label}: identical bytes across runs`,
          unit: "runs",
          value: summarize([packs.length]),
          target: "identical",
          meets: identical,
          note: identical
            ? `sha256 ${packs[0]?.sha256}`
            : `sha256s: ${packs.map((pack) => pack.sha256).join(", ")}`,
        },
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }
  return figures;
}
