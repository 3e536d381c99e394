import type { Ctx } from "@agentvine/core/context";
import { swaggerUI } from "@hono/swagger-ui";
import { OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { requestId } from "hono/request-id";
import { audit } from "./audit.ts";
import { authenticate } from "./auth.ts";
import { chat } from "./chat.ts";
import type { AppEnv } from "./env.ts";
import { MAX_BODY_BYTES, onError, tooLarge } from "./errors.ts";
import { executions } from "./executions.ts";
import { policy } from "./policy.ts";
import { queue } from "./queue.ts";
import { logActor, requestLog } from "./request-log.ts";
import { sessions } from "./sessions.ts";
import { system } from "./system.ts";
import { tasks } from "./tasks.ts";
import { webhooks } from "./webhooks.ts";
import { workers } from "./workers.ts";

/**
 * The Swagger UI a deployed stage's /docs loads from jsDelivr: the swagger-ui-dist version the
 * lockfile installs (the local runtime serves those files itself; a test keeps the two equal).
 */
export const SWAGGER_UI_VERSION = "5.35.0";

export interface AppOptions {
  /** SHA-256 of the worker enrolment token, when one is configured. */
  enrolmentTokenHash?: string;
  /** The WebSocket URL clients connect to, given the URL of the ticket request. */
  wsUrl: (requestUrl: string) => string;
  /**
   * Where /docs loads Swagger UI's files from (`<base>/swagger-ui-dist/...`). Default: jsDelivr,
   * at SWAGGER_UI_VERSION, never "latest". The local runtime serves its own copy, so the docs
   * work offline.
   */
  swaggerUiBaseUrl?: string;
}

/** The REST API: one Hono app, served by Lambda on AWS and by @hono/node-server locally. */
export const createApp = (ctx: Ctx, options: AppOptions) => {
  const app = new OpenAPIHono<AppEnv>();
  app.use(requestId());
  app.use(requestLog);
  app.use(async (c, next) => {
    c.set("ctx", ctx);
    await next();
  });
  app.onError(onError);
  app.notFound((c) =>
    c.json(
      { error: { code: "not_found", message: `No route ${c.req.method} ${c.req.path}`, details: {} } },
      404,
    ),
  );

  app.get("/healthz", (c) => c.json({ ok: true }));
  app.use("/api/v1/*", bodyLimit({ maxSize: MAX_BODY_BYTES, onError: tooLarge }));
  app.use("/api/v1/*", authenticate(options.enrolmentTokenHash));
  app.use("/api/v1/*", logActor);
  app
    .route("/api/v1", tasks)
    .route("/api/v1", workers)
    .route("/api/v1", queue)
    .route("/api/v1", sessions)
    .route("/api/v1", chat)
    .route("/api/v1", executions)
    .route("/api/v1", webhooks)
    .route("/api/v1", policy)
    .route("/api/v1", audit)
    .route("/api/v1", system(options.wsUrl));

  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer" });
  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "AgentVine API",
      version: "1.0.0",
      description:
        "Queue coding tasks for parallel AI agents, with a human in the loop. Realtime events arrive on the WebSocket opened with a ticket from POST /api/v1/ws-ticket.",
    },
  });
  const swaggerUiFiles = options.swaggerUiBaseUrl
    ? { baseUrl: options.swaggerUiBaseUrl }
    : { version: SWAGGER_UI_VERSION };
  app.get("/docs", swaggerUI({ url: "/openapi.json", title: "AgentVine API", ...swaggerUiFiles }));
  return app;
};
