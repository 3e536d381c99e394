import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { renderThread } from "../test/chat.tsx";
import { message } from "../test/fixtures.ts";

const item = async (text: string) =>
  (await screen.findByText(text, { selector: ".msg-body" })).closest("li") as HTMLElement;

describe("chat thread: who decided", () => {
  it("names the rule or the controller that answered, on the answer and on its request", async () => {
    renderThread([
      message({
        id: "q1",
        message: "May I run the tests?",
        answeredAt: "2025-01-01T10:00:01.000Z",
        answerId: "a1",
      }),
      message({
        id: "a1",
        messageType: "response",
        senderType: "system",
        senderId: "tests",
        parentMessageId: "q1",
        kind: null,
        message: "Yes, run them",
        decidedBy: { type: "rule", id: "tests" },
      }),
      message({
        id: "q2",
        message: "Which library?",
        answeredAt: "2025-01-01T10:00:02.000Z",
        answerId: "a2",
      }),
      message({
        id: "a2",
        messageType: "response",
        senderType: "system",
        senderId: "claude-haiku-4-5",
        parentMessageId: "q2",
        kind: null,
        message: "Use zod",
        decidedBy: { type: "controller", id: "claude-haiku-4-5" },
      }),
      message({
        id: "a3",
        messageType: "response",
        senderType: "human",
        kind: null,
        message: "By hand",
        decidedBy: { type: "person", id: "admin" },
      }),
    ]);
    expect(within(await item("Yes, run them")).getByText('Decided by rule "tests"')).toBeTruthy();
    expect(within(await item("May I run the tests?")).getByText('Decided by rule "tests"')).toBeTruthy();
    expect(
      within(await item("Use zod")).getByText("Decided by the controller (claude-haiku-4-5)"),
    ).toBeTruthy();
    expect((await item("By hand")).querySelector(".decided-by")).toBeNull();
  });
});
