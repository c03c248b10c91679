import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import {
  blocksOf,
  type HclBody,
  type HclFile,
  localsOf,
  parseDirectory,
  referencesOf,
} from "../../scripts/hcl.js";

export const MODULE_DIRECTORY = resolve(import.meta.dirname, "..", "..");
export const REPOSITORY_ROOT = resolve(MODULE_DIRECTORY, "..", "..");

/** The examples this package's tests cover (examples/local-quickstart belongs to the client). */
export const EXAMPLE_NAMES = [
  "basic",
  "bundled-code",
  "dynamic-code",
  "multi-account",
  "drift-detection",
  "vpc",
] as const;

export interface Configuration {
  name: string;
  directory: string;
}

export const CONFIGURATIONS: readonly Configuration[] = [
  { name: "packages/module", directory: MODULE_DIRECTORY },
  ...EXAMPLE_NAMES.map((example) => ({
    name: `examples/${example}`,
    directory: join(REPOSITORY_ROOT, "examples", example),
  })),
];

const parsed = new Map<string, Promise<HclFile[]>>();

/** The configuration's `.tf` files, parsed once per test run. */
export function filesOf(directory: string): Promise<HclFile[]> {
  let files = parsed.get(directory);
  if (!files) {
    files = parseDirectory(directory);
    parsed.set(directory, files);
  }
  return files;
}

/** A `module` block's source as a local directory, or undefined for a registry / git source. */
export function localModuleDirectory(configurationDirectory: string, body: HclBody): string | undefined {
  const source = body.source;
  if (typeof source !== "string" || !(source.startsWith("./") || source.startsWith("../"))) return undefined;
  const directory = resolve(configurationDirectory, source);
  return existsSync(directory) ? directory : undefined;
}

/**
 * Every reference in the configuration that points at nothing: `var.x` without a variable, `local.x` without a
 * local, a resource / data source / module that is not declared, a module output the module does not have.
 */
export async function unresolvedReferences(directory: string): Promise<string[]> {
  const files = await filesOf(directory);
  const variables = new Set(blocksOf(files, "variable").map((block) => block.name));
  const locals = localsOf(files);
  const resources = new Set(blocksOf(files, "resource").map((block) => block.name));
  const dataSources = new Set(blocksOf(files, "data").map((block) => block.name));
  const moduleOutputs = new Map<string, Set<string> | undefined>();
  for (const block of blocksOf(files, "module")) {
    const moduleDirectory = localModuleDirectory(directory, block.body);
    const outputs = moduleDirectory
      ? new Set(blocksOf(await filesOf(moduleDirectory), "output").map((output) => output.name))
      : undefined;
    moduleOutputs.set(block.name, outputs);
  }

  const problems: string[] = [];
  for (const reference of await referencesOf(files)) {
    const [root = "", first = "", second = "", third = ""] = reference.value.split(".");
    const where = `${reference.value} (${reference.file.slice(REPOSITORY_ROOT.length + 1)})`;
    if (root === "var") {
      if (!variables.has(first)) problems.push(`undeclared variable: ${where}`);
    } else if (root === "local") {
      if (!locals.has(first)) problems.push(`undeclared local: ${where}`);
    } else if (root === "data") {
      if (!dataSources.has(`${first}.${second}`)) problems.push(`undeclared data source: ${where}`);
    } else if (root === "module") {
      if (!moduleOutputs.has(first)) problems.push(`undeclared module: ${where}`);
      const outputs = moduleOutputs.get(first);
      const output = /^\d+$/.test(second) ? third : second;
      if (outputs && output && !outputs.has(output)) problems.push(`the module has no such output: ${where}`);
    } else if (!resources.has(`${root}.${first}`)) {
      problems.push(`undeclared resource: ${where}`);
    }
  }
  return problems;
}

const META_ARGUMENTS = new Set(["source", "version", "providers", "count", "for_each", "depends_on"]);

/** Arguments of local `module` calls that the module does not declare, and required variables left unset. */
export async function moduleCallProblems(directory: string): Promise<string[]> {
  const problems: string[] = [];
  for (const block of blocksOf(await filesOf(directory), "module")) {
    const moduleDirectory = localModuleDirectory(directory, block.body);
    if (!moduleDirectory) continue;
    const variables = blocksOf(await filesOf(moduleDirectory), "variable");
    const declared = new Set(variables.map((variable) => variable.name));
    for (const argument of Object.keys(block.body)) {
      if (!META_ARGUMENTS.has(argument) && !declared.has(argument)) {
        problems.push(`module.${block.name} sets ${argument}, which the module does not declare`);
      }
    }
    for (const variable of variables) {
      if (!("default" in variable.body) && !(variable.name in block.body)) {
        problems.push(`module.${block.name} leaves the required variable ${variable.name} unset`);
      }
    }
  }
  return problems;
}
