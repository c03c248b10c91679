import { defineConfig } from "tsup";

/** One self-contained ESM file: the image copies it to /opt/tf-lambda/bootstrap.mjs and runs it with node. */
export default defineConfig({
  entry: { bootstrap: "src/bootstrap.ts" },
  format: ["esm"],
  outExtension: () => ({ js: ".mjs" }),
  platform: "node",
  target: "node20",
  bundle: true,
  noExternal: [/.*/],
  splitting: false,
  sourcemap: false,
  minify: true,
  clean: true,
  dts: false,
  // bundled CommonJS dependencies (yauzl) call require() for node built-ins: give the ESM bundle one
  banner: {
    js: '#!/usr/bin/env node\nimport { createRequire as __tfLambdaCreateRequire } from "node:module";\nconst require = __tfLambdaCreateRequire(import.meta.url);',
  },
});
