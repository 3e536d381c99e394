import { deferrals } from "@agentvine/core/after";
import { hashSecret } from "@agentvine/core/ids";
import { handle } from "hono/aws-lambda";
import { createApp } from "../api/app.ts";
import { awsContext } from "../aws-context.ts";

const { env, ctx, ready } = awsContext();
// Events and timeline lines are built after the answer, and awaited before it is returned:
// Lambda freezes the runtime once the handler returns, so nothing may be left running.
const background = deferrals();
const app = createApp(
  { ...ctx, after: background.after },
  {
    ...(env.AGENTVINE_WORKER_ENROLMENT_TOKEN
      ? { enrolmentTokenHash: hashSecret(env.AGENTVINE_WORKER_ENROLMENT_TOKEN) }
      : {}),
    wsUrl: () => env.AGENTVINE_WS_URL,
  },
);
const serve = handle(app);

/** The REST API behind API Gateway's HTTP API. */
export const handler: typeof serve = async (event, context) => {
  await ready;
  const response = await serve(event, context);
  await background.drain();
  return response;
};
