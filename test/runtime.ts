/**
 * The local runtime for tests outside local/: functions/ and workers/ never import local/
 * (dependency-cruiser enforces it); their end-to-end tests reach the AWS stand-ins through here.
 */

/** The REST app, for workers' tests that serve it on a real HTTP server of their own. */
export { createApp } from "@agentvine/functions/api/app";
export { awsClientConfig, awsClientEnv } from "@agentvine/local/aws-local-config";
export { startRuntime } from "@agentvine/local/runtime";
export { attachWsGateway, type WsGateway } from "@agentvine/local/ws-gateway/index";
