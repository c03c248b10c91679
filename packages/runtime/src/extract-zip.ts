import { constants } from "node:fs";
import { mkdir, open } from "node:fs/promises";
import { join } from "node:path";
import { ARCHIVE_LIMITS, RUN_ERROR_TYPES } from "@tf-lambda/protocol";
import yauzl from "yauzl";
import { RunRefusedError } from "./errors.js";

export type ArchiveLimits = { [Name in keyof typeof ARCHIVE_LIMITS]: number };

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
/** Version-made-by hosts whose external attributes carry Unix mode bits (Unix, macOS). */
const UNIX_HOSTS = new Set([3, 19]);

function refuse(message: string, cause?: unknown): RunRefusedError {
  return new RunRefusedError(
    RUN_ERROR_TYPES.unsafeArchive,
    `the code archive was refused: ${message}`,
    cause === undefined ? undefined : { cause },
  );
}

/** File-system errors that say nothing about the archive: the disk or the system ran out of room. */
const CAPACITY_ERRORS = new Set(["ENOSPC", "EDQUOT", "EIO", "EROFS", "EMFILE", "ENFILE", "ENOMEM"]);

/**
 * The error for a failed write: a capacity fault passes through as a plain error (the run then fails as
 * WorkspaceUnavailable, since a full /tmp is not the archive's fault); anything else refuses the archive.
 */
function writeFailure(message: string, error: unknown): Error {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code && CAPACITY_ERRORS.has(code)) {
    return new Error(`no room to unpack the code: ${message} (${(error as Error).message})`, {
      cause: error,
    });
  }
  return refuse(`${message} (${code ?? (error as Error)?.message})`, error);
}

function decodeName(entry: yauzl.Entry): string {
  // decodeStrings is off, so the name is the raw bytes. A name not flagged UTF-8 is accepted only when it is
  // valid UTF-8 anyway (CP437 names outside ASCII are ambiguous and refused).
  const raw = entry.fileName as unknown as Buffer;
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(raw);
  } catch {
    throw refuse("an entry name is not valid UTF-8");
  }
}

/** The safe relative path of an entry, or throws why it is not. Returns segments (a trailing '/' marks a directory). */
export function checkEntryPath(
  name: string,
  limits: ArchiveLimits,
): { segments: string[]; directory: boolean } {
  const shown = JSON.stringify(name);
  if (name === "") throw refuse("an entry has an empty name");
  if (Buffer.byteLength(name) > limits.maxPathLength) {
    throw refuse(`entry ${shown.slice(0, 80)}... is longer than ${limits.maxPathLength} bytes`);
  }
  if ([...name].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f)) {
    throw refuse(`entry ${shown} has a control character in its name`);
  }
  if (name.includes("\\")) throw refuse(`entry ${shown} has a backslash in its name`);
  if (name.startsWith("/")) throw refuse(`entry ${shown} is an absolute path`);
  if (/^[A-Za-z]:/.test(name)) throw refuse(`entry ${shown} starts with a drive letter`);
  const directory = name.endsWith("/");
  const segments = (directory ? name.slice(0, -1) : name).split("/").filter((segment, index) => {
    return !(segment === "." && index === 0);
  });
  if (segments.length === 0) throw refuse(`entry ${shown} names no file`);
  for (const segment of segments) {
    if (segment === "..") throw refuse(`entry ${shown} has a '..' segment (it would escape the workspace)`);
    if (segment === "" || segment === ".") throw refuse(`entry ${shown} has an empty or '.' segment`);
  }
  if (segments.length > limits.maxPathDepth) {
    throw refuse(`entry ${shown} is nested deeper than ${limits.maxPathDepth} directories`);
  }
  return { segments, directory };
}

function entryKind(entry: yauzl.Entry, name: string, directory: boolean): "file" | "directory" {
  const host = entry.versionMadeBy >> 8;
  const mode = (entry.externalFileAttributes >>> 16) & 0xffff;
  if (UNIX_HOSTS.has(host) && mode !== 0) {
    const type = mode & S_IFMT;
    if (type === S_IFLNK) throw refuse(`entry ${JSON.stringify(name)} is a symbolic link`);
    if (type === S_IFDIR) return "directory";
    if (type !== S_IFREG && type !== 0) {
      throw refuse(`entry ${JSON.stringify(name)} is a device or special file`);
    }
  }
  return directory ? "directory" : "file";
}

function executable(entry: yauzl.Entry): boolean {
  const host = entry.versionMadeBy >> 8;
  return UNIX_HOSTS.has(host) && ((entry.externalFileAttributes >>> 16) & 0o111) !== 0;
}

function openZip(buffer: Buffer): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(
      buffer,
      { lazyEntries: true, decodeStrings: false, validateEntrySizes: true, strictFileNames: false },
      (error, zipfile) =>
        error || !zipfile
          ? reject(refuse(`it is not a valid zip archive (${error?.message})`, error))
          : resolve(zipfile),
    );
  });
}

