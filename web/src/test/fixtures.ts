import type { ChatMessageInfo } from "@agentvine/core/chat/schema";
import type { TaskInfo } from "@agentvine/core/task/schema";

let seq = 0;
const id = (prefix: string) => `${prefix}-${String(++seq).padStart(4, "0")}`;

export const task = (over: Partial<TaskInfo> = {}): TaskInfo => ({
  id: id("task"),
  title: "A task",
  description: "",
  taskType: "feature",
  status: "queued",
  priority: "normal",
  repositoryUrl: null,
  branchName: null,
  createdBy: "local admin",
  createdAt: "2025-01-01T10:00:00.000Z",
  updatedAt: "2025-01-01T10:00:00.000Z",
  completedAt: null,
  failureReason: null,
  currentWorkOrderId: null,
  workerId: null,
  ...over,
});

export const message = (over: Partial<ChatMessageInfo> = {}): ChatMessageInfo => ({
  id: id("msg"),
  conversationId: "task-1",
  senderType: "worker",
  senderId: "worker-1",
  message: "Which database should I use?",
  messageType: "request",
  parentMessageId: null,
  createdAt: "2025-01-01T10:00:00.000Z",
  answeredAt: null,
  answerId: null,
  closedAt: null,
  closedReason: null,
  ...over,
});

export const page = <T>(items: T[], nextCursor: string | null = null) => ({ items, nextCursor });
