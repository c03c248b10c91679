import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ARCHIVE_LIMITS } from "@tf-lambda/protocol";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RunRefusedError } from "../../src/errors.js";
import { type ArchiveLimits, extractZip } from "../../src/extract-zip.js";
import { buildZip, zipOf } from "../support/zip-builder.js";

let parent: string;
let destination: string;

function listAll(directory: string): string[] {
  return readdirSync(directory, { recursive: true }).map(String).sort();
}

async function refusal(archive: Buffer, limits: ArchiveLimits = ARCHIVE_LIMITS): Promise<RunRefusedError> {
  const error = await extractZip(archive, destination, limits).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!RunRefusedError.isInstance(error)) throw new Error(`expected a refusal, got ${String(error)}`);
  return error;
}

beforeEach(() => {
  parent = mkdtempSync(join(tmpdir(), "tf-lambda-zip-"));
  destination = join(parent, "workspace", "code");
});
afterEach(() => rmSync(parent, { recursive: true, force: true }));

describe("extractZip", () => {
  it("extracts files and directories of a well-formed archive", async () => {
    const archive = zipOf({ "main.tf": "# main", "modules/": "", "modules/net/main.tf": "# net" });

    const { files } = await extractZip(archive, destination);

    expect(files).toBe(2);
    expect(readFileSync(join(destination, "modules", "net", "main.tf"), "utf8")).toBe("# net");
  });

  it("keeps the executable bit of a script", async () => {
    await extractZip(buildZip([{ name: "run.sh", data: "#!/bin/sh", mode: 0o100755 }]), destination);

    expect(statSync(join(destination, "run.sh")).mode & 0o111).not.toBe(0);
  });

  it.each([
    ["a '..' segment", "../escaped.tf", /'\.\.' segment/],
    ["a nested '..' segment", "modules/../../escaped.tf", /'\.\.' segment/],
    ["an absolute path", "/tmp/escaped.tf", /absolute path/],
    ["a backslash", "..\\escaped.tf", /backslash/],
    ["a drive letter", "C:/escaped.tf", /drive letter/],
    ["a control character", "main\u0000.tf", /control character/],
  ])("refuses an entry with %s and writes nothing outside", async (_what, name, message) => {
    const error = await refusal(
      buildZip([
        { name: "ok.tf", data: "ok" },
        { name, data: "evil" },
      ]),
    );

    expect(error.type).toBe("UnsafeArchive");
    expect(error.message).toMatch(message);
    expect(listAll(parent)).not.toContain("escaped.tf");
  });

  it("refuses a symbolic link entry", async () => {
    const error = await refusal(buildZip([{ name: "link", data: "/etc/passwd", mode: 0o120777 }]));

    expect(error.message).toMatch(/symbolic link/);
  });

  it("refuses a device file entry", async () => {
    const error = await refusal(buildZip([{ name: "tty", data: "", mode: 0o020644 }]));

    expect(error.message).toMatch(/device or special file/);
  });

  it("refuses more entries than the limit", async () => {
    const archive = zipOf({ "a.tf": "", "b.tf": "", "c.tf": "" });

    const error = await refusal(archive, { ...ARCHIVE_LIMITS, maxEntries: 2 });

    expect(error.message).toMatch(/3 entries; at most 2/);
  });

  it("refuses an archive that expands past the byte limit", async () => {
    const archive = zipOf({ "a.tf": "x".repeat(600), "b.tf": "y".repeat(600) });

    const error = await refusal(archive, { ...ARCHIVE_LIMITS, maxUncompressedBytes: 1_000 });

    expect(error.message).toMatch(/more than 1000 bytes/);
  });

  it("refuses a bomb-like compression ratio", async () => {
    const archive = buildZip([{ name: "bomb.tf", data: Buffer.alloc(4 * 1024 * 1024) }]);

    const error = await refusal(archive);

    expect(error.message).toMatch(/zip bomb/);
    expect(listAll(destination).length === 0 || !listAll(parent).includes("bomb.tf")).toBe(true);
  });

  it("refuses an entry that inflates past the size it declares", async () => {
    const archive = buildZip([{ name: "liar.tf", data: "x".repeat(5_000), declaredSize: 10 }]);

    const error = await refusal(archive);

    expect(error.type).toBe("UnsafeArchive");
  });

  it("refuses a path nested deeper than the limit", async () => {
    const error = await refusal(zipOf({ "a/b/c/d.tf": "" }), { ...ARCHIVE_LIMITS, maxPathDepth: 3 });

    expect(error.message).toMatch(/deeper than 3/);
  });

  it("refuses a name that is not UTF-8", async () => {
    const error = await refusal(buildZip([{ name: Buffer.from([0x6d, 0xe9, 0x2e, 0x74, 0x66]), data: "" }]));

    expect(error.message).toMatch(/not valid UTF-8/);
  });

  it("refuses an entry that appears twice instead of overwriting the first", async () => {
    const archive = buildZip([
      { name: "main.tf", data: "first" },
      { name: "main.tf", data: "second" },
    ]);

    const error = await refusal(archive);

    expect(error.message).toMatch(/appears twice/);
    expect(readFileSync(join(destination, "main.tf"), "utf8")).toBe("first");
  });

  it("refuses bytes that are not a zip archive", async () => {
    const error = await refusal(Buffer.from("definitely not a zip"));

    expect(error.message).toMatch(/not a valid zip archive/);
  });
});
