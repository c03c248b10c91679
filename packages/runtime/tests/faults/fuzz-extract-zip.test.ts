import { lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { RUN_ERROR_TYPES } from "@tf-lambda/protocol";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RunRefusedError } from "../../src/errors.js";
import { extractZip } from "../../src/extract-zip.js";
import { buildZip, type ZipEntrySpec } from "../support/zip-builder.js";

// Property-based fuzzing of the archive extraction on hand-built hostile zips (the request side is fuzzed by
// packages/protocol/tests/unit/fuzz-normalize-request.test.ts). The oracle: an archive is either extracted entirely
// inside the destination, with regular files and directories only, or refused as UnsafeArchive; an entry with a
// '..' segment, a symlink, a device or a FIFO is never accepted.

const MODES = {
  file: 0o100644,
  executable: 0o100755,
  directory: 0o040755,
  symlink: 0o120777,
  characterDevice: 0o020644,
  fifo: 0o010644,
  none: 0,
} as const;
const FORBIDDEN_MODES = new Set<number>([MODES.symlink, MODES.characterDevice, MODES.fifo]);

const hostileSegment = fc.oneof(
  fc.constantFrom("..", ".", "", "~", "C:", "..\\x", " ", "a\u0000b", "\n", "🙂", "é"),
  fc.string({ minLength: 1, maxLength: 8 }),
);
const safeSegment = fc.stringMatching(/^[a-z0-9_-][a-z0-9_.-]{0,7}$/);
const segment = fc.oneof({ weight: 8, arbitrary: safeSegment }, { weight: 1, arbitrary: hostileSegment });
const rarely = fc.constantFrom(false, false, false, false, true);
const textName = fc
  .tuple(rarely, fc.array(segment, { minLength: 1, maxLength: 5 }), rarely)
  .map(
    ([absolute, segments, trailingSlash]) =>
      `${absolute ? "/" : ""}${segments.join("/")}${trailingSlash ? "/" : ""}`,
  );
const mode = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom(MODES.file, MODES.executable, MODES.none) },
  { weight: 2, arbitrary: fc.constant(MODES.directory) },
  { weight: 1, arbitrary: fc.constantFrom(MODES.symlink, MODES.characterDevice, MODES.fifo) },
);
const entry: fc.Arbitrary<ZipEntrySpec> = fc.record({
  name: fc.oneof(
    { weight: 20, arbitrary: textName },
    {
      weight: 1,
      arbitrary: fc.uint8Array({ minLength: 1, maxLength: 12 }).map((bytes) => Buffer.from(bytes)),
    },
  ),
  data: fc.string({ maxLength: 40 }),
  mode,
  store: fc.boolean(),
});

function nameOf(spec: ZipEntrySpec): string {
  return typeof spec.name === "string" ? spec.name : spec.name.toString("latin1");
}

/** Every path under `directory`, relative to `root`, with whether it is a symlink. */
function walk(root: string, directory = root): { path: string; symlink: boolean }[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    const info = lstatSync(path);
    const here = { path: relative(root, path), symlink: info.isSymbolicLink() };
    return info.isDirectory() ? [here, ...walk(root, path)] : [here];
  });
}

describe("extractZip under fuzzing", () => {
  let sandbox: string;

  beforeAll(() => {
    sandbox = mkdtempSync(join(tmpdir(), "tf-lambda-fuzz-zip-"));
  });
  afterAll(() => {
    rmSync(sandbox, { recursive: true, force: true });
  });

  it("extracts only inside the destination, or refuses as UnsafeArchive, and never accepts '..', links or devices", async () => {
    let run = 0;
    const outcomes = { extracted: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(entry, { minLength: 1, maxLength: 4 }), async (entries) => {
        run += 1;
        const root = join(sandbox, `run-${run}`);
        const destination = join(root, "deep", "workspace", "code");
        mkdirSync(join(root, "deep", "workspace"), { recursive: true });
        let refused: unknown;
        try {
          await extractZip(buildZip(entries), destination);
        } catch (error) {
          refused = error;
        }

        const outside = walk(root).filter(
          (item) =>
            !`${item.path}/`.startsWith("deep/workspace/code/") &&
            !["deep", "deep/workspace"].includes(item.path),
        );
        expect(outside).toEqual([]);
        expect(walk(root).filter((item) => item.symlink)).toEqual([]);
        outcomes[refused === undefined ? "extracted" : "refused"] += 1;
        if (refused !== undefined) {
          expect(RunRefusedError.isInstance(refused), String(refused)).toBe(true);
          if (RunRefusedError.isInstance(refused)) expect(refused.type).toBe(RUN_ERROR_TYPES.unsafeArchive);
        } else {
          for (const spec of entries) {
            expect(nameOf(spec).split("/")).not.toContain("..");
            expect(FORBIDDEN_MODES.has(spec.mode ?? MODES.file)).toBe(false);
          }
        }
        rmSync(root, { recursive: true, force: true });
      }),
      { numRuns: 400 },
    );

    // the generator reaches both sides of the oracle
    expect(outcomes.extracted).toBeGreaterThan(20);
    expect(outcomes.refused).toBeGreaterThan(20);
  });
});
