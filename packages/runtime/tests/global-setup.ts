import { execFileSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/** The integration tests run the built bundle: (re)build it when it is missing or older than a source file. */
export default function setup(): void {
  const root = join(import.meta.dirname, "..");
  const bundle = join(root, "dist", "bootstrap.mjs");
  const built = statSync(bundle, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const sources = readdirSync(join(root, "src")).map((name) => statSync(join(root, "src", name)).mtimeMs);
  if (sources.some((mtime) => mtime > built)) {
    execFileSync("pnpm", ["exec", "tsup"], { cwd: root, stdio: "inherit" });
  }
}
