import type { WebhookEvent } from "./message.ts";

const oneLine = (s: string, max = 200) => {
  const flat = s.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

const str = (value: unknown) => (typeof value === "string" ? value : "");

/** What happened, in words, by the event's data. */
const what = (event: WebhookEvent) => {
  const { task, request } = event.data as {
    task: Record<string, unknown>;
    request?: Record<string, unknown>;
  };
  switch (event.type) {
    case "input.needed":
      return request?.kind === "approval"
        ? `asks to use ${str(request.tool)}: ${oneLine(str(request.input))}`
        : `asks: ${oneLine(str(request?.message))}`;
    case "task.completed":
      return "completed";
    case "task.failed":
      return `failed: ${oneLine(str(task.failureReason))}`;
    case "task.suspicious":
      return `completed, but looks suspicious: ${oneLine(str(task.suspicious))}`;
  }
};

/**
 * The one-line `text` of a webhook body, with a link to the task when the web UI's address is
 * known: what Slack's incoming webhooks (and most chat tools) show as is.
 */
export const textOf = (event: WebhookEvent, publicUrl: string | undefined) => {
  const { task } = event.data;
  const link = publicUrl ? ` ${new URL(`tasks/${task.id}`, `${publicUrl.replace(/\/+$/, "")}/`)}` : "";
  return `AgentVine: "${oneLine(task.title, 120)}" ${what(event)}${link}`;
};
