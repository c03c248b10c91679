import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "runtime",
    include: ["tests/**/*.test.ts"],
    globalSetup: ["tests/global-setup.ts"],
    testTimeout: 180_000,
    hookTimeout: 120_000,
  },
});
