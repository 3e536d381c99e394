import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { addLogFields, createLogger, withLogFields } from "./log.ts";

const capture = () => {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { lines, logger: createLogger(sink) };
};

describe("log scope", () => {
  it("stamps every line in a scope with its ids, including ids learnt later in it", async () => {
    const { lines, logger } = capture();
    logger.info("outside");
    await withLogFields({ requestId: "r1" }, async () => {
      logger.info("start");
      await new Promise((r) => setImmediate(r));
      addLogFields({ taskId: "t1", workerId: undefined });
      logger.info({ status: 201 }, "done");
    });
    expect(lines.map((l) => [l.msg, l.requestId, l.taskId, "workerId" in l])).toEqual([
      ["outside", undefined, undefined, false],
      ["start", "r1", undefined, false],
      ["done", "r1", "t1", false],
    ]);
    expect(lines[2]).toMatchObject({ level: "info", status: 201 });
  });

  it("keeps concurrent scopes apart; an inner scope adds to the outer one", async () => {
    const { lines, logger } = capture();
    await Promise.all(
      ["a", "b"].map((id) =>
        withLogFields({ requestId: id }, async () => {
          await new Promise((r) => setTimeout(r, id === "a" ? 5 : 0));
          withLogFields({ taskId: `t-${id}` }, () => logger.info("inner"));
          logger.info("outer");
        }),
      ),
    );
    const seen = lines.map((l) => `${l.msg}:${l.requestId}:${l.taskId ?? "-"}`).sort();
    expect(seen).toEqual(["inner:a:t-a", "inner:b:t-b", "outer:a:-", "outer:b:-"]);
  });
});
