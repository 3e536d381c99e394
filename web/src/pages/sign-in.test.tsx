import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { bootstrapAuth, useAuth } from "../auth/store.ts";
import { mockApi, renderApp } from "../test/render.tsx";
import { SignIn } from "./sign-in.tsx";

const stats = { queues: {}, totals: {}, claimed: 0, at: "" };

afterEach(() => {
  vi.unstubAllGlobals();
  useAuth.setState({ token: null, problem: null });
});

describe("sign-in", () => {
  it("checks the token with the API before keeping it (for the browser session)", async () => {
    const api = mockApi({
      "GET /queue/status": (call) =>
        call.headers.authorization === "Bearer good-token"
          ? { body: stats }
          : {
              status: 401,
              body: {
                error: {
                  code: "auth.invalid_token",
                  message: "The API token is unknown or revoked",
                  details: {},
                },
              },
            },
    });
    renderApp(<SignIn />);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText("API token"), "bad-token");
    await user.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByText("That token was refused.")).toBeTruthy();
    expect(useAuth.getState().token).toBeNull();

    await user.clear(screen.getByLabelText("API token"));
    await user.type(screen.getByLabelText("API token"), "good-token");
    await user.click(screen.getByRole("button", { name: "Sign in" }));
    await waitFor(() => expect(useAuth.getState().token).toBe("good-token"));
    expect(sessionStorage.getItem("agentvine.token")).toBe("good-token");
    expect(localStorage.getItem("agentvine.token")).toBeNull();
    expect(api.calls).toHaveLength(2);
  });

  it("says plainly when the API cannot be reached", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => {
        throw new TypeError("Failed to fetch");
      }),
    );
    renderApp(<SignIn />);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText("API token"), "any");
    await user.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByText("The API is not reachable.")).toBeTruthy();
    expect(screen.getByRole("alert").textContent).toMatch(/Failed to fetch/);
  });

  it("shows why the person was signed out", () => {
    useAuth.getState().signOut({ kind: "refused", message: "The API refused the token: revoked" });
    renderApp(<SignIn />);
    expect(screen.getByRole("alert").textContent).toMatch(/revoked/);
  });

  it("takes the token from the #token= link npm start prints, and removes it from the address bar", () => {
    const replaceState = vi.fn();
    bootstrapAuth(
      { hash: "#token=avt_secret", pathname: "/tasks", search: "?status=queued" } as Location,
      { state: null, replaceState } as unknown as History,
    );
    expect(useAuth.getState().token).toBe("avt_secret");
    expect(replaceState).toHaveBeenCalledWith(null, "", "/tasks?status=queued");
  });
});
