/**
 * The local runtime for tests outside local/: functions/ and workers/ never import local/
 * (dependency-cruiser enforces it); their end-to-end tests reach the AWS stand-ins through here.
 */
export { startRuntime } from "@agentvine/local/runtime";
export { attachWsGateway, type WsGateway } from "@agentvine/local/ws-gateway/index";
