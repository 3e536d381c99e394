// The root's postinstall: installs infra/'s own dependencies. infra/ is a separate npm project,
// not a workspace, because SST 2 needs React 18 and web/ React 19. Skipped when
// infra/node_modules was installed after the last change of infra/package-lock.json, so that a
// root `npm install` does not reinstall SST every time.
import { execFileSync } from "node:child_process";
import { statSync } from "node:fs";

const infra = new URL(".", import.meta.url);
const mtime = (file) => statSync(new URL(file, infra), { throwIfNoEntry: false })?.mtimeMs ?? 0;

if (mtime("node_modules/.package-lock.json") < mtime("package-lock.json")) {
  // The npm that runs this script, or the one on the PATH when run by hand.
  const [command, ...args] = process.env.npm_execpath
    ? [process.execPath, process.env.npm_execpath]
    : ["npm"];
  execFileSync(command, [...args, "ci", "--no-audit", "--no-fund"], { cwd: infra, stdio: "inherit" });
}
