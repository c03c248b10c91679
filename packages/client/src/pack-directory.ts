import { createHash } from "node:crypto";
import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { join, resolve, sep } from "node:path";
import { ARCHIVE_LIMITS } from "@tf-lambda/protocol";
import ignore, { type Ignore } from "ignore";
import { PackError } from "./errors.js";
import { writeDeterministicZip, type ZipEntry } from "./zip-writer.js";

/**
 * Left out of every archive unless `defaultExcludes: false`: terraform's working data, state, plan files, the
 * local runner's state directory and version control. `node_modules/` is kept: a configuration may zip a
 * Lambda function's dependencies with `archive_file`; add it to `exclude` when it is not needed.
 */
export const DEFAULT_EXCLUDES: readonly string[] = [
  ".terraform/",
  "*.tfstate",
  "*.tfstate.*",
  ".git/",
  "crash.log",
  "crash.*.log",
  "*.tfplan",
  ".tf-lambda/",
];

export interface PackOptions {
  /** More patterns to leave out, in `.gitignore` syntax (the same as `.terraformignore`). */
  exclude?: readonly string[];
  /** Apply {@link DEFAULT_EXCLUDES} (default true). */
  defaultExcludes?: boolean;
  /** Files to add (or replace) in the archive, by forward-slash path: e.g. a var file as `x.auto.tfvars`. */
  extraFiles?: Readonly<Record<string, Uint8Array | string>>;
}

export interface PackedDirectory {
  /** The zip archive. */
  bytes: Uint8Array;
  /** Lowercase hex SHA-256 of `bytes`. */
  sha256: string;
  fileCount: number;
  /** Size of the archive, bytes. */
  size: number;
  /** Sum of the files' sizes, bytes. */
  uncompressedSize: number;
}

interface FoundFile {
  path: string;
  absolutePath: string;
  executable: boolean;
  size: number;
}

/**
 * Packs a configuration directory into a deterministic zip: the same tree gives the same bytes and sha256
 * whatever the files' timestamps, owners or the order the file system lists them in.
 *
 * - entries sorted by path, forward slashes, one fixed timestamp (1980-01-01), modes 0644 or 0755 (any
 *   execute bit), no extra fields; empty directories are not stored;
 * - leaves out {@link DEFAULT_EXCLUDES}, the patterns in `.terraformignore` at the root, and `exclude`;
 * - a symbolic link is followed when its target is inside the directory (stored as the target's content, since
 *   the runtime refuses links in archives); a link that leaves the directory, a link cycle, or a special file
 *   (socket, FIFO, device) is refused with a {@link PackError};
 * - refuses files and trees over the runtime's {@link ARCHIVE_LIMITS} rather than sending an archive the
 *   runtime would reject, and names it would refuse (control characters such as a newline, backslashes, names
 *   that are not UTF-8, deeper than 64 directories); an excluded file is never checked;
 * - names are stored as the file system gives them, without Unicode normalization: `é` written as NFC and as
 *   NFD are two different names (and two different sha256s), as they are to terraform on Linux.
 *
 * Files are read and deflated with native zlib, spread over the cores (worker threads read their own files);
 * the share done on this thread holds the event loop while it runs.
 *
 * @example
 * const packed = await packDirectory("./infra", { exclude: ["docs/"] });
 * console.log(packed.fileCount, packed.size, packed.sha256);
 */
export async function packDirectory(dir: string, options: PackOptions = {}): Promise<PackedDirectory> {
  const root = realRoot(dir);
  const filter = ignore();
  if (options.defaultExcludes !== false) filter.add([...DEFAULT_EXCLUDES]);
  const ignoreFile = join(root, ".terraformignore");
  if (existsSync(ignoreFile)) filter.add(readFileSync(ignoreFile, "utf8"));
  if (options.exclude) filter.add([...options.exclude]);

  const found: FoundFile[] = [];
  try {
    walk(root, root, "", filter, found, [root]);
  } catch (error) {
    if (PackError.isInstance(error)) throw error;
    throw new PackError(`cannot read the tree: ${(error as Error).message}`, undefined, { cause: error });
  }
  const extra = Object.entries(options.extraFiles ?? {});
  const extraPaths = new Set(extra.map(([path]) => path));
  const files = found.filter((file) => !extraPaths.has(file.path));
  checkLimits(files);

  const entries: ZipEntry[] = files.map((file) => ({
    path: file.path,
    source: { file: file.absolutePath, size: file.size },
    executable: file.executable,
  }));
  for (const [path, data] of extra) {
    entries.push({
      path,
      source: { data: typeof data === "string" ? Buffer.from(data, "utf8") : data },
      executable: false,
    });
  }
  entries.sort((left, right) => compareStrings(left.path, right.path));

  let written: Awaited<ReturnType<typeof writeDeterministicZip>>;
  try {
    written = await writeDeterministicZip(entries);
  } catch (error) {
    throw new PackError((error as Error).message, undefined, { cause: error });
  }
  return {
    bytes: written.bytes,
    sha256: createHash("sha256").update(written.bytes).digest("hex"),
    fileCount: entries.length,
    size: written.bytes.length,
    uncompressedSize: written.uncompressedSize,
  };
}

