import type { ChatMessageInfo, ExecutionInfo, PendingQuestion, TaskInfo } from "@agentvine/client";

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
  suspicious: null,
  currentWorkOrderId: null,
  workerId: null,
  agent: "stub",
  model: null,
  permissionMode: "ask",
  maxTurns: null,
  maxBudgetUsd: null,
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
  kind: "question",
  tool: null,
  input: null,
  decision: null,
  decidedBy: null,
  ...over,
});

/** An open approval, as GET /chat/pending lists it. */
export const pendingRequest = (over: Partial<PendingQuestion> = {}): PendingQuestion => ({
  requestId: id("req"),
  conversationId: "t1",
  taskId: "t1",
  workerId: "w1",
  message: "Run: npm test",
  kind: "approval",
  tool: "Bash",
  input: '{"command":"npm test"}',
  createdAt: "2025-01-01T10:00:00.000Z",
  waitingMs: 0,
  ...over,
});

export const execution = (over: Partial<ExecutionInfo> = {}): ExecutionInfo => ({
  id: id("exec"),
  taskId: "task-1",
  workerId: "worker-1",
  sessionId: "session-1",
  workOrderId: "wo-1",
  status: "completed",
  resumedFrom: null,
  progress: 100,
  step: null,
  output: "",
  outputTruncated: false,
  startedAt: "2025-01-01T10:00:00.000Z",
  updatedAt: "2025-01-01T10:05:00.000Z",
  completedAt: "2025-01-01T10:05:00.000Z",
  costUsd: null,
  inputTokens: null,
  outputTokens: null,
  turns: null,
  durationMs: null,
  transcript: null,
  transcriptTruncated: null,
  branch: null,
  commitSha: null,
  pushError: null,
  files: null,
  diff: null,
  diffTruncated: null,
  ...over,
});

export const page = <T>(items: T[], nextCursor: string | null = null) => ({ items, nextCursor });
