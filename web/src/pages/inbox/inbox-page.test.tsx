import type { ChatMessageInfo, PendingQuestion } from "@agentvine/client";
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { useShortcuts } from "../../app/shortcuts.ts";
import { freezeClockAtNow } from "../../test/dashboard-api.ts";
import { message, page, pendingRequest, task } from "../../test/fixtures.ts";
import { mockApi, renderApp } from "../../test/render.tsx";
import { InboxPage } from "./inbox-page.tsx";

freezeClockAtNow(); // 2025-01-01T12:00:00Z

const open = (requestId: string, minutesAgo: number, over: Partial<PendingQuestion> = {}) =>
  pendingRequest({
    requestId,
    createdAt: new Date(Date.parse("2025-01-01T12:00:00Z") - minutesAgo * 60_000).toISOString(),
    waitingMs: minutesAgo * 60_000,
    ...over,
  });

/** The inbox with the global shortcuts (they hand the page its keys), over a fake API. */
const renderInbox = (pending: PendingQuestion[]) => {
  const api = mockApi({
    "GET /chat/pending": () => ({ body: { items: pending } }),
    "GET /workers": () => ({
      body: page([
        { id: "w1", name: "vine-1" },
        { id: "w2", name: "vine-2" },
      ]),
    }),
    "GET /tasks/t1": () => ({ body: task({ id: "t1", title: "Fix login" }) }),
    "GET /tasks/t2": () => ({ body: task({ id: "t2", title: "Speed up CI" }) }),
    "POST /chat/messages": (call) => {
      const body = call.body as Partial<ChatMessageInfo>;
      return {
        status: 201,
        body: message({
          conversationId: body.conversationId,
          senderType: "human",
          message: body.message ?? "Allowed",
          messageType: "response",
          parentMessageId: body.parentMessageId ?? null,
          decision: body.decision ?? null,
          kind: null,
        }),
      };
    },
  });
  const WithKeys = () => {
    useShortcuts();
    return <InboxPage />;
  };
  renderApp(<WithKeys />, { route: "/inbox" });
  return { api, user: userEvent.setup() };
};

const posts = (api: ReturnType<typeof renderInbox>["api"]) =>
  api.calls.filter((c) => c.method === "POST").map((c) => c.body);
const items = () => within(screen.getByRole("list", { name: "Open requests" })).getAllByRole("listitem");
const selected = () => items().find((li) => li.getAttribute("aria-current") === "true");

