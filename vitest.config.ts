import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    globalSetup: ["test/global-setup.ts"],
    include: [
      "core/src/**/*.test.ts",
      "functions/src/**/*.test.ts",
      "local/src/**/*.test.ts",
      "test/**/*.test.ts",
    ],
    testTimeout: 30000,
    hookTimeout: 60000,
  },
});
