import { create } from "zustand";
import { setApiToken } from "../api/client.ts";

const KEY = "agentvine.token";

/** Why the person is looking at the sign-in screen, when it is not their choice. */
export interface SignInProblem {
  kind: "refused" | "unreachable";
  message: string;
}

interface AuthState {
  token: string | null;
  problem: SignInProblem | null;
  signIn: (token: string, remember: boolean) => void;
  signOut: (problem?: SignInProblem) => void;
}

const stored = (): string | null => {
  try {
    return sessionStorage.getItem(KEY) ?? localStorage.getItem(KEY);
  } catch {
    return null;
  }
};

/**
 * The API token. Kept for the browser session (sessionStorage), or on this device when the
 * person asks (localStorage). Nothing else about the person is stored.
 */
export const useAuth = create<AuthState>((set) => ({
  token: null,
  problem: null,
  signIn: (token, remember) => {
    try {
      sessionStorage.setItem(KEY, token);
      if (remember) localStorage.setItem(KEY, token);
      else localStorage.removeItem(KEY);
    } catch {
      // storage disabled: the token lives in memory for this page
    }
    setApiToken(token);
    set({ token, problem: null });
  },
  signOut: (problem) => {
    try {
      sessionStorage.removeItem(KEY);
      localStorage.removeItem(KEY);
    } catch {
      // nothing stored
    }
    setApiToken(null);
    set({ token: null, problem: problem ?? null });
  },
}));

/**
 * Takes a token from `#token=...` in the URL (the link `npm start` prints) and removes it from
 * the address bar and history at once. True when there was one.
 */
export const takeTokenFromUrl = (location: Location = window.location, history: History = window.history) => {
  const hash = new URLSearchParams(location.hash.replace(/^#/, ""));
  const fromUrl = hash.get("token");
  if (!fromUrl) return false;
  hash.delete("token");
  const rest = hash.toString();
  history.replaceState(history.state, "", `${location.pathname}${location.search}${rest ? `#${rest}` : ""}`);
  useAuth.getState().signIn(fromUrl.trim(), false);
  return true;
};

/**
 * Reads the token at start-up: from the URL first, otherwise the stored one. A link with a
 * token opened in a tab that is already on AgentVine only changes the hash: that signs in too.
 */
export const bootstrapAuth = (location: Location = window.location, history: History = window.history) => {
  if (typeof window !== "undefined" && location === window.location) {
    window.addEventListener("hashchange", () => takeTokenFromUrl());
  }
  if (takeTokenFromUrl(location, history)) return;
  const token = stored();
  if (token) {
    setApiToken(token);
    useAuth.setState({ token });
  }
};