describe("inbox", () => {
  it("lists every open request oldest first with its task, worker and time waited", async () => {
    renderInbox([
      open("r2", 1, { conversationId: "t2", taskId: "t2", workerId: "w2", tool: "Edit", input: null }),
      open("r1", 5, { kind: "question", tool: null, input: null, message: "Which database?" }),
    ]);
    await screen.findByText("2 open requests, oldest first");
    const [first, second] = items();
    await within(first as HTMLElement).findByRole("link", { name: "Fix login" });
    await waitFor(() =>
      expect(first?.textContent).toMatch(
        /^Question task Fix login worker vine-1 waiting 5m 00sWhich database\?/,
      ),
    );
    expect(
      within(second as HTMLElement)
        .getByRole("link", { name: "Speed up CI" })
        .getAttribute("href"),
    ).toBe("/tasks/t2");
    expect(second?.textContent).toMatch(/Approval: Edit.*worker vine-2.*waiting 1m 00s/);
    // The oldest is selected and has the focus, so the keys work at once.
    expect(selected()).toBe(first);
    expect(document.activeElement).toBe(first);
  });

  it("j/k move the selection; a allows and d denies the selected approval, and the next one takes the focus", async () => {
    const { api, user } = renderInbox([
      open("r1", 3),
      open("r2", 2, { conversationId: "t2", taskId: "t2", input: '{"command":"ls"}' }),
      open("r3", 1, { input: '{"command":"pwd"}' }),
    ]);
    await screen.findByText("3 open requests, oldest first");
    await user.keyboard("jjk");
    expect(selected()?.dataset.id).toBe("r2");
    await user.keyboard("a");
    await waitFor(() => expect(items()).toHaveLength(2));
    expect(posts(api)).toEqual([
      { conversationId: "t2", messageType: "response", parentMessageId: "r2", decision: "allow" },
    ]);
    // r3 took r2's place in the list and under the keyboard.
    expect(selected()?.dataset.id).toBe("r3");
    expect(document.activeElement).toBe(selected());
    await user.keyboard("d");
    await waitFor(() => expect(items()).toHaveLength(1));
    expect(posts(api)[1]).toEqual({
      conversationId: "t1",
      messageType: "response",
      parentMessageId: "r3",
      decision: "deny",
    });
    // Keys that mean nothing here do nothing; "g then d" goes to the dashboard, it does not deny.
    await user.keyboard("xgd");
    expect(posts(api)).toHaveLength(2);
  });

  it("Enter opens a reply box on a question; Enter in it sends the answer", async () => {
    const { api, user } = renderInbox([
      open("r1", 2, { kind: "question", tool: null, input: null, message: "Which database?" }),
    ]);
    await screen.findByText("1 open request, oldest first");
    await user.keyboard("a"); // a question is not allowed or denied
    await user.keyboard("{Enter}");
    const box = screen.getByRole("textbox", { name: "Your answer" });
    expect(document.activeElement).toBe(box);
    await user.keyboard("DynamoDB{Shift>}{Enter}{/Shift}with a TTL{Enter}");
    await waitFor(() => expect(screen.getByText("Nothing is waiting for a person.")).toBeTruthy());
    expect(posts(api)).toEqual([
      {
        conversationId: "t1",
        messageType: "response",
        parentMessageId: "r1",
        message: "DynamoDB\nwith a TTL",
      },
    ]);
  });

  it("Reply on another question selects it and opens its box there", async () => {
    const { api, user } = renderInbox([
      open("r1", 2, { kind: "question", tool: null, input: null, message: "Which database?" }),
      open("r2", 1, {
        conversationId: "t2",
        kind: "question",
        tool: null,
        input: null,
        message: "Which port?",
      }),
    ]);
    await screen.findByText("2 open requests, oldest first");
    await user.click(within(items()[1] as HTMLElement).getByRole("button", { name: "Reply" }));
    expect(selected()?.dataset.id).toBe("r2");
    const box = within(items()[1] as HTMLElement).getByRole("textbox", { name: "Your answer" });
    expect(document.activeElement).toBe(box);
    await user.keyboard("8080{Enter}");
    await waitFor(() => expect(items()).toHaveLength(1));
    expect(posts(api)).toEqual([
      { conversationId: "t2", messageType: "response", parentMessageId: "r2", message: "8080" },
    ]);
  });

  it("A allows every approval identical to the selected one (same tool and input), and no other", async () => {
    const { api, user } = renderInbox([
      open("r1", 4),
      open("r2", 3, { input: '{"command":"rm -rf dist"}' }),
      open("r3", 2, { conversationId: "t2", taskId: "t2" }),
      open("r4", 1, { tool: "Edit" }),
    ]);
    await screen.findByText("4 open requests, oldest first");
    expect(items()[0]?.textContent).toMatch(/2 identical requests open/);
    expect(within(items()[1] as HTMLElement).queryByRole("button", { name: /Allow all/ })).toBeNull();
    await user.keyboard("A");
    await waitFor(() => expect(items()).toHaveLength(2));
    expect(posts(api)).toEqual([
      { conversationId: "t1", messageType: "response", parentMessageId: "r1", decision: "allow" },
      { conversationId: "t2", messageType: "response", parentMessageId: "r3", decision: "allow" },
    ]);
    expect(items().map((li) => li.dataset.id)).toEqual(["r2", "r4"]);
  });

  it("the buttons do what the keys do, for the request they sit in", async () => {
    const { api, user } = renderInbox([open("r1", 2), open("r2", 1, { input: "{}" })]);
    await screen.findByText("2 open requests, oldest first");
    await user.click(within(items()[1] as HTMLElement).getByRole("button", { name: "Deny" }));
    await waitFor(() => expect(items()).toHaveLength(1));
    expect(posts(api)).toEqual([
      { conversationId: "t1", messageType: "response", parentMessageId: "r2", decision: "deny" },
    ]);
  });
});
