import "./sdk-notice.ts";
import { configureLog, log } from "@agentvine/core/log";
import { DataDirInUse } from "./data-dir-lock.ts";
import { HELP, parseOptions } from "./options.ts";
import { startRuntime } from "./runtime.ts";

/** `npm start`: the whole system locally. Ctrl-C or SIGTERM stops it, leaving nothing running. */
const started = performance.now();
const seconds = () => ((performance.now() - started) / 1000).toFixed(1);
const options = parseOptions(process.argv.slice(2), process.env);
if (options === "help") {
  console.log(HELP);
  process.exit(0);
}
configureLog({ service: "runtime", level: options.logLevel });
const runtime = await startRuntime(options, (msg) => log.info(msg), {
  onListening: (url) => console.log(`Listening on ${url} after ${seconds()} s; starting...`),
}).catch((err: unknown) => {
  if (!(err instanceof DataDirInUse)) throw err;
  console.error(err.message);
  process.exit(1);
});
console.log(`
AgentVine is running (ready in ${seconds()} s)
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
