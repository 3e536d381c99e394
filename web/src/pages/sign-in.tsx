import { type FormEvent, useId, useState } from "react";
import { API_BASE, ApiError, api } from "../api/client.ts";
import { useAuth } from "../auth/store.ts";
import { BrandMark } from "../components/brand-mark.tsx";

/**
 * Sign in with an API token. The token is checked against the API first, so a wrong token
 * ("refused") and a dead API ("unreachable") each get their own clear message.
 */
export const SignIn = () => {
  const problem = useAuth((s) => s.problem);
  const signIn = useAuth((s) => s.signIn);
  const [token, setToken] = useState("");
  const [remember, setRemember] = useState(false);
  const [checking, setChecking] = useState(false);
  const [error, setError] = useState<{ kind: "refused" | "unreachable" | "other"; message: string } | null>(
    problem,
  );
  const id = useId();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const value = token.trim();
    if (!value) {
      setError({ kind: "other", message: "Paste the API token that npm start printed." });
      return;
    }
    setChecking(true);
    setError(null);
    try {
      await api.queueStatus(value);
      signIn(value, remember);
    } catch (err) {
      const e2 = err as ApiError;
      if (e2 instanceof ApiError && e2.status === 401) setError({ kind: "refused", message: e2.message });
      else if (e2 instanceof ApiError && (e2.unreachable || e2.status >= 500))
        setError({ kind: "unreachable", message: e2.message });
      else setError({ kind: "other", message: (err as Error).message });
    } finally {
      setChecking(false);
    }
  };

  return (
    <main className="gate">
      <form className="gate-card" onSubmit={submit} noValidate>
        <h1>
          <BrandMark size={26} className="brand-mark" /> Sign in to AgentVine
        </h1>
        <p className="muted">
          Use an API token. <code>npm start</code> prints the admin token and a link that signs you in
          directly.
        </p>
        {error && (
          <div className={`notice notice-${error.kind === "unreachable" ? "warn" : "error"}`} role="alert">
            <strong>
              {error.kind === "refused"
                ? "That token was refused."
                : error.kind === "unreachable"
                  ? "The API is not reachable."
                  : "Cannot sign in."}
            </strong>{" "}
            {error.message}
            {error.kind === "unreachable" && (
              <>
                {" "}
                Check that AgentVine is running at <code>{API_BASE || window.location.origin}</code>.
              </>
            )}
          </div>
        )}
        <div className="field">
          <label htmlFor={id}>API token</label>
          <input
            id={id}
            type="password"
            autoComplete="current-password"
            value={token}
            onChange={(e) => setToken(e.target.value)}
            placeholder="avt_…"
            spellCheck={false}
          />
        </div>
        <label className="check">
          <input type="checkbox" checked={remember} onChange={(e) => setRemember(e.target.checked)} />{" "}
          Remember on this device
        </label>
        <button type="submit" className="primary wide" disabled={checking}>
          {checking ? "Checking…" : "Sign in"}
        </button>
      </form>
    </main>
  );
};
