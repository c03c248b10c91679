import { execFileSync } from "node:child_process";
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  truncateSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import JSZip from "jszip";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PackError, packDirectory } from "../../src/index.js";

let root: string;

function write(path: string, content: string | Buffer = "x") {
  const full = join(root, path);
  mkdirSync(join(full, ".."), { recursive: true });
  writeFileSync(full, content);
}

async function entriesOf(bytes: Uint8Array): Promise<string[]> {
  const zip = await JSZip.loadAsync(bytes);
  return Object.values(zip.files)
    .filter((file) => !file.dir)
    .map((file) => file.name);
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "tf-lambda-pack-"));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("packDirectory", () => {
  it("gives identical bytes for the same tree packed twice", async () => {
    write("main.tf", 'resource "terraform_data" "a" {}\n');
    write("modules/net/main.tf", "# net\n");

    const [first, second] = [await packDirectory(root), await packDirectory(root)];

    expect(Buffer.compare(first.bytes, second.bytes)).toBe(0);
    expect(first.sha256).toBe(second.sha256);
  });

  it("gives identical bytes after the files' timestamps change", async () => {
    write("main.tf", "a\n");
    write("z/b.tf", "b\n");
    const before = await packDirectory(root);

    utimesSync(join(root, "main.tf"), new Date(2030, 1, 1), new Date(2030, 1, 1));
    utimesSync(join(root, "z/b.tf"), new Date(2001, 1, 1), new Date(2001, 1, 1));
    const after = await packDirectory(root);

    expect(after.sha256).toBe(before.sha256);
  });

  it("gives identical bytes for trees created in a different order", async () => {
    write("b.tf", "b");
    write("a.tf", "a");
    const first = await packDirectory(root);
    rmSync(root, { recursive: true });
    mkdirSync(root);
    write("a.tf", "a");
    write("b.tf", "b");

    const second = await packDirectory(root);

    expect(second.sha256).toBe(first.sha256);
  });

  it("stores entries sorted by path bytes, with forward slashes and no directory entries", async () => {
    write("z.tf");
    write("a/b/c.tf");
    write("a.tf");

    const packed = await packDirectory(root);

    expect(await entriesOf(packed.bytes)).toEqual(["a.tf", "a/b/c.tf", "z.tf"]);
    expect(packed.fileCount).toBe(3);
  });

  it("normalizes modes to 0755 for executables and 0644 for the rest, with one fixed timestamp", async () => {
    write("run.sh", "#!/bin/sh\n");
    chmodSync(join(root, "run.sh"), 0o700);
    write("main.tf");
    chmodSync(join(root, "main.tf"), 0o600);

    const zip = await JSZip.loadAsync((await packDirectory(root)).bytes);

    expect(zip.files["run.sh"]?.unixPermissions).toBe(0o100755);
    expect(zip.files["main.tf"]?.unixPermissions).toBe(0o100644);
    expect(zip.files["main.tf"]?.date.getUTCFullYear()).toBeLessThanOrEqual(1980);
  });

  it("round-trips file contents through a standard unzip", async () => {
    const content = "line\n".repeat(1_000);
    write("main.tf", content);
    write("bin.dat", Buffer.from([0, 1, 2, 255]));

    const zip = await JSZip.loadAsync((await packDirectory(root)).bytes);

    expect(await zip.file("main.tf")?.async("string")).toBe(content);
    expect([...((await zip.file("bin.dat")?.async("uint8array")) ?? [])]).toEqual([0, 1, 2, 255]);
  });

  it("deflates a tree large enough to use several cores into the bytes a one-by-one deflate gives", async () => {
    const files = Array.from({ length: 24 }, (_, index) => `file ${index}\n`.repeat(40_000 + index * 997));
    for (const [index, content] of files.entries()) write(`modules/m${index}/main.tf`, content);

    const packed = await packDirectory(root);
    const zip = await JSZip.loadAsync(packed.bytes);

    expect(files.join("").length).toBeGreaterThan(4 * 1024 * 1024);
    for (const [index, content] of files.entries()) {
      expect(await zip.file(`modules/m${index}/main.tf`)?.async("string")).toBe(content);
    }
    const sequential = await import("node:zlib").then(({ deflateRawSync }) =>
      files.map((content) => deflateRawSync(Buffer.from(content), { level: 6 }).length),
    );
    const compressedSizes = files.map((_, index) => {
      const entry = zip.file(`modules/m${index}/main.tf`) as unknown as { _data: { compressedSize: number } };
      return entry._data.compressedSize;
    });
    expect(compressedSizes).toEqual(sequential);
  });

  it("leaves out terraform's working data, state, plan files, .git and the local runner's state", async () => {
    write("main.tf");
    for (const path of [
      ".terraform/providers/x",
      "terraform.tfstate",
      "terraform.tfstate.backup",
      "prod.tfplan",
      ".git/HEAD",
      "crash.log",
      ".tf-lambda/state/terraform.tfstate",
    ]) {
      write(path);
    }

    expect(await entriesOf((await packDirectory(root)).bytes)).toEqual(["main.tf"]);
  });

  it("honours .terraformignore and the exclude option", async () => {
    write("main.tf");
    write(".terraformignore", "docs/\n*.md\n");
    write("docs/a.txt");
    write("README.md");
    write("big.bin");

    const packed = await packDirectory(root, { exclude: ["*.bin"] });

    expect(await entriesOf(packed.bytes)).toEqual([".terraformignore", "main.tf"]);
  });

  it("adds extra files by path", async () => {
    write("main.tf");

    const packed = await packDirectory(root, { extraFiles: { "x.auto.tfvars": 'a = "b"\n' } });

    expect(await entriesOf(packed.bytes)).toEqual(["main.tf", "x.auto.tfvars"]);
  });

  it("refuses a symbolic link that leaves the tree", async () => {
    write("main.tf");
    symlinkSync("/etc/passwd", join(root, "passwd.tf"));

    await expect(packDirectory(root)).rejects.toThrow(/outside the packed directory/);
  });

  it("refuses a symbolic link to a directory outside the tree", async () => {
    symlinkSync(tmpdir(), join(root, "outside"));

    await expect(packDirectory(root)).rejects.toBeInstanceOf(PackError);
  });

  it("follows a symbolic link inside the tree and stores the target's content", async () => {
    write("shared/common.tf", "# common\n");
    symlinkSync("shared/common.tf", join(root, "common.tf"));

    const zip = await JSZip.loadAsync((await packDirectory(root)).bytes);

    expect(await zip.file("common.tf")?.async("string")).toBe("# common\n");
  });

  it("refuses a symbolic link cycle", async () => {
    write("a/main.tf");
    symlinkSync("..", join(root, "a", "loop"));

    await expect(packDirectory(root)).rejects.toThrow(/cycle/);
  });

  it("refuses a special file", async () => {
    write("main.tf");
    execFileSync("mkfifo", [join(root, "pipe")]);

    await expect(packDirectory(root)).rejects.toThrow(/special file/);
  });

  it("refuses a file larger than the runtime accepts, naming it", async () => {
    write("huge.bin");
    truncateSync(join(root, "huge.bin"), 300 * 1024 * 1024);

    const error = await packDirectory(root).catch((caught: unknown) => caught);

    expect(PackError.isInstance(error) && error.path).toBe("huge.bin");
  });

  it("refuses a path that is not a directory", async () => {
    write("main.tf");

    await expect(packDirectory(join(root, "main.tf"))).rejects.toBeInstanceOf(PackError);
  });

  it.each([
    ["a backslash", "modules\\net.tf", /backslash/],
    ["a newline", "new\nline.tf", /control character/],
  ])("refuses a file name with %s, which the runtime would refuse", async (_, name, message) => {
    write("main.tf");
    write(name);

    await expect(packDirectory(root)).rejects.toThrow(message);
  });

  it("leaves such a name out without complaint when it is excluded", async () => {
    write("main.tf");
    write("new\nline.tf");

    const packed = await packDirectory(root, { exclude: ["new*"] });

    expect(await entriesOf(packed.bytes)).toEqual(["main.tf"]);
  });

  it("refuses a tree nested deeper than the runtime accepts", async () => {
    write(`${Array.from({ length: 70 }, () => "d").join("/")}/main.tf`);

    await expect(packDirectory(root)).rejects.toThrow(/deeper than 64/);
  });

  it("stops at the entry limit while walking a tree whose links multiply its files", async () => {
    write("d0/main.tf");
    for (let level = 1; level <= 22; level += 1) {
      mkdirSync(join(root, `d${level}`));
      symlinkSync(`../d${level - 1}`, join(root, `d${level}`, "a"));
      symlinkSync(`../d${level - 1}`, join(root, `d${level}`, "b"));
    }

    await expect(packDirectory(root)).rejects.toThrow(/more than the runtime accepts \(20000\)/);
  });

  it("reports a name the file system cannot give back as a PackError", async () => {
    write("main.tf");
    writeFileSync(Buffer.concat([Buffer.from(`${root}/`), Buffer.from([0xff, 0x2e, 0x74, 0x66])]), "x");

    await expect(packDirectory(root)).rejects.toBeInstanceOf(PackError);
  });
});
