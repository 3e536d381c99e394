import { describe, expect, it } from "vitest";
import { type Event, useRealtimeHarness } from "./realtime-harness.ts";

describe("realtime over the local WebSocket gateway: events reach their audience", () => {
  const rt = useRealtimeHarness("realtime-events");

  it("a task created over REST reaches every person's socket as task.updated, not workers'", async () => {
    const viewer = await rt.connect(await rt.ticketUrl(rt.h.tokens.viewer));
    const operator = await rt.connect(await rt.ticketUrl(rt.h.tokens.operator));
    const w = await rt.h.registerWorker("listener");
    const worker = await rt.connect(await rt.ticketUrl(w.token));

    const created = await rt.rest("POST", "/api/v1/tasks", rt.h.tokens.operator, {
      title: "Fan out",
      priority: "high",
    });
    expect(created.status).toBe(201);
    const isIt = (e: Event) => e.type === "task.updated" && e.data.id === created.body.id;
    for (const client of [viewer, operator]) {
      const event = await client.waitFor(isIt, "task.updated");
      expect(event.data).toMatchObject({ title: "Fan out", status: "queued", priority: "high" });
      await client.waitFor(
        (e) => e.type === "activity.created" && e.data.taskId === created.body.id,
        "activity.created",
      );
    }
    await worker.sync();
    expect(worker.events.filter(isIt)).toEqual([]);
  });

  it("a worker's question reaches people as chat.message; the answer reaches the worker's socket", async () => {
    const human = await rt.connect(await rt.ticketUrl(rt.h.tokens.operator));
    const w = await rt.h.registerWorker("asker");
    const bystander = await rt.h.registerWorker("bystander");
    const workerSocket = await rt.connect(await rt.ticketUrl(w.token));
    const bystanderSocket = await rt.connect(await rt.ticketUrl(bystander.token));
    const { body: task } = await rt.rest("POST", "/api/v1/tasks", rt.h.tokens.operator, { title: "Ask me" });
    const claim = await rt.rest("POST", "/api/v1/queue/claim", w.token, {
      workerId: w.worker.id,
      workOrderId: task.currentWorkOrderId,
    });
    expect(claim.status).toBe(200);

    const ask = await rt.rest("POST", "/api/v1/chat/messages", w.token, {
      conversationId: task.id,
      message: "Tabs or spaces?",
      messageType: "request",
    });
    expect(ask.status).toBe(201);
    const question = await human.waitFor(
      (e) => e.type === "chat.message" && e.data.id === ask.body.id,
      "the question",
    );
    expect(question.data).toMatchObject({
      messageType: "request",
      senderType: "worker",
      message: "Tabs or spaces?",
    });
    await human.waitFor(
      (e) => e.type === "worker.updated" && e.data.id === w.worker.id && e.data.status === "waiting",
      "worker waiting",
    );

    const answer = await rt.rest("POST", "/api/v1/chat/messages", rt.h.tokens.operator, {
      conversationId: task.id,
      message: "Spaces",
      messageType: "response",
      parentMessageId: ask.body.id,
    });
    expect(answer.status).toBe(201);
    const received = await workerSocket.waitFor(
      (e) => e.type === "chat.message" && e.data.id === answer.body.id,
      "the answer on the worker's socket",
    );
    expect(received.data).toMatchObject({
      messageType: "response",
      parentMessageId: ask.body.id,
      message: "Spaces",
      senderType: "human",
    });
    await human.waitFor((e) => e.type === "chat.message" && e.data.id === answer.body.id, "the answer");
    // Only the asking worker hears the answer.
    await bystanderSocket.sync();
    expect(bystanderSocket.events.filter((e) => e.type === "chat.message")).toEqual([]);
  });

  it("a terminated session is pushed to its worker", async () => {
    const w = await rt.h.registerWorker("session-holder");
    const socket = await rt.connect(await rt.ticketUrl(w.token));
    const { body: session } = await rt.rest("POST", "/api/v1/sessions", w.token, {
      sessionId: `agent-${w.worker.id}`,
      workerId: w.worker.id,
    });
    await rt.rest("DELETE", `/api/v1/sessions/${session.id}`, rt.h.tokens.operator, { reason: "Enough" });
    const event = await socket.waitFor(
      (e) => e.type === "session.updated" && e.data.id === session.id && e.data.status === "terminated",
      "session.updated terminated",
    );
    expect(event.data.terminationReason).toBe("Enough");
  });
});
