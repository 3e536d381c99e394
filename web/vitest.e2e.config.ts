import { defineConfig } from "vitest/config";

/**
 * The browser end-to-end test (real Chromium via playwright-core against `npm start`). Not part
 * of `npm test`: run it with `npm run test:e2e`.
 */
export default defineConfig({
  test: {
    name: "web-e2e",
    root: import.meta.dirname,
    include: ["e2e/**/*.test.ts"],
    testTimeout: 240_000,
    hookTimeout: 240_000,
    fileParallelism: false,
  },
});
