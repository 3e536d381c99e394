import { HELP, parseOptions } from "./options.ts";
import { startRuntime } from "./runtime.ts";

/** `npm start`: the whole system locally. Ctrl-C or SIGTERM stops it, leaving nothing running. */
const started = performance.now();
const options = parseOptions(process.argv.slice(2), process.env);
if (options === "help") {
  console.log(HELP);
  process.exit(0);
}
const runtime = await startRuntime(options);
console.log(`
AgentVine is running (ready in ${((performance.now() - started) / 1000).toFixed(1)} s)
  Open:        ${runtime.url}#token=${encodeURIComponent(runtime.adminToken)}
  API docs:    ${runtime.url}docs
  Admin token: ${runtime.adminToken}
`);

let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: stopping...`);
  await runtime.stop();
  process.exit(0);
};
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
