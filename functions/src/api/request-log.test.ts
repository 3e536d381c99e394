import { describe, expect, it } from "vitest";
import { levelOf } from "./request-log.ts";

describe("a request's log level", () => {
  it("keeps a worker's successful heartbeat and the health check out of the info log", () => {
    expect(levelOf("POST", "/api/v1/workers/w-1/heartbeat", 200)).toBe("debug");
    expect(levelOf("GET", "/healthz", 200)).toBe("debug");
  });

  it("logs a refused heartbeat, every other request, and the API's failures", () => {
    expect(levelOf("POST", "/api/v1/workers/w-1/heartbeat", 404)).toBe("info");
    expect(levelOf("POST", "/api/v1/workers/w-1/heartbeat", 503)).toBe("error");
    expect(levelOf("GET", "/api/v1/workers/w-1", 200)).toBe("info");
    expect(levelOf("POST", "/api/v1/tasks", 201)).toBe("info");
    expect(levelOf("POST", "/api/v1/tasks", 500)).toBe("error");
  });
});
