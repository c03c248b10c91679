import type { JsonValue } from "./json-value.js";
import { IDENTIFIER_PATTERN } from "./request.js";

/**
 * Renders values as HCL native syntax. One implementation, used by the client's builders and by the runtime,
 * so what a caller previews is what terraform reads.
 */

/** A block: `type "label" { attributes... blocks... }`. */
export interface HclBlock {
  type: string;
  labels?: readonly string[];
  attributes?: Readonly<Record<string, JsonValue | undefined>>;
  blocks?: readonly HclBlock[];
}

/**
 * A quoted HCL string literal. Escapes quotes, backslashes and control characters, and the template
 * introducers `${` and `%{` so that no value is ever evaluated as an expression.
 *
 * @example
 * renderHclString('a "b" ${c}'); // => "a \"b\" $${c}"
 */
export function renderHclString(value: string): string {
  let out = '"';
  for (let index = 0; index < value.length; index += 1) {
    const char = value[index] as string;
    const next = value[index + 1];
    switch (char) {
      case "\\":
        out += "\\\\";
        break;
      case '"':
        out += '\\"';
        break;
      case "\n":
        out += "\\n";
        break;
      case "\r":
        out += "\\r";
        break;
      case "\t":
        out += "\\t";
        break;
      case "$":
      case "%":
        out += next === "{" ? `${char}${char}` : char;
        break;
      default: {
        const code = char.charCodeAt(0);
        out += code < 0x20 || code === 0x7f ? `\\u${code.toString(16).padStart(4, "0")}` : char;
      }
    }
  }
  return `${out}"`;
}

/** An attribute or object key: bare when it is an identifier, quoted otherwise. */
function renderKey(key: string): string {
  return IDENTIFIER_PATTERN.test(key) ? key : renderHclString(key);
}

/** Any JSON value as an HCL expression. */
export function renderHclValue(value: JsonValue, indent = ""): string {
  if (value === null) return "null";
  if (typeof value === "string") return renderHclString(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new RangeError(`cannot render ${value} as HCL`);
    return String(value);
  }
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    return `[\n${value.map((item) => `${inner}${renderHclValue(item, inner)},`).join("\n")}\n${indent}]`;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return "{}";
  return `{\n${entries.map(([key, item]) => `${inner}${renderKey(key)} = ${renderHclValue(item, inner)}`).join("\n")}\n${indent}}`;
}

/** `name = value` lines for a body; attribute names must be identifiers. Undefined values are left out. */
export function renderHclAttributes(
  attributes: Readonly<Record<string, JsonValue | undefined>>,
  indent = "",
): string {
  const lines: string[] = [];
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined) continue;
    if (!IDENTIFIER_PATTERN.test(name))
      throw new RangeError(`${JSON.stringify(name)} is not a valid HCL attribute name`);
    lines.push(`${indent}${name} = ${renderHclValue(value, indent)}`);
  }
  return lines.length > 0 ? `${lines.join("\n")}\n` : "";
}

/** A block and everything in it. */
export function renderHclBlock(block: HclBlock, indent = ""): string {
  if (!IDENTIFIER_PATTERN.test(block.type))
    throw new RangeError(`${JSON.stringify(block.type)} is not a valid HCL block type`);
  const labels = (block.labels ?? []).map((label) => ` ${renderHclString(label)}`).join("");
  const inner = `${indent}  `;
  const attributes = renderHclAttributes(block.attributes ?? {}, inner);
  const blocks = (block.blocks ?? []).map((child) => renderHclBlock(child, inner)).join("");
  const body = attributes + blocks;
  return body === ""
    ? `${indent}${block.type}${labels} {}\n`
    : `${indent}${block.type}${labels} {\n${body}${indent}}\n`;
}

/**
 * A whole backend file: `terraform { backend "TYPE" { ... } }`.
 *
 * @example
 * renderBackendFile("s3", { bucket: "state", key: "prod.tfstate", region: "eu-west-1" });
 */
export function renderBackendFile(
  type: string,
  config: Readonly<Record<string, JsonValue | undefined>>,
): string {
  return renderHclBlock({
    type: "terraform",
    blocks: [{ type: "backend", labels: [type], attributes: config }],
  });
}

/** A partial backend configuration (`.tfbackend`): `key = value` lines for `-backend-config=FILE`. */
export function renderBackendConfig(config: Readonly<Record<string, JsonValue | undefined>>): string {
  return renderHclAttributes(config);
}
