/**
 * Writes the inputs / outputs tables of packages/module/README.md from the module's HCL (variables.tf,
 * outputs.tf), between the BEGIN_TF_DOCS / END_TF_DOCS markers. `--check` only reports whether the README is
 * up to date (exit code 1 when it is not). Run: `pnpm --filter @tf-lambda/module docs`.
 */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { blocksOf, expressionText, type HclValue, parseDirectory } from "./hcl.js";

export const MODULE_DIRECTORY = join(import.meta.dirname, "..");
export const README_PATH = join(MODULE_DIRECTORY, "README.md");
const BEGIN = "<!-- BEGIN_TF_DOCS -->";
const END = "<!-- END_TF_DOCS -->";

function cell(text: string): string {
  return text.replace(/\s+/g, " ").replace(/\|/g, "\\|").trim();
}

function code(text: string): string {
  return `\`${cell(text)}\``;
}

function describeDefault(value: HclValue): string {
  const expression = expressionText(value);
  return code(expression ?? JSON.stringify(value));
}

/** The generated Markdown: an Inputs table and an Outputs table. */
export async function renderTables(moduleDirectory: string = MODULE_DIRECTORY): Promise<string> {
  const files = await parseDirectory(moduleDirectory);
  const inputs = blocksOf(files, "variable")
    .map((variable) => {
      const required = !("default" in variable.body);
      const type = expressionText(variable.body.type) ?? String(variable.body.type);
      return {
        name: variable.name,
        required,
        row: `| ${code(variable.name)} | ${cell(String(variable.body.description ?? ""))} | ${code(type)} | ${required ? "n/a" : describeDefault(variable.body.default ?? null)} | ${required ? "yes" : "no"} |`,
      };
    })
    .sort((a, b) => Number(b.required) - Number(a.required) || a.name.localeCompare(b.name));
  const outputs = blocksOf(files, "output")
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((output) => `| ${code(output.name)} | ${cell(String(output.body.description ?? ""))} |`);
  return [
    "### Inputs",
    "",
    "| Name | Description | Type | Default | Required |",
    "| ---- | ----------- | ---- | ------- | :------: |",
    ...inputs.map((input) => input.row),
    "",
    "### Outputs",
    "",
    "| Name | Description |",
    "| ---- | ----------- |",
    ...outputs,
  ].join("\n");
}

/** Formats Markdown as the repository's formatter (Biome) does, so that `biome check` and this script agree. */
function formatMarkdown(text: string): string {
  const biome = join(MODULE_DIRECTORY, "..", "..", "node_modules", ".bin", "biome");
  const formatted = spawnSync(biome, ["format", `--stdin-file-path=${README_PATH}`], {
    input: text,
    encoding: "utf8",
  });
  if (formatted.status !== 0) throw new Error(`biome could not format the README: ${formatted.stderr}`);
  return formatted.stdout;
}

/** The README with its generated section replaced by the current tables, formatted. */
export async function renderReadme(
  readme: string,
  moduleDirectory: string = MODULE_DIRECTORY,
): Promise<string> {
  const start = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (start === -1 || end === -1 || end < start) {
    throw new Error(`the README has no ${BEGIN} ... ${END} section to fill`);
  }
  const tables = await renderTables(moduleDirectory);
  return formatMarkdown(`${readme.slice(0, start + BEGIN.length)}\n${tables}\n${readme.slice(end)}`);
}

async function main(): Promise<void> {
  const readme = readFileSync(README_PATH, "utf8");
  const updated = await renderReadme(readme);
  if (process.argv.includes("--check")) {
    if (updated !== readme) {
      console.error("packages/module/README.md is out of date: run `pnpm --filter @tf-lambda/module docs`");
      process.exitCode = 1;
    }
    return;
  }
  if (updated !== readme) writeFileSync(README_PATH, updated);
  console.log(updated === readme ? "README.md is up to date" : "README.md updated");
}

if (process.argv[1] && import.meta.filename === process.argv[1]) await main();
