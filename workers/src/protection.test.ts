import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ecsTaskProtection } from "./protection.ts";

/** The ECS agent's endpoint, as an HTTP server recording what the worker sends it. */
describe("ECS task protection", () => {
  const received: { method?: string; url?: string; body: unknown }[] = [];
  let status = 200;
  const agent = createServer(async (req: IncomingMessage, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    received.push({ method: req.method, url: req.url, body: JSON.parse(body) });
    res
      .writeHead(status, { "content-type": "application/json" })
      .end(status === 200 ? "{}" : '{"error":"no"}');
  });
  let uri = "";
  beforeAll(async () => {
    await new Promise<void>((ok) => agent.listen(0, "127.0.0.1", ok));
    uri = `http://127.0.0.1:${(agent.address() as AddressInfo).port}/v1`;
  });
  afterAll(() => new Promise<void>((ok) => agent.close(() => ok())));

  it("turns scale-in protection on while busy and off when idle", async () => {
    const protection = ecsTaskProtection(uri, () => {});
    await protection.set(true);
    await protection.set(false);
    expect(received).toEqual([
      {
        method: "PUT",
        url: "/v1/task-protection/v1/state",
        body: { ProtectionEnabled: true, ExpiresInMinutes: 120 },
      },
      { method: "PUT", url: "/v1/task-protection/v1/state", body: { ProtectionEnabled: false } },
    ]);
  });

  it("reports a refusal without stopping the work", async () => {
    status = 400;
    const logged: string[] = [];
    await ecsTaskProtection(uri, (m) => logged.push(m)).set(true);
    expect(logged[0]).toMatch(/task protection on failed: 400/);
  });
});
