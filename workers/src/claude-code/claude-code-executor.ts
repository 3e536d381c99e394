import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import type { ExecutionReport } from "@agentvine/core/execution/schema";
import type { TaskInfo } from "@agentvine/core/task/schema";
import {
  type CanUseTool,
  createSdkMcpServer,
  type PermissionMode,
  query,
  type SDKMessage,
  type SDKResultMessage,
  tool,
} from "@anthropic-ai/claude-agent-sdk";
import { z } from "zod";
import {
  AgentParked,
  type ExecutionContext,
  ExecutionFailed,
  type ExecutionResult,
  type Executor,
  ParkRequested,
  RunStopped,
} from "../executor.ts";
import { abortable } from "./abortable.ts";
import { agentEnv } from "./agent-env.ts";
import { AgentProcess } from "./agent-process.ts";
import { ClaudeParkState, grantedCall, type Pending, resumePrompt } from "./park-state.ts";
import { taskPrompt } from "./prompt.ts";
import { failureOf, reportOf, type Usage, usageBeforeResult } from "./report.ts";
import { readSessionFile, sessionFile, waitForEntry, writeSessionFile } from "./session-file.ts";
import { boundedJson, toolSummary } from "./tool-summary.ts";
import { Transcript } from "./transcript.ts";

export interface ClaudeCodeOptions {
  /** The model of a task that names none (AGENTVINE_CLAUDE_MODEL); unset: Claude Code's own default. */
  model: string | undefined;
  /** Each run gets a folder under it for CLAUDE_CONFIG_DIR and HOME, removed after the run. */
  claudeHome: string;
  /** The worker's environment, which the agent's starts from (ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL). */
  env: Record<string, string | undefined>;
}

const SDK_PERMISSION_MODE = {
  ask: "default",
  acceptEdits: "acceptEdits",
  bypass: "bypassPermissions",
} as const satisfies Record<string, PermissionMode>;

const ASK_HUMAN = "mcp__agentvine__ask_human";
/** Bound of the tool input an approval request shows (the chat message's `input`). */
const APPROVAL_INPUT_MAX_CHARS = 4_000;

/** A rising estimate of how far the run is: the share of maxTurns used, or without a cap 10 turns as half-way. */
const estimatePercent = (turns: number, maxTurns: number | undefined) =>
  Math.min(99, Math.round(maxTurns ? (100 * turns) / maxTurns : (100 * turns) / (turns + 10)));

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Claude Code (the Agent SDK driving the CLI it ships) working on a task in its checkout. */
export const claudeCodeExecutor = (options: ClaudeCodeOptions): Executor => ({
  usesWorkspace: true,
  run: (task, ctx) => new ClaudeCodeRun(options, task, ctx).run(),
});

/** One run: the agent's process, what it said, and the first reason it was stopped. */
class ClaudeCodeRun {
  readonly #abort = new AbortController();
  readonly #process = new AgentProcess();
  readonly #transcript = new Transcript();
  /** Why the run was stopped: the caller's abort, or a question or approval that could not be asked. */
  #stopReason: { reason: unknown } | null = null;
  #result: SDKResultMessage | undefined;
  /** The model's replies this run streamed, by message id, with their usage as they began. */
  readonly #replies = new Map<string, Usage>();
  #progress = Promise.resolve();
  /** What the agent waits on now (a question, a person's leave): where a park leaves it. */
  #pending: Pending | null = null;
  /** What the CLI writes to its transcript for the pending call: a park waits for it. */
  #pendingNeedle: string | null = null;
  /** The CLI's session transcript file in this run's home. */
  #sessionFile = "";
  #parking: Promise<void> | null = null;
  /**
   * The CLI's session transcript, read before its home goes when the run ended without a result:
   * a park resumes from it, and it has what the run used.
   */
  #sessionTranscript: string | null = null;
  /** The run this one resumes, when it does. */
  readonly #resume: { prompt: string; granted: ReturnType<typeof grantedCall>; transcript: string } | null;
  /** The turns the task's earlier runs took (a resumed run's share of maxTurns is what is left). */
  readonly #turnsBefore: number;

  constructor(
    private readonly options: ClaudeCodeOptions,
    private readonly task: TaskInfo,
    private readonly ctx: ExecutionContext,
  ) {
    const resume = ctx.resume;
    const state = resume && ClaudeParkState.parse(resume.state);
    this.#turnsBefore = state ? state.turnsUsed : 0;
    this.#resume = resume &&
      state && {
        transcript: state.transcript,
        prompt: resumePrompt(state.pending, resume.answer),
        granted: grantedCall(state.pending, resume.answer),
      };
  }

