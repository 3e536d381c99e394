import react from "@vitejs/plugin-react";
import { defineProject } from "vitest/config";

/** The web component tests: jsdom, no engines. The root vitest.config.ts lists this project. */
export default defineProject({
  plugins: [react()],
  test: {
    name: "web",
    root: import.meta.dirname,
    environment: "jsdom",
    include: ["src/**/*.test.tsx", "src/**/*.test.ts"],
    setupFiles: ["src/test/setup.ts"],
    // Stylesheets reach tests as empty strings, except these two: a test checks the badge colours' contrast.
    css: { include: [/\/styles\/(tokens|panels)\.css/] },
  },
});
