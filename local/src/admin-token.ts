import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { newSecret } from "@agentvine/core/ids";

/**
 * The local bootstrap admin token: from AGENTVINE_ADMIN_TOKEN, else the one generated on the
 * first start. Only its hash is in the database, so the secret itself is kept (mode 600) in the
 * data dir to be printed again on later starts.
 */
export const localAdminToken = async (dataDir: string, fromEnv?: string) => {
  if (fromEnv) return fromEnv;
  const file = join(dataDir, "admin-token");
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  const token = newSecret("avt");
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, `${token}\n`, { mode: 0o600 });
  return token;
};