  async run(): Promise<ExecutionResult> {
    const { ctx, options } = this;
    if (!ctx.workspace) throw new Error("Claude Code needs the task's checkout: ctx.workspace is null");
    const { maxTurns } = this.task;
    // A run parked on its last turn has none left for the answer.
    if (maxTurns !== null && this.#turnsBefore >= maxTurns)
      throw new ExecutionFailed(
        `Claude Code reached the turn limit (maxTurns ${maxTurns}) after ${this.#turnsBefore} turns, before this run`,
      );
    const cwd = ctx.workspace;
    await mkdir(options.claudeHome, { recursive: true });
    const home = await mkdtemp(join(options.claudeHome, "run-"));
    this.#sessionFile = sessionFile(home, cwd, ctx.sessionId);
    const onAbort = () => this.#stop(ctx.signal.reason);
    ctx.signal.addEventListener("abort", onAbort, { once: true });
    if (ctx.signal.aborted) onAbort();
    try {
      // The parked run's transcript goes where the CLI looks for this checkout's sessions.
      if (this.#resume) await writeSessionFile(this.#sessionFile, this.#resume.transcript);
      await this.#drive(cwd, home);
    } finally {
      ctx.signal.removeEventListener("abort", onAbort);
      await this.#process.stop();
      await this.#progress;
      if (!this.#result) this.#sessionTranscript = await readSessionFile(this.#sessionFile);
      // The CLI's session transcript goes with it: the report keeps the run's own transcript.
      await rm(home, { recursive: true, force: true });
    }
    return this.#outcome();
  }

  async #drive(cwd: string, home: string) {
    const { task, ctx, options } = this;
    const mode = task.permissionMode ?? "ask";
    const agentvine = createSdkMcpServer({
      name: "agentvine",
      alwaysLoad: true,
      tools: [
        tool(
          "ask_human",
          "Ask the person who gave you this task a question and wait for their answer.",
          { question: z.string().min(1) },
          ({ question }) => this.#askHuman(question),
        ),
      ],
    });
    if (this.#stopReason) return;
    try {
      const resume = this.#resume;
      const messages = query({
        prompt: resume?.prompt ?? taskPrompt(task),
        options: {
          cwd,
          env: agentEnv(options.env, home, { bypass: mode === "bypass" }),
          model: task.model ?? options.model ?? undefined,
          maxTurns: task.maxTurns === null ? undefined : task.maxTurns - this.#turnsBefore,
          maxBudgetUsd: task.maxBudgetUsd ?? undefined,
          settingSources: [],
          // A resumed session keeps its id (the SDK refuses both options at once).
          ...(resume ? { resume: ctx.sessionId } : { sessionId: ctx.sessionId }),
          abortController: this.#abort,
          permissionMode: SDK_PERMISSION_MODE[mode],
          allowDangerouslySkipPermissions: mode === "bypass",
          // Bypass never calls it, and the SDK warns when it is given anyway.
          ...(mode !== "bypass" && { canUseTool: this.#canUseTool }),
          mcpServers: { agentvine },
          spawnClaudeCodeProcess: this.#process.spawn,
          // Ours is the CLI bundled with the SDK, and no server carries secrets.
          mcpServersDelivery: "argv",
        },
      });
      for await (const message of messages) this.#read(message);
    } catch (err) {
      // After an error result the iterator throws as well: the result says more.
      if (!this.#result && !this.#stopReason) {
        const stderr = this.#process.stderr.trim();
        this.#stopReason = {
          reason: new ExecutionFailed(`Claude Code stopped: ${messageOf(err)}${stderr ? `\n${stderr}` : ""}`),
        };
      }
    }
  }

  #read(message: SDKMessage) {
    if (message.type === "system" && message.subtype === "init") {
      // The worker opened the session under this id: the dashboard maps it to the task.
      if (message.session_id !== this.ctx.sessionId)
        this.#stop(new Error(`Claude Code runs as session ${message.session_id}, not ${this.ctx.sessionId}`));
    } else if (message.type === "assistant") {
      if (!this.#replies.has(message.message.id))
        this.#replies.set(message.message.id, message.message.usage);
      this.#transcript.add(message.message.content);
      for (const block of message.message.content)
        if (block.type === "tool_use")
          this.#step(toolSummary(block.name, (block.input ?? {}) as Record<string, unknown>));
    } else if (message.type === "user" && Array.isArray(message.message.content)) {
      this.#transcript.add(message.message.content);
    } else if (message.type === "result") {
      this.#result = message;
    }
  }

  /** Progress is reported in order, without holding up the agent's stream. */
  #step(summary: string) {
    const percent = estimatePercent(this.#turnsBefore + this.#replies.size, this.task.maxTurns ?? undefined);
    this.#progress = this.#progress
      .then(() => this.ctx.progress(percent, summary))
      .catch((err) => this.#stop(err));
  }

  #canUseTool: CanUseTool = async (tool, input, { signal, toolUseID }) => {
    // Asking a person is never a risk. (Not through allowedTools: the SDK warns on every run
    // that the callback is then skipped for it.)
    if (tool === ASK_HUMAN) return { behavior: "allow", updatedInput: input };
    const summary = toolSummary(tool, input);
    if (this.#resume?.granted(tool, input)) {
      this.#transcript.note(`approval ${summary}: allowed before the run was parked`);
      return { behavior: "allow", updatedInput: input };
    }
    try {
      const request = { tool, input: boundedJson(input, APPROVAL_INPUT_MAX_CHARS), summary };
      this.#pending = { kind: "approval", tool, input };
      this.#pendingNeedle = JSON.stringify(toolUseID);
      const answer = await abortable(
        this.ctx.approve(request),
        AbortSignal.any([signal, this.#abort.signal]),
      );
      this.#transcript.note(
        `approval ${summary}: ${answer.allow ? "allowed" : `denied (${answer.message})`}`,
      );
      return answer.allow
        ? { behavior: "allow", updatedInput: input }
        : { behavior: "deny", message: answer.message };
    } catch (err) {
      // The CLI withdrew the request (its own cancel): not a reason to stop the run.
      if (!signal.aborted) this.#stop(err);
      // Parking: nothing goes back to the CLI before it is killed.
      await this.#parking;
      return { behavior: "deny", message: "The run is stopping." };
    }
  };

  async #askHuman(question: string) {
    try {
      this.#pending = { kind: "question", question };
      this.#pendingNeedle = JSON.stringify({ question }).slice(1, -1);
      const answer = await abortable(this.ctx.ask(question), this.#abort.signal);
      return { content: [{ type: "text" as const, text: answer }] };
    } catch (err) {
      this.#stop(err);
      await this.#parking;
      return { content: [{ type: "text" as const, text: "No answer: the run is stopping." }], isError: true };
    }
  }

  /**
   * Stops the agent and what it started at once. The first reason is the run's outcome. A park
   * first lets the CLI write the call it waits in to its transcript (see waitForEntry).
   */
  #stop(reason: unknown) {
    this.#stopReason ??= { reason };
    if (!(this.#stopReason.reason instanceof ParkRequested)) return this.#kill(reason);
    const needle = this.#pendingNeedle;
    this.#parking ??= (needle ? waitForEntry(this.#sessionFile, needle) : Promise.resolve(true)).then(() =>
      this.#kill(reason),
    );
  }

  #kill(reason: unknown) {
    void this.#process.kill();
    this.#abort.abort(reason);
  }

  #outcome(): ExecutionResult {
    const report = reportOf(
      this.#result,
      this.#transcript,
      usageBeforeResult(this.#sessionTranscript, this.#replies),
    );
    const stopped = this.#stopReason?.reason;
    if (stopped instanceof ParkRequested) throw this.#parked(report);
    // The worker tells its own stop reasons apart by type: they go through inside RunStopped.
    if (this.#stopReason)
      throw stopped instanceof ExecutionFailed
        ? new ExecutionFailed(stopped.message, report)
        : new RunStopped(stopped, report);
    if (!this.#result) throw new ExecutionFailed("Claude Code ended without a result", report);
    const failure = failureOf(this.#result, {
      maxTurns: this.task.maxTurns ?? undefined,
      maxBudgetUsd: this.task.maxBudgetUsd ?? undefined,
      turnsBefore: this.#turnsBefore,
    });
    if (failure || this.#result.subtype !== "success")
      throw new ExecutionFailed(failure ?? this.#result.subtype, report);
    return { output: this.#result.result, report };
  }

  /** The run's state to resume from, or why it cannot be parked (then it fails: nothing to resume). */
  #parked(report: ExecutionReport) {
    if (!this.#pending)
      return new ExecutionFailed("Claude Code could not be parked: it was waiting on nothing", report);
    if (!this.#sessionTranscript)
      return new ExecutionFailed(
        "Claude Code could not be parked: its session transcript was not found",
        report,
      );
    return new AgentParked(
      {
        transcript: this.#sessionTranscript,
        pending: this.#pending,
        turnsUsed: this.#turnsBefore + (report.turns ?? 0),
      } satisfies ClaudeParkState,
      report,
    );
  }
}
