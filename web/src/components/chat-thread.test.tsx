import type { ChatMessageInfo } from "@agentvine/client";
import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { keys } from "../api/cache.ts";
import { applyEvent } from "../realtime/apply.ts";
import { CONV, renderThread } from "../test/chat.tsx";
import { message } from "../test/fixtures.ts";

const setup = renderThread;

const texts = () =>
  within(screen.getByRole("list", { name: "Messages" }))
    .getAllByRole("listitem")
    .map((li) => li.querySelector(".msg-body")?.textContent);

describe("chat thread", () => {
  it("shows messages oldest first, whatever order they arrive in", async () => {
    const { qc } = setup([
      message({ id: "m1", message: "first", createdAt: "2025-01-01T10:00:00.000Z", messageType: "status" }),
      message({ id: "m3", message: "third", createdAt: "2025-01-01T10:02:00.000Z", messageType: "status" }),
    ]);
    await screen.findByText("third");
    // A realtime event for an earlier message lands between them, and a repeat changes nothing.
    const late = message({
      id: "m2",
      message: "second",
      createdAt: "2025-01-01T10:01:00.000Z",
      messageType: "status",
    });
    act(() => {
      applyEvent(qc, { type: "chat.message", data: late });
      applyEvent(qc, { type: "chat.message", data: late });
    });
    await waitFor(() => expect(texts()).toEqual(["first", "second", "third"]));
  });

  it("tells worker, human and system messages apart", async () => {
    setup([
      message({ id: "q", message: "Postgres or DynamoDB?", createdAt: "2025-01-01T10:00:00.000Z" }),
      message({
        id: "a",
        senderType: "human",
        senderId: "admin",
        messageType: "response",
        parentMessageId: "q",
        message: "DynamoDB",
        createdAt: "2025-01-01T10:01:00.000Z",
      }),
      message({
        id: "s",
        senderType: "system",
        senderId: "system",
        messageType: "status",
        message: "Session reaped",
        createdAt: "2025-01-01T10:02:00.000Z",
      }),
    ]);
    await screen.findByText("Session reaped");
    const [q, a, s] = within(screen.getByRole("list", { name: "Messages" })).getAllByRole("listitem");
    expect(q?.dataset.sender).toBe("worker");
    expect(within(q as HTMLElement).getByText("Question")).toBeTruthy();
    await waitFor(() => expect(within(q as HTMLElement).getByText("Worker vine-1")).toBeTruthy());
    expect(a?.dataset.sender).toBe("human");
    expect(within(a as HTMLElement).getByText("Operator")).toBeTruthy();
    expect(within(a as HTMLElement).getByText("Answer")).toBeTruthy();
    expect(s?.dataset.sender).toBe("system");
    expect(within(s as HTMLElement).getByText("System")).toBeTruthy();
    // Each shows when it was said.
    expect(q?.querySelector("time")?.getAttribute("datetime")).toBe("2025-01-01T10:00:00.000Z");
  });

  it("Enter sends the answer to the oldest open question; Shift+Enter adds a line", async () => {
    const { api, user, qc } = setup([
      message({ id: "q1", message: "Older question", createdAt: "2025-01-01T10:00:00.000Z" }),
      message({ id: "q2", message: "Newer question", createdAt: "2025-01-01T10:01:00.000Z" }),
    ]);
    await screen.findByText("Newer question");
    expect(screen.getByText(/Answering \(1 of 2 open\)/)).toBeTruthy();
    const box = screen.getByRole("textbox", { name: "Message" });
    await user.type(box, "Use DynamoDB{Shift>}{Enter}{/Shift}because it scales");
    expect((box as HTMLTextAreaElement).value).toBe("Use DynamoDB\nbecause it scales");
    expect(api.calls.filter((c) => c.method === "POST")).toHaveLength(0);
    await user.keyboard("{Enter}");
    await waitFor(() => expect(api.calls.filter((c) => c.method === "POST")).toHaveLength(1));
    expect(api.calls.find((c) => c.method === "POST")?.body).toEqual({
      conversationId: CONV,
      message: "Use DynamoDB\nbecause it scales",
      messageType: "response",
      parentMessageId: "q1",
    });
    // The box empties and the question shows as answered at once, here and in the cache.
    await waitFor(() => expect((box as HTMLTextAreaElement).value).toBe(""));
    const cached = qc.getQueryData<ChatMessageInfo[]>(keys.messages(CONV));
    expect(cached?.find((m) => m.id === "q1")?.answeredAt).toBeTruthy();
    await waitFor(() => expect(screen.getByText(/^Answering:/)).toBeTruthy());
  });

  it("the Send button sends too, and empty messages are not sent", async () => {
    const { api, user } = setup([message({ id: "q1" })]);
    await screen.findByText(/Waiting/);
    const send = screen.getByRole("button", { name: "Send" });
    expect((send as HTMLButtonElement).disabled).toBe(true);
    await user.type(screen.getByRole("textbox", { name: "Message" }), "   ");
    await user.keyboard("{Enter}");
    expect(api.calls.filter((c) => c.method === "POST")).toHaveLength(0);
    await user.type(screen.getByRole("textbox", { name: "Message" }), "Postgres");
    await user.click(send);
    await waitFor(() => expect(api.calls.filter((c) => c.method === "POST")).toHaveLength(1));
  });

  it("marks a question answered when the answer arrives from elsewhere", async () => {
    const { qc } = setup([message({ id: "q1", message: "Which one?" })]);
    await screen.findByText(/Waiting/);
    act(() =>
      applyEvent(qc, {
        type: "chat.message",
        data: message({
          id: "q1",
          message: "Which one?",
          answeredAt: "2025-01-01T10:03:00.000Z",
          answerId: "x",
        }),
      }),
    );
    await waitFor(() => expect(screen.getByText(/^Answered/)).toBeTruthy());
    expect(screen.getByText(/No open question/)).toBeTruthy();
  });

  it("follows new messages at the bottom, but not when the person has scrolled up", async () => {
    const { qc } = setup([message({ id: "m1", message: "one", messageType: "status" })]);
    await screen.findByText("one");
    const list = screen.getByRole("list", { name: "Messages" });
    let scrollHeight = 1000;
    Object.defineProperty(list, "scrollHeight", { get: () => scrollHeight, configurable: true });
    Object.defineProperty(list, "clientHeight", { get: () => 300, configurable: true });

    // At the bottom: a new message scrolls the list to it.
    list.scrollTop = 700;
    fireEvent.scroll(list);
    scrollHeight = 1100;
    act(() =>
      applyEvent(qc, {
        type: "chat.message",
        data: message({
          id: "m2",
          message: "two",
          messageType: "status",
          createdAt: "2025-01-01T11:00:00.000Z",
        }),
      }),
    );
    await waitFor(() => expect(list.scrollTop).toBe(1100));

    // Scrolled up to read: the view stays put and offers a jump to the new message.
    list.scrollTop = 100;
    fireEvent.scroll(list);
    scrollHeight = 1200;
    act(() =>
      applyEvent(qc, {
        type: "chat.message",
        data: message({
          id: "m3",
          message: "three",
          messageType: "status",
          createdAt: "2025-01-01T12:00:00.000Z",
        }),
      }),
    );
    const jump = await screen.findByRole("button", { name: /1 new message/ });
    expect(list.scrollTop).toBe(100);
    fireEvent.click(jump);
    expect(list.scrollTop).toBe(1200);
    expect(screen.queryByRole("button", { name: /new message/ })).toBeNull();
  });
});
