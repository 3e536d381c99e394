import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

/**
 * `npm run dev`: Vite on :5173 with the API proxied to a running `npm start` (default
 * http://127.0.0.1:8787; set AGENTVINE_API_URL to point elsewhere). The Host header is kept, so
 * the WebSocket URL the API hands out (POST /api/v1/ws-ticket) goes through this proxy too.
 */
const api = process.env.AGENTVINE_API_URL ?? "http://127.0.0.1:8787";

export default defineConfig({
  plugins: [react()],
  server: {
    port: 5173,
    proxy: {
      "/api": { target: api, ws: true },
      "/openapi.json": api,
      "/docs": api,
      "/healthz": api,
    },
  },
  build: {
    outDir: "dist",
    sourcemap: true,
    target: "es2022",
    // The libraries in a chunk of their own: it changes only when they do, so a browser keeps it
    // across releases of the app.
    rolldownOptions: { output: { codeSplitting: { groups: [{ name: "vendor", test: /node_modules/ }] } } },
  },
});