function openEntryStream(zipfile: yauzl.ZipFile, entry: yauzl.Entry): Promise<NodeJS.ReadableStream> {
  return new Promise((resolve, reject) => {
    zipfile.openReadStream(entry, (error, stream) =>
      error || !stream
        ? reject(refuse(`an entry cannot be read (${error?.message})`, error))
        : resolve(stream),
    );
  });
}

/**
 * Extracts a zip archive into `destination` (an empty directory), refusing anything unsafe: absolute paths,
 * `..` segments, backslashes, symlinks, device files, too many entries or bytes, bomb-like ratios, too deep or
 * long paths, names that are not UTF-8. Files are created exclusively (never through an existing file or
 * symlink), so nothing is written outside `destination`. Throws RunRefusedError (UnsafeArchive).
 *
 * @example
 * const { files, bytes } = await extractZip(zipBytes, "/tmp/tf-lambda-x/code");
 */
export async function extractZip(
  archive: Uint8Array,
  destination: string,
  limits: ArchiveLimits = ARCHIVE_LIMITS,
): Promise<{ files: number; bytes: number }> {
  const buffer = Buffer.from(archive.buffer, archive.byteOffset, archive.byteLength);
  await mkdir(destination, { recursive: true, mode: 0o755 });
  const zipfile = await openZip(buffer);
  if (zipfile.entryCount > limits.maxEntries) {
    zipfile.close();
    throw refuse(`it has ${zipfile.entryCount} entries; at most ${limits.maxEntries}`);
  }
  let files = 0;
  let totalBytes = 0;
  try {
    for (;;) {
      const entry = await new Promise<yauzl.Entry | undefined>((resolve, reject) => {
        const onEntry = (next: yauzl.Entry) => {
          zipfile.off("end", onEnd);
          zipfile.off("error", onError);
          resolve(next);
        };
        const onEnd = () => {
          zipfile.off("entry", onEntry);
          zipfile.off("error", onError);
          resolve(undefined);
        };
        const onError = (error: Error) => {
          zipfile.off("entry", onEntry);
          zipfile.off("end", onEnd);
          reject(refuse(error.message, error));
        };
        zipfile.once("entry", onEntry);
        zipfile.once("end", onEnd);
        zipfile.once("error", onError);
        zipfile.readEntry();
      });
      if (!entry) break;
      const name = decodeName(entry);
      const { segments, directory } = checkEntryPath(name, limits);
      const kind = entryKind(entry, name, directory);
      const target = join(destination, ...segments);
      if (kind === "directory") {
        await makeDirectory(target, name);
        continue;
      }
      if (entry.uncompressedSize > limits.maxEntryBytes) {
        throw refuse(
          `entry ${JSON.stringify(name)} is ${entry.uncompressedSize} bytes; at most ${limits.maxEntryBytes}`,
        );
      }
      totalBytes += entry.uncompressedSize;
      if (totalBytes > limits.maxUncompressedBytes) {
        throw refuse(`it expands to more than ${limits.maxUncompressedBytes} bytes`);
      }
      if (
        entry.uncompressedSize > limits.ratioCheckMinBytes &&
        entry.uncompressedSize / Math.max(1, entry.compressedSize) > limits.maxCompressionRatio
      ) {
        throw refuse(
          `entry ${JSON.stringify(name)} expands ${Math.round(entry.uncompressedSize / Math.max(1, entry.compressedSize))}x (a zip bomb?); at most ${limits.maxCompressionRatio}x`,
        );
      }
      if (segments.length > 1) await makeDirectory(join(destination, ...segments.slice(0, -1)), name);
      await writeEntry(zipfile, entry, target, name, executable(entry) ? 0o755 : 0o644);
      files += 1;
    }
  } finally {
    zipfile.close();
  }
  return { files, bytes: totalBytes };
}

async function makeDirectory(path: string, name: string): Promise<void> {
  try {
    await mkdir(path, { recursive: true, mode: 0o755 });
  } catch (error) {
    throw writeFailure(`entry ${JSON.stringify(name)} cannot be created`, error);
  }
}

async function writeEntry(
  zipfile: yauzl.ZipFile,
  entry: yauzl.Entry,
  target: string,
  name: string,
  mode: number,
) {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(
      target,
      constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
      mode,
    );
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") {
      throw refuse(`entry ${JSON.stringify(name)} appears twice`, error);
    }
    throw writeFailure(`entry ${JSON.stringify(name)} cannot be written`, error);
  }
  try {
    const stream = await openEntryStream(zipfile, entry);
    let written = 0;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      written += chunk.byteLength;
      if (written > entry.uncompressedSize)
        throw refuse(`entry ${JSON.stringify(name)} is larger than it declares`);
      await handle.write(chunk);
    }
  } catch (error) {
    if (RunRefusedError.isInstance(error)) throw error;
    if (CAPACITY_ERRORS.has((error as NodeJS.ErrnoException)?.code ?? "")) {
      throw writeFailure(`entry ${JSON.stringify(name)} does not fit`, error);
    }
    throw refuse(`entry ${JSON.stringify(name)} is corrupt (${(error as Error).message})`, error);
  } finally {
    await handle.close();
  }
}
