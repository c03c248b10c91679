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

/** String literals in HCL or JSON text that look like file system paths (absolute, `~`, or with `..`). */
export function pathLikeStrings(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/"((?:[^"\\\n]|\\.)*)"/g)) {
    const value = (match[1] ?? "").replace(/\\(.)/g, "$1");
    if (value.startsWith("/") || value.startsWith("~") || /(^|[/\\])\.\.([/\\]|$)/.test(value))
      found.push(value);
  }
  return found;
}

/** Values of path-like attributes (`path`, `workspace_dir`, `*_file(s)`, `*_dir`, `*_path`...) in HCL or JSON text. */
export function pathAttributeValues(text: string): string[] {
  const found: string[] = [];
  const attribute = /["']?([A-Za-z_][A-Za-z0-9_-]*)["']?\s*[=:]\s*(\[[^\]]*\]|"(?:[^"\\\n]|\\.)*")/g;
  for (const match of text.matchAll(attribute)) {
    if (!isPathAttributeName(match[1] ?? "")) continue;
    for (const value of (match[2] ?? "").matchAll(/"((?:[^"\\\n]|\\.)*)"/g)) {
      found.push((value[1] ?? "").replace(/\\(.)/g, "$1"));
    }
  }
  return found;
}

/** Backend attribute names whose values are file system paths. */
export function isPathAttributeName(name: string): boolean {
  return /^(path|workspace_dir|config_paths?|custom_ca_bundle)$|_(path|paths|dir|file|files)$/.test(name);
}
