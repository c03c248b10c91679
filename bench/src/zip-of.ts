import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { packDirectory } from "@tf-lambda/client";

/** A zip of name -> text files, made by the client's packDirectory (as a caller's code would be). */
export async function zipOf(files: Readonly<Record<string, string>>): Promise<Uint8Array> {
  const directory = mkdtempSync(join(tmpdir(), "tf-lambda-bench-code-"));
  try {
    return (await packDirectory(directory, { extraFiles: files })).bytes;
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
