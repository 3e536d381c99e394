import { createServer } from "node:net";
import { QueueDoesNotExist, ReceiveMessageCommand, RequestThrottled, SQSClient } from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { ApiError } from "./api-client.ts";
import { classifyFailure, describeFailure } from "./failure.ts";

/** A port nothing listens on: a real connection refusal, as during an API redeploy. */
const closedPort = async () => {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address() as { port: number };
  await new Promise((ok) => server.close(ok));
  return port;
};

const withShape = (message: string, fields: Record<string, unknown>) =>
  Object.assign(new Error(message), fields);

describe("classifyFailure", () => {
  it("treats network errors from fetch and from the AWS SDK as transient", async () => {
    const port = await closedPort();
    const fetchError = await fetch(`http://127.0.0.1:${port}/`).catch((err: unknown) => err);
    expect(classifyFailure(fetchError)).toBe("transient");
    expect(describeFailure(fetchError)).toBe("fetch failed (ECONNREFUSED)");

    const sqs = new SQSClient({
      endpoint: `http://127.0.0.1:${port}`,
      region: "us-east-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
      maxAttempts: 1,
    });
    const sdkError = await sqs
      .send(new ReceiveMessageCommand({ QueueUrl: `http://127.0.0.1:${port}/000000000000/q` }))
      .catch((err: unknown) => err);
    expect(classifyFailure(sdkError)).toBe("transient");
    sqs.destroy();

    expect(classifyFailure(withShape("socket hang up", { code: "ECONNRESET" }))).toBe("transient");
    expect(classifyFailure(new TypeError("fetch failed", { cause: { code: "UND_ERR_SOCKET" } }))).toBe(
      "transient",
    );
  });

  it("reads { status, code } whatever the client's error class: 5xx, 429, 408 and 0 are transient", () => {
    for (const status of [0, 408, 429, 500, 502, 503, 504]) {
      expect(classifyFailure(new ApiError(status, "x", "x")), String(status)).toBe("transient");
      expect(classifyFailure(withShape("x", { status, code: "x" })), String(status)).toBe("transient");
    }
  });

  it("a refusal of the request itself is the caller's to handle; bad credentials are fatal", () => {
    for (const status of [400, 404, 409, 413, 422])
      expect(classifyFailure(new ApiError(status, "x", "x")), String(status)).toBe("refused");
    expect(classifyFailure(new ApiError(401, "auth.invalid_token", "The token is unknown"))).toBe("fatal");
    expect(classifyFailure(withShape("forbidden", { status: 403, code: "auth.forbidden" }))).toBe("fatal");
  });

  it("classifies SQS service errors: throttling and server faults retry, a missing queue does not", () => {
    const $metadata = { httpStatusCode: 400 };
    expect(classifyFailure(new RequestThrottled({ message: "slow down", $metadata }))).toBe("transient");
    expect(classifyFailure(withShape("x", { name: "ServiceUnavailable", $metadata: {} }))).toBe("transient");
    expect(classifyFailure(withShape("x", { $fault: "server", $metadata: {} }))).toBe("transient");
    expect(classifyFailure(withShape("x", { $metadata: { httpStatusCode: 503 } }))).toBe("transient");
    expect(classifyFailure(new QueueDoesNotExist({ message: "no queue", $metadata }))).toBe("refused");
    expect(
      classifyFailure(withShape("denied", { name: "AccessDenied", $metadata: { httpStatusCode: 403 } })),
    ).toBe("fatal");
  });

  it("an error with no status and no network cause is a bug: fatal, so it is seen", () => {
    expect(classifyFailure(new TypeError("Cannot read properties of undefined"))).toBe("fatal");
    expect(classifyFailure("a string")).toBe("fatal");
  });
});
