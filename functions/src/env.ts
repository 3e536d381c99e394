import { QueueUrlsJson } from "@agentvine/core/resources-schema";
import { z } from "zod";

/**
 * Configuration from the environment, parsed once. The only reader of process.env in the
 * project's deployed code (the local runtime sets these same variables for itself).
 */

const Env = z.object({
  AGENTVINE_TABLE: z.string().min(1),
  /** JSON: { high: { url, dlqUrl }, normal: ..., low: ... } */
  AGENTVINE_QUEUE_URLS: QueueUrlsJson,
  /** The wss:// URL browsers and workers connect to. */
  AGENTVINE_WS_URL: z.string().min(1),
  /** The https:// endpoint of the WebSocket API's @connections API (its stage URL). */
  AGENTVINE_WS_MANAGEMENT_URL: z.url(),
  AGENTVINE_ECS_CLUSTER: z.string().optional(),
  AGENTVINE_ECS_SERVICE: z.string().optional(),
  AGENTVINE_ADMIN_TOKEN: z.string().min(16).optional(),
  AGENTVINE_WORKER_ENROLMENT_TOKEN: z.string().min(16).optional(),
  /** Where parked runs' snapshots are kept, as a folder (the S3 bucket supersedes it). */
  AGENTVINE_BLOB_DIR: z.string().min(1).default("/tmp/agentvine-blobs"),
  AWS_REGION: z.string().default("us-east-1"),
  AWS_ENDPOINT_URL: z.url().optional(),
});
export type Env = z.infer<typeof Env>;

/** The local runtime reads the domain settings through here, like the functions do. */
export { configFromEnv } from "@agentvine/core/config";

/** SST passes its secrets as SST_Secret_value_<NAME>; an explicit AGENTVINE_* variable wins. */
export const parseEnv = (env: Record<string, string | undefined>) =>
  Env.parse({
    ...env,
    AGENTVINE_ADMIN_TOKEN: env.AGENTVINE_ADMIN_TOKEN ?? env.SST_Secret_value_ADMIN_TOKEN,
    AGENTVINE_WORKER_ENROLMENT_TOKEN:
      env.AGENTVINE_WORKER_ENROLMENT_TOKEN ?? env.SST_Secret_value_WORKER_ENROLMENT_TOKEN,
  });
