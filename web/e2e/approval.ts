/**
 * An approval request as a real worker makes one, through the API only: enrol with the
 * enrolment token, claim the task's work order, and ask leave to run a tool.
 */
import { apiAs, eventually } from "./runtime.ts";

export interface AskedApproval {
  taskId: string;
  requestId: string;
  workerId: string;
  /** The API as that worker. */
  asWorker: ReturnType<typeof apiAs>;
}

export const askApproval = async (
  base: string,
  tokens: { admin: string; enrolment: string },
  ask: { title: string; tool: string; input: unknown; message: string },
): Promise<AskedApproval> => {
  const admin = apiAs(base, tokens.admin);
  const task = await admin<{ id: string; currentWorkOrderId: string }>("POST", "/tasks", {
    title: ask.title,
  });
  const { worker, token } = await apiAs(base, tokens.enrolment)<{ worker: { id: string }; token: string }>(
    "POST",
    "/workers",
    { name: `approver-${task.id.slice(-6)}` },
  );
  const asWorker = apiAs(base, token);
  await asWorker("POST", "/queue/claim", { workerId: worker.id, workOrderId: task.currentWorkOrderId });
  const request = await asWorker<{ id: string }>("POST", "/chat/messages", {
    conversationId: task.id,
    messageType: "request",
    kind: "approval",
    tool: ask.tool,
    input: JSON.stringify(ask.input),
    message: ask.message,
  });
  return { taskId: task.id, requestId: request.id, workerId: worker.id, asWorker };
};

/** Scales the runtime's own workers to none and waits until they are gone. */
export const stopWorkers = async (admin: ReturnType<typeof apiAs>) => {
  await admin("PUT", "/workers-scale", { desired: 0 });
  await eventually(
    "the workers to stop",
    async () => (await admin<{ running: number }>("GET", "/workers-scale")).running === 0,
    30_000,
  );
};
