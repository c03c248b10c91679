import { defineConfig } from "vitest/config";

/** One vitest project per package (and one for the test toolchain); each says how its own tests run. */
export default defineConfig({
  test: {
    projects: ["packages/*", "testing"],
  },
});
