import type { SSTConfig } from "sst";
import { Stack } from "sst/constructs";
import { Api } from "./api.ts";
import { confineSstHandler } from "./logs.ts";
import { Queues } from "./queues.ts";
import { Realtime } from "./realtime.ts";
import { Schedule } from "./schedule.ts";
import { Secrets } from "./secrets.ts";
import { settings } from "./settings.ts";
import { Snapshots } from "./snapshots.ts";
import { Storage } from "./storage.ts";
import { Web, WebHosting } from "./web.ts";
import { Webhooks } from "./webhooks.ts";
import { Workers } from "./workers.ts";

/** The current Node.js runtime of Lambda: cdk-nag (AwsSolutions-L1) accepts no older one. */
const RUNTIME = "nodejs24.x";

/** sst.config.ts's two halves; see docs/DEPLOY.md. */
export const config: SSTConfig["config"] = (input) => ({
  name: "agentvine",
  region: input.region ?? process.env.AWS_REGION ?? "us-east-1",
});

export const stacks: SSTConfig["stacks"] = (app) => {
  const { production } = settings(app);
  // Each function is given its own log group (infra/logs.ts), which sets the retention.
  app.setDefaultFunctionProps({
    runtime: RUNTIME,
    architecture: "arm_64",
    memorySize: "512 MB",
    tracing: "disabled",
  });
  // Development stages leave nothing behind on `sst remove`; production keeps what CDK retains.
  if (!production) app.setDefaultRemovalPolicy("destroy");
  app
    .stack(Storage)
    .stack(Snapshots)
    .stack(Queues)
    .stack(Secrets)
    .stack(Realtime)
    .stack(WebHosting)
    .stack(Webhooks)
    .stack(Api)
    .stack(Workers)
    .stack(Schedule)
    .stack(Web);
  for (const stack of app.node.children)
    if (stack instanceof Stack) confineSstHandler(stack.customResourceHandler, RUNTIME);
};
