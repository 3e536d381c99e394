import type { SSTConfig } from "sst";
import { Api } from "./api.ts";
import { Queues } from "./queues.ts";
import { Realtime } from "./realtime.ts";
import { Schedule } from "./schedule.ts";
import { Secrets } from "./secrets.ts";
import { settings } from "./settings.ts";
import { Storage } from "./storage.ts";
import { Web, WebHosting } from "./web.ts";
import { Workers } from "./workers.ts";

/** sst.config.ts's two halves; see docs/DEPLOY.md. */
export const config: SSTConfig["config"] = (input) => ({
  name: "agentvine",
  region: input.region ?? process.env.AWS_REGION ?? "us-east-1",
});

export const stacks: SSTConfig["stacks"] = (app) => {
  const { production, logRetention } = settings(app);
  app.setDefaultFunctionProps({
    runtime: "nodejs22.x",
    architecture: "arm_64",
    memorySize: "512 MB",
    logRetention,
    tracing: "disabled",
  });
  // Development stages leave nothing behind on `sst remove`; production keeps what CDK retains.
  if (!production) app.setDefaultRemovalPolicy("destroy");
  app
    .stack(Storage)
    .stack(Queues)
    .stack(Secrets)
    .stack(Realtime)
    .stack(WebHosting)
    .stack(Api)
    .stack(Workers)
    .stack(Schedule)
    .stack(Web);
};
