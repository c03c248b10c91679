import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { Summary } from "./statistics.js";

/** One figure of a benchmark: a summary, optionally a reference measured side by side, and the target. */
export interface Figure {
  benchmark: string;
  name: string;
  unit: string;
  value: Summary;
  /** The reference (bare terraform, zip -qr, node's own start) measured in the same run. */
  reference?: Summary & { what: string };
  /** Median (min, max) of the pairwise ratios value / reference. */
  ratio?: Summary;
  /** The target in words, e.g. "< 30 ms". */
  target?: string;
  /** Whether the figure meets its target; undefined when it has none. */
  meets?: boolean;
  note?: string;
}

/** Everything one `pnpm bench` run wrote. */
export interface BenchReport {
  date: string;
  command: string;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; platform: string; node: string };
  versions: Record<string, string>;
  figures: Figure[];
  durationSeconds: number;
}

function formatNumber(value: number, unit: string): string {
  if (!Number.isFinite(value)) return "-";
  if (unit === "ratio") return value.toFixed(3);
  if (Math.abs(value) >= 100) return value.toFixed(0);
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

function formatSummary(summary: Summary, unit: string): string {
  return `${formatNumber(summary.median, unit)} (${formatNumber(summary.min, unit)}..${formatNumber(summary.max, unit)})`;
}

/** The figures as an aligned text table: median (min..max) of each, the reference, the ratio, the target. */
export function formatTable(figures: readonly Figure[]): string {
  const header = [
    "benchmark",
    "figure",
    "unit",
    "median (min..max)",
    "n",
    "reference",
    "ratio",
    "target",
    "ok",
  ];
  const rows = figures.map((figure) => [
    figure.benchmark,
    figure.name,
    figure.unit,
    formatSummary(figure.value, figure.unit),
    String(figure.value.runs),
    figure.reference ? `${figure.reference.what}: ${formatSummary(figure.reference, figure.unit)}` : "",
    figure.ratio ? formatSummary(figure.ratio, "ratio") : "",
    figure.target ?? "",
    figure.meets === undefined ? "" : figure.meets ? "yes" : "NO",
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((width) => "-".repeat(width))), ...rows.map(line)].join("\n");
}

/** Writes the report as JSON (creating the folder). */
export function writeReport(path: string, report: BenchReport): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
}
