import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { openFrontDoor } from "./front-door.ts";
import { StartupError } from "./startup-error.ts";

describe("the front door", () => {
  it("says a port in use is in use, and how to pick another", async () => {
    const holder = createServer();
    await new Promise<void>((ok) => holder.listen(0, "127.0.0.1", ok));
    const { port } = holder.address() as AddressInfo;
    try {
      const opening = openFrontDoor(port, "127.0.0.1", () => []);
      await expect(opening).rejects.toThrow(StartupError);
      await expect(opening).rejects.toThrow(`Cannot listen on port ${port} on 127.0.0.1: it is in use`);
    } finally {
      await new Promise((ok) => holder.close(ok));
    }
  });
});
