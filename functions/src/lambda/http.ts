import { hashSecret } from "@agentvine/core/ids";
import { handle } from "hono/aws-lambda";
import { createApp } from "../api/app.ts";
import { awsContext } from "../aws-context.ts";

const { env, ctx, ready } = awsContext();
const app = createApp(ctx, {
  ...(env.AGENTVINE_WORKER_ENROLMENT_TOKEN
    ? { enrolmentTokenHash: hashSecret(env.AGENTVINE_WORKER_ENROLMENT_TOKEN) }
    : {}),
  wsUrl: () => env.AGENTVINE_WS_URL,
});
const serve = handle(app);

/** The REST API behind API Gateway's HTTP API. */
export const handler: typeof serve = async (event, context) => {
  await ready;
  return serve(event, context);
};