function realRoot(dir: string): string {
  let root: string;
  try {
    root = realpathSync(resolve(dir));
  } catch (error) {
    throw new PackError(`cannot read the directory ${dir}: ${(error as Error).message}`, undefined, {
      cause: error,
    });
  }
  if (!statSync(root).isDirectory()) throw new PackError(`${dir} is not a directory`, undefined);
  return root;
}

function compareStrings(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

function isInside(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : `${root}${sep}`);
}

/** Walks `directory` (a real path inside root) whose archive prefix is `prefix`. `ancestors`: real paths above. */
function walk(
  root: string,
  directory: string,
  prefix: string,
  filter: Ignore,
  found: FoundFile[],
  ancestors: readonly string[],
): void {
  const names = readdirSync(directory).sort(compareStrings);
  for (const name of names) {
    const path = prefix ? `${prefix}/${name}` : name;
    let absolutePath = join(directory, name);
    let info = lstatSync(absolutePath);
    if (info.isSymbolicLink()) {
      if (filter.ignores(path)) continue;
      let target: string;
      try {
        target = realpathSync(absolutePath);
      } catch (error) {
        throw new PackError("is a symbolic link whose target does not exist", path, { cause: error });
      }
      if (!isInside(root, target)) {
        throw new PackError(
          `is a symbolic link to ${target}, outside the packed directory: copy the file in, or exclude the link`,
          path,
        );
      }
      absolutePath = target;
      info = statSync(target);
    }
    if (info.isDirectory()) {
      if (filter.ignores(`${path}/`)) continue;
      if (ancestors.includes(absolutePath)) {
        throw new PackError("is a symbolic link to one of its own parent directories (a cycle)", path);
      }
      walk(root, absolutePath, path, filter, found, [...ancestors, absolutePath]);
      continue;
    }
    if (filter.ignores(path)) continue;
    if (!info.isFile()) {
      throw new PackError("is a special file (socket, FIFO or device) and cannot be packed", path);
    }
    checkPath(path);
    found.push({ path, absolutePath, executable: (info.mode & 0o111) !== 0, size: info.size });
    // Links can multiply a small tree (each level linking twice to the one below): stop at the limit.
    if (found.length > ARCHIVE_LIMITS.maxEntries) {
      throw new PackError(
        `more than ${ARCHIVE_LIMITS.maxEntries} files is more than the runtime accepts (${ARCHIVE_LIMITS.maxEntries}): exclude some`,
        undefined,
      );
    }
  }
}

/**
 * Refuses here, with the path and a fix, a name the runtime's archive check would refuse there: control
 * characters, backslashes (a separator on Windows), names that are not valid UTF-8, too deep or too long.
 */
function checkPath(path: string): void {
  const fix = "rename it or exclude it";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is looked for
  if (/[\u0000-\u001f\u007f]/.test(path)) {
    throw new PackError(`has a control character in its name: ${fix}`, JSON.stringify(path));
  }
  if (path.includes("\\")) throw new PackError(`has a backslash in its name: ${fix}`, path);
  if (path.includes("\ufffd")) {
    throw new PackError(`has a name that is not valid UTF-8: ${fix}`, path);
  }
  if (path.split("/").length > ARCHIVE_LIMITS.maxPathDepth) {
    throw new PackError(`is nested deeper than ${ARCHIVE_LIMITS.maxPathDepth} directories: ${fix}`, path);
  }
  if (Buffer.byteLength(path) > ARCHIVE_LIMITS.maxPathLength) {
    throw new PackError(`is longer than ${ARCHIVE_LIMITS.maxPathLength} bytes: ${fix}`, path);
  }
}

function checkLimits(files: readonly FoundFile[]): void {
  if (files.length > ARCHIVE_LIMITS.maxEntries) {
    throw new PackError(
      `${files.length} files is more than the runtime accepts (${ARCHIVE_LIMITS.maxEntries}): exclude some`,
      undefined,
    );
  }
  let total = 0;
  for (const file of files) {
    if (file.size > ARCHIVE_LIMITS.maxEntryBytes) {
      throw new PackError(
        `is ${file.size} bytes, more than the runtime accepts for one file (${ARCHIVE_LIMITS.maxEntryBytes}): exclude it`,
        file.path,
      );
    }
    total += file.size;
  }
  if (total > ARCHIVE_LIMITS.maxUncompressedBytes) {
    throw new PackError(
      `the files add up to ${total} bytes, more than the runtime accepts (${ARCHIVE_LIMITS.maxUncompressedBytes}): exclude some`,
      undefined,
    );
  }
}
