import "./sdk-notice.ts";
import { configureLog, log } from "@agentvine/core/log";
import { HELP, parseOptions } from "./options.ts";
import { startRuntime } from "./runtime.ts";
import { StartupError } from "./startup-error.ts";

/** A start-up failure the person can fix is said in their words and ends the process; a bug keeps its stack. */
const exitOnStartupError = (err: unknown): never => {
  if (!(err instanceof StartupError)) throw err;
  console.error(err.message);
  process.exit(err.exitCode);
};

/** `npm start`: the whole system locally. Ctrl-C or SIGTERM stops it, leaving nothing running. */
const started = performance.now();
const seconds = () => ((performance.now() - started) / 1000).toFixed(1);
const options = (() => {
  try {
    return parseOptions(process.argv.slice(2), process.env);
  } catch (err) {
    return exitOnStartupError(err);
  }
})();
if (options === "help") {
  console.log(HELP);
  process.exit(0);
}
configureLog({ service: "runtime", level: options.logLevel });
const runtime = await startRuntime(options, (msg) => log.info(msg), {
  onListening: (url) => console.log(`Listening on ${url} after ${seconds()} s; starting...`),
}).catch(exitOnStartupError);
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
