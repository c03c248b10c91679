import { isAbsolute, relative, resolve } from "node:path";

/** True when `path` is `directory` or inside it (lexically; workspace paths hold no symlinks). */
export function isInside(path: string, directory: string): boolean {
  const rest = relative(directory, path);
  return rest === "" || (!rest.startsWith("..") && !isAbsolute(rest));
}

/** Resolves a path as terraform would (relative to its working directory; `~` is the run's HOME). */
export function resolveConfigPath(path: string, workingDirectory: string, homeDirectory: string): string {
  if (path === "~" || path.startsWith("~/")) return resolve(homeDirectory, path.slice(2));
  return resolve(workingDirectory, path);
}

/** The first of `paths` that lies in none of `allowed`, or undefined. */
export function firstPathOutside(
  paths: readonly string[],
  allowed: readonly string[],
  workingDirectory: string,
  homeDirectory: string,
): string | undefined {
  return paths.find((path) => {
    const resolved = resolveConfigPath(path, workingDirectory, homeDirectory);
    return !allowed.some((root) => isInside(resolved, root));
  });
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  a: "\x07",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
};

/**
 * The value of a quoted string's body as terraform reads it: HCL 1 (the CLI configuration) decodes Go's escapes
 * (`\x2f`, octal `\057`, `\u002f`, `\U0000002f`), HCL 2 and JSON a subset of them.
 */
export function decodeStringLiteral(body: string): string {
  return body.replace(
    /\\(x[0-9A-Fa-f]{2}|[0-7]{3}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)/g,
    (_match, sequence: string) => {
      const kind = sequence[0] as string;
      if (kind === "x" || kind === "u" || kind === "U") {
        const code = Number.parseInt(sequence.slice(1), 16);
        return code <= 0x10ffff ? String.fromCodePoint(code) : "";
      }
      if (sequence.length === 3) return String.fromCharCode(Number.parseInt(sequence, 8));
      return SIMPLE_ESCAPES[kind] ?? kind;
    },
  );
}

/** The values of the quoted strings in HCL or JSON text, decoded. */
function stringLiterals(text: string): string[] {
  return [...text.matchAll(/"((?:[^"\\\n]|\\.)*)"/g)].map((match) => decodeStringLiteral(match[1] ?? ""));
}

/** String literals in HCL or JSON text that look like file system paths (absolute, `~`, or with `..`). */
export function pathLikeStrings(text: string): string[] {
  return stringLiterals(text).filter(
    (value) => value.startsWith("/") || value.startsWith("~") || /(^|[/\\])\.\.([/\\]|$)/.test(value),
  );
}

/** Values of path-like attributes (`path`, `workspace_dir`, `*_file(s)`, `*_dir`, `*_path`...) in HCL or JSON text. */
export function pathAttributeValues(text: string): string[] {
  const found: string[] = [];
  const attribute = /["']?([A-Za-z_][A-Za-z0-9_-]*)["']?\s*[=:]\s*(\[[^\]]*\]|"(?:[^"\\\n]|\\.)*")/g;
  for (const match of text.matchAll(attribute)) {
    if (!isPathAttributeName(match[1] ?? "")) continue;
    found.push(...stringLiterals(match[2] ?? ""));
  }
  return found;
}

/** Backend attribute names whose values are file system paths. */
export function isPathAttributeName(name: string): boolean {
  return /^(path|workspace_dir|config_paths?|custom_ca_bundle)$|_(path|paths|dir|file|files)$/.test(name);
}
