import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { replyError, replyJson, replySse } from "./reply.ts";
import { type FakeRequest, type MessagesBody, toFakeRequest } from "./request.ts";
import { type ModelTurn, type Step, say } from "./script.ts";

export interface FakeAnthropic {
  /** For ANTHROPIC_BASE_URL. */
  url: string;
  /** Every Messages request, in order of arrival. */
  requests: FakeRequest[];
  /** Resolves with the first Messages request: when the agent got going. */
  firstRequest: Promise<FakeRequest>;
  /** Resolves with the next Messages request to arrive after this call. */
  nextRequest(): Promise<FakeRequest>;
  /** Appends steps to the script: one fake serves a test file whose tests each play their own. */
  play(...steps: Step[]): void;
  close(): Promise<void>;
}

const readJson = async (req: IncomingMessage): Promise<MessagesBody> => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as MessagesBody;
};

/**
 * A fake Anthropic Messages API on 127.0.0.1, for driving the real Claude Code binary offline.
 * Each request that offers tools (the agent's own loop) takes the next step of `script`;
 * requests without tools (the CLI's side calls) get a short text. A request past the end of
 * the script gets a 500 naming it, so a test whose agent runs on fails loudly.
 */
export const startFakeAnthropic = async (script: Step[]): Promise<FakeAnthropic> => {
  const requests: FakeRequest[] = [];
  const steps = [...script];
  let replies = 0;
  const waiting: ((request: FakeRequest) => void)[] = [];
  const nextRequest = () => new Promise<FakeRequest>((resolve) => waiting.push(resolve));
  const firstRequest = nextRequest();

  const turnFor = async (request: FakeRequest): Promise<ModelTurn> => {
    if (!request.tools.length) return say("ok");
    const step = steps.shift();
    if (!step)
      return {
        error: {
          status: 500,
          type: "api_error",
          message: `fake-anthropic: no script step for request ${requests.length}`,
        },
      };
    return typeof step === "function" ? step(request) : step;
  };

  const messages = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readJson(req);
    const request = toFakeRequest(req.headers, body);
    requests.push(request);
    for (const resolve of waiting.splice(0)) resolve(request);
    const turn = await turnFor(request);
    if ("error" in turn) return replyError(res, turn.error);
    const id = `msg_fake_${++replies}`;
    const model = body.model ?? "claude-fake";
    if (body.stream) replySse(res, id, model, turn.blocks);
    else replyJson(res, id, model, turn.blocks);
  };

  const server = createServer((req, res) => {
    const path = (req.url ?? "").split("?")[0];
    if (req.method === "POST" && path === "/v1/messages")
      return void messages(req, res).catch((err: unknown) =>
        replyError(res, { status: 500, type: "api_error", message: `fake-anthropic: ${String(err)}` }),
      );
    if (req.method === "POST" && path === "/v1/messages/count_tokens") {
      res.writeHead(200, { "content-type": "application/json" });
      return void res.end(JSON.stringify({ input_tokens: 100 }));
    }
    replyError(res, {
      status: 404,
      type: "not_found_error",
      message: `fake-anthropic: no route ${req.method} ${path}`,
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    firstRequest,
    nextRequest,
    play: (...more) => void steps.push(...more),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
