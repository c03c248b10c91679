import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { LocalRunnerError } from "../errors.js";

/**
 * The path of the runtime bundle (`@tf-lambda/runtime`'s `dist/bootstrap.mjs`), the same file the Lambda image
 * runs. Throws {@link LocalRunnerError} when the package is missing or not built.
 *
 * @example
 * const bootstrap = runtimeBundlePath(); // ".../node_modules/@tf-lambda/runtime/dist/bootstrap.mjs"
 */
export function runtimeBundlePath(): string {
  let packageJson: string;
  try {
    packageJson = createRequire(import.meta.url).resolve("@tf-lambda/runtime/package.json");
  } catch (error) {
    throw new LocalRunnerError("the @tf-lambda/runtime package is not installed beside @tf-lambda/client", {
      cause: error,
    });
  }
  const bundle = join(dirname(packageJson), "dist", "bootstrap.mjs");
  if (!existsSync(bundle)) {
    throw new LocalRunnerError(
      `the runtime bundle ${bundle} does not exist: build it with \`pnpm --filter @tf-lambda/runtime build\``,
    );
  }
  return bundle;
}
