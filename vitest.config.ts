// The AWS SDK's notice for Node < 22 off (sdk-notice.ts says why), here and in every test process.
import "./local/src/sdk-notice.ts";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    globalSetup: ["test/global-setup.ts"],
    setupFiles: ["test/log-level.ts"],
    // Processes the tests start (runtimes, workers) log warnings and worse only; set it to
    // info or debug to read a failing test's story.
    env: { AGENTVINE_LOG_LEVEL: process.env.AGENTVINE_LOG_LEVEL ?? "warn" },
    testTimeout: 30000,
    hookTimeout: 60000,
    projects: [
      {
        extends: true,
        test: {
          name: "node",
          include: [
            "core/src/**/*.test.ts",
            "client/src/**/*.test.ts",
            "functions/src/**/*.test.ts",
            "local/src/**/*.test.ts",
            "workers/src/**/*.test.ts",
            "test/**/*.test.ts",
            "infra/**/*.test.ts",
          ],
        },
      },
      // The web UI's component tests (jsdom, no engines): web/vitest.config.ts.
      "web/vitest.config.ts",
    ],
  },
});
