import { RUN_ERROR_TYPES } from "@tf-lambda/protocol";
import { RunRefusedError } from "./errors.js";
import { firstPathOutside, pathLikeStrings } from "./path-safety.js";

/** An HCL (version 1, which terraform's CLI configuration uses) expression for a JSON value. */
function hcl1Value(value: unknown, indent: string): string {
  if (value === null) return '""';
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) return `[${value.map((item) => hcl1Value(item, inner)).join(", ")}]`;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return "{}";
  return `{\n${entries.map(([key, item]) => `${inner}${JSON.stringify(key)} = ${hcl1Value(item, inner)}`).join("\n")}\n${indent}}`;
}

/**
 * Turns a JSON CLI configuration (the article's `tfconfig` is JSON) into HCL so that it can follow the image's
 * base configuration in one file: terraform reads one CLI configuration file and parses it either as HCL or as
 * JSON, never a mix. Returns undefined when the text is not a JSON object.
 */
export function cliConfigJsonToHcl(text: string): string | undefined {
  if (!text.trimStart().startsWith("{")) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  // keys quoted like every other string: a key cannot write lines of its own into the HCL
  return Object.entries(value)
    .map(([key, item]) => `${JSON.stringify(key)} = ${hcl1Value(item, "")}\n`)
    .join("");
}

/**
 * The run's CLI configuration: the image's base configuration, then the request's. Refuses (UnsafeConfiguration)
 * a request whose configuration names paths outside the workspace, the plugin cache and the base's own paths
 * (plugin_cache_dir, filesystem mirrors, dev_overrides...).
 *
 * @example
 * composeCliConfig({ base: 'plugin_cache_dir = "/tmp/cache"', request: '{"credentials": {}}', ... });
 */
export function composeCliConfig(input: {
  base: string | undefined;
  request: string | undefined;
  allowedRoots: readonly string[];
  workingDirectory: string;
  homeDirectory: string;
}): string {
  const request = input.request ?? "";
  const requestText = input.base ? (cliConfigJsonToHcl(request) ?? request) : request;
  const baseRoots = input.base ? pathLikeStrings(input.base).filter((path) => path.startsWith("/")) : [];
  const outside = firstPathOutside(
    [...pathLikeStrings(request), ...pathLikeStrings(requestText)],
    [...input.allowedRoots, ...baseRoots],
    input.workingDirectory,
    input.homeDirectory,
  );
  if (outside !== undefined) {
    throw new RunRefusedError(
      RUN_ERROR_TYPES.unsafeConfiguration,
      `the CLI configuration names the path ${JSON.stringify(outside)}, outside the run's workspace: only paths inside the workspace or the plugin cache are allowed`,
    );
  }
  if (!input.base) return request;
  return `${input.base.trimEnd()}\n\n# from the request\n${requestText}`;
}
