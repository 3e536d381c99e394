import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { CONV, renderThread } from "../test/chat.tsx";
import { message } from "../test/fixtures.ts";

const approval = (over: Parameters<typeof message>[0] = {}) =>
  message({
    id: "r1",
    kind: "approval",
    tool: "Bash",
    input: '{"command":"npm test","timeout":60}',
    message: "Run: npm test",
    ...over,
  });

/** A message's own text (not its quote in an answer or in the answer box's context). */
const BODY = { selector: ".msg-body" };

const posts = (api: ReturnType<typeof renderThread>["api"]) => api.calls.filter((c) => c.method === "POST");

describe("chat thread: approvals", () => {
  it("shows the tool and its input, with Allow and Deny beside the answer box instead of Send", async () => {
    renderThread([approval()]);
    const item = (await screen.findByText("Run: npm test", BODY)).closest("li") as HTMLElement;
    expect(within(item).getByText("Approval")).toBeTruthy();
    expect(within(item).getByText("Bash")).toBeTruthy();
    // The input is laid out to read, one key a line.
    expect(item.querySelector("pre")?.textContent).toBe('{\n  "command": "npm test",\n  "timeout": 60\n}');
    expect(screen.getByText(/^Approval requested/)).toBeTruthy();
    expect(screen.getByRole("button", { name: "Allow" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Deny" })).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Send" })).toBeNull();
  });

  it("Deny sends the decision with the typed text as its message; Enter alone decides nothing", async () => {
    const { api, user } = renderThread([approval()]);
    await screen.findByText("Run: npm test", BODY);
    await user.type(screen.getByRole("textbox", { name: "Message" }), "Run only the unit tests{Enter}");
    expect(posts(api)).toHaveLength(0);
    await user.click(screen.getByRole("button", { name: "Deny" }));
    await waitFor(() => expect(posts(api)).toHaveLength(1));
    expect(posts(api)[0]?.body).toEqual({
      conversationId: CONV,
      messageType: "response",
      parentMessageId: "r1",
      decision: "deny",
      message: "Run only the unit tests",
    });
    // The request shows the decision once answered.
    const item = screen.getByText("Run: npm test", BODY).closest("li") as HTMLElement;
    await waitFor(() => expect(within(item).getByText(/^Denied/)).toBeTruthy());
  });

  it("a focused approval takes a (allow) and d (deny) from the keyboard", async () => {
    const { api, user } = renderThread([
      approval({ id: "r1", createdAt: "2025-01-01T10:00:00.000Z" }),
      approval({
        id: "r2",
        message: "Edit: src/app.ts",
        tool: "Edit",
        createdAt: "2025-01-01T10:01:00.000Z",
      }),
    ]);
    const second = (await screen.findByText("Edit: src/app.ts", BODY)).closest("li") as HTMLElement;
    expect(second.getAttribute("aria-keyshortcuts")).toBe("a d");
    second.focus();
    // Focusing it makes it the one the answer box decides.
    await waitFor(() =>
      expect(screen.getByText(/^Approval requested \(1 of 2 open\)/).textContent).toMatch(/Edit/),
    );
    await user.keyboard("a");
    await waitFor(() => expect(posts(api)).toHaveLength(1));
    expect(posts(api)[0]?.body).toEqual({
      conversationId: CONV,
      messageType: "response",
      parentMessageId: "r2",
      decision: "allow",
    });
    await waitFor(() => expect(within(second).getByText(/^Allowed/)).toBeTruthy());
    // The keyboard moves on to the approval still open.
    const first = screen.getByText("Run: npm test", BODY).closest("li") as HTMLElement;
    expect(document.activeElement).toBe(first);
    // Other keys do nothing.
    await user.keyboard("x");
    expect(posts(api)).toHaveLength(1);
  });

  it("an answered approval shows the decision its answer carried", async () => {
    renderThread([
      approval({ answeredAt: "2025-01-01T10:02:00.000Z", answerId: "a1" }),
      message({
        id: "a1",
        senderType: "human",
        senderId: "admin",
        messageType: "response",
        parentMessageId: "r1",
        kind: null,
        decision: "deny",
        message: "Not on main",
        createdAt: "2025-01-01T10:02:00.000Z",
      }),
    ]);
    const request = (await screen.findByText("Run: npm test", BODY)).closest("li") as HTMLElement;
    expect(within(request).getByText(/^Denied/)).toBeTruthy();
    expect(request.getAttribute("tabindex")).toBeNull();
    const answer = screen.getByText("Not on main", BODY).closest("li") as HTMLElement;
    expect(within(answer).getByText("Denied")).toBeTruthy();
    // Nothing is open: the box posts a note.
    expect(screen.getByRole("button", { name: "Send" })).toBeTruthy();
  });
});
