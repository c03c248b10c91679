import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { getReferencesInExpression, parse } from "@cdktf/hcl2json";

/** A JSON value as @cdktf/hcl2json returns it: expressions are `${...}` strings. */
export type HclValue = string | number | boolean | null | HclValue[] | { [key: string]: HclValue };
export type HclBody = { [key: string]: HclValue };

/** One `.tf` file, parsed. */
export interface HclFile {
  path: string;
  text: string;
  body: HclBody;
}

/** A labelled block: `variable "x"`, `resource "aws_s3_bucket" "this"` (name `aws_s3_bucket.this`). */
export interface HclBlock {
  kind: string;
  name: string;
  body: HclBody;
  file: string;
}

function isObject(value: HclValue | undefined): value is { [key: string]: HclValue } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Parses every `.tf` file of a directory (not its subdirectories) with the real HCL parser. */
export async function parseDirectory(directory: string): Promise<HclFile[]> {
  const names = readdirSync(directory)
    .filter((name) => name.endsWith(".tf"))
    .sort();
  const files: HclFile[] = [];
  for (const name of names) {
    const path = join(directory, name);
    const text = readFileSync(path, "utf8");
    files.push({ path, text, body: (await parse(name, text)) as HclBody });
  }
  return files;
}

const TWO_LABEL_KINDS = new Set(["resource", "data"]);

/** The labelled blocks of the files, of one kind (`variable`, `output`, `resource`, `data`, `module`, `provider`). */
export function blocksOf(files: readonly HclFile[], kind: string): HclBlock[] {
  const blocks: HclBlock[] = [];
  for (const file of files) {
    const byLabel = file.body[kind];
    if (!isObject(byLabel)) continue;
    for (const [label, value] of Object.entries(byLabel)) {
      if (TWO_LABEL_KINDS.has(kind) && isObject(value)) {
        for (const [name, bodies] of Object.entries(value)) {
          for (const body of Array.isArray(bodies) ? bodies : [bodies]) {
            if (isObject(body)) blocks.push({ kind, name: `${label}.${name}`, body, file: file.path });
          }
        }
        continue;
      }
      for (const body of Array.isArray(value) ? value : [value]) {
        if (isObject(body)) blocks.push({ kind, name: label, body, file: file.path });
      }
    }
  }
  return blocks;
}

/** The `locals` of the files, by name. */
export function localsOf(files: readonly HclFile[]): Map<string, HclValue> {
  const locals = new Map<string, HclValue>();
  for (const file of files) {
    const blocks = file.body.locals;
    for (const block of Array.isArray(blocks) ? blocks : []) {
      if (isObject(block)) for (const [name, value] of Object.entries(block)) locals.set(name, value);
    }
  }
  return locals;
}

/** Every string in a parsed value, with the names of the `dynamic` blocks around it (their iterators). */
function* stringsIn(
  value: HclValue,
  iterators: readonly string[] = [],
): Generator<[string, readonly string[]]> {
  if (typeof value === "string") {
    yield [value, iterators];
  } else if (Array.isArray(value)) {
    for (const item of value) yield* stringsIn(item, iterators);
  } else if (isObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (key === "dynamic" && isObject(item)) {
        for (const [label, body] of Object.entries(item)) yield* stringsIn(body, [...iterators, label]);
      } else {
        yield* stringsIn(item, iterators);
      }
    }
  }
}

/** A reference found in an expression: `var.name`, `aws_iam_role.this`, `module.runner.function_arn`... */
export interface HclReference {
  /** The traversal as the parser gives it, e.g. `aws_iam_role.this.0.arn`. */
  value: string;
  file: string;
}

const IMPLICIT_ROOTS = new Set(["each", "count", "path", "self", "terraform"]);

/** The references of every expression in the files, except to built-ins (`each`, `count`, `path`...) and iterators. */
export async function referencesOf(files: readonly HclFile[]): Promise<HclReference[]> {
  const references: HclReference[] = [];
  for (const file of files) {
    for (const [text, iterators] of stringsIn(file.body)) {
      if (!text.includes("${")) continue;
      for (const reference of await getReferencesInExpression(file.path, text)) {
        const [root = "", attribute] = reference.value.split(".");
        // A bare word is a type keyword (`string`, `number`...), never a reference to something declared.
        if (attribute === undefined || IMPLICIT_ROOTS.has(root) || iterators.includes(root)) continue;
        references.push({ value: reference.value, file: file.path });
      }
    }
  }
  return references;
}

/** The expression inside a `${...}` string, or undefined for a literal. */
export function expressionText(value: HclValue | undefined): string | undefined {
  if (typeof value !== "string") return undefined;
  const match = /^\$\{([\s\S]*)\}$/.exec(value);
  return match?.[1];
}
