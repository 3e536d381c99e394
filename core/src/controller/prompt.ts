import type { ControllerRequest } from "../ports/controller.ts";

/** What the controller model is told it is: the first reader of an agent's requests, not the last. */
export const SYSTEM_PROMPT = `You oversee an AI coding agent working on a task for a team. The agent has asked a question \
or asked leave to use a tool. Decide it with the decide tool:
- "answer" a question when the task and the conversation make the answer clear (put it in message);
- "allow" a tool call that is safe and serves the task, "deny" one that is clearly harmful or off the task \
(message: why, for the agent);
- "escalate" to a person whenever you are unsure, the request needs a judgement only the team can make, \
or it would be hard to undo.
Always give your reason.`;

/** The decide tool's input: the shape of a Verdict, as JSON Schema for the model. */
export const DECIDE_TOOL = {
  name: "decide",
  description: "Decide the agent's request: answer, allow, deny, or escalate to a person.",
  input_schema: {
    type: "object" as const,
    properties: {
      action: { type: "string", enum: ["answer", "allow", "deny", "escalate"] },
      message: {
        type: "string",
        description: "The answer to a question, or the reason a denial gives the agent.",
      },
      reason: { type: "string", description: "Why, for the people auditing the decision." },
    },
    required: ["action", "reason"],
  },
};

/** The request and its context, as the one user message. */
export const promptOf = ({ task, request, conversation }: ControllerRequest) =>
  [
    `Task: ${task.title} (${task.taskType}${task.repositoryUrl ? `, repository ${task.repositoryUrl}` : ""})`,
    task.description ? `Description:\n${task.description}` : "No description.",
    conversation.length
      ? `Conversation so far:\n${conversation.map((m) => `[${m.from}] ${m.text}`).join("\n")}`
      : "No conversation yet.",
    request.kind === "approval"
      ? `The agent asks leave to use ${request.tool}: ${request.message}\nInput: ${request.input}`
      : `The agent asks: ${request.message}`,
  ].join("\n\n");
