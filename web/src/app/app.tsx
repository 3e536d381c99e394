import { useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { Navigate, NavLink, Route, Routes, useNavigate } from "react-router";
import { ApiError } from "../api/client.ts";
import { usePending, useQueue } from "../api/queries.ts";
import { useAuth } from "../auth/store.ts";
import { BrandMark } from "../components/brand-mark.tsx";
import { CreateTaskDialog } from "../components/create-task-dialog.tsx";
import { LiveIndicator } from "../components/live-indicator.tsx";
import { NotificationToggle } from "../components/notification-toggle.tsx";
import { ShortcutsDialog } from "../components/shortcuts-dialog.tsx";
import { Toasts } from "../components/toasts.tsx";
import { setNotificationNavigate } from "../lib/notify.ts";
import { ago, useNow } from "../lib/time.ts";
import { ChatPage } from "../pages/chat-page.tsx";
import { Dashboard } from "../pages/dashboard/dashboard-page.tsx";
import { InboxPage } from "../pages/inbox/inbox-page.tsx";
import { PolicyPage } from "../pages/policy/policy-page.tsx";
import { SignIn } from "../pages/sign-in.tsx";
import { TaskPage } from "../pages/task-page.tsx";
import { TasksPage } from "../pages/tasks-page.tsx";
import { useRealtime } from "../realtime/use-realtime.ts";
import { useReachability } from "./setup.ts";
import { useShortcuts } from "./shortcuts.ts";
import { useUi } from "./ui.ts";

export const App = () => {
  const token = useAuth((s) => s.token);
  return token ? (
    <AuthGate>
      <Shell />
    </AuthGate>
  ) : (
    <SignIn />
  );
};

/**
 * Checks the token against the API before showing anything, so a wrong token or a dead API
 * gets a clear screen instead of a dashboard full of errors.
 */
const AuthGate = ({ children }: { children: React.ReactNode }) => {
  const queue = useQueue();
  const signOut = useAuth((s) => s.signOut);
  if (queue.data) return children;
  if (queue.error) {
    const err = queue.error;
    const unreachable = err instanceof ApiError && (err.unreachable || err.status >= 500);
    return (
      <main className="gate">
        <div className="gate-card" role="alert">
          <h1>{unreachable ? "Cannot reach the AgentVine API" : "Something went wrong"}</h1>
          <p>{err.message}</p>
          {unreachable && (
            <p className="muted">
              Is <code>npm start</code> still running? This page retries when you ask.
            </p>
          )}
          <div className="row">
            <button type="button" className="primary" onClick={() => void queue.refetch()}>
              Try again
            </button>
            <button type="button" onClick={() => signOut()}>
              Sign out
            </button>
          </div>
        </div>
      </main>
    );
  }
  return (
    <main className="gate" aria-busy="true">
      <p className="muted">Connecting to AgentVine…</p>
    </main>
  );
};

const Shell = () => {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const pending = usePending();
  const count = pending.data?.items.length ?? 0;
  useRealtime();
  useShortcuts();

  useEffect(() => setNotificationNavigate((href) => navigate(href)), [navigate]);
  useEffect(() => {
    document.title = count > 0 ? `(${count}) AgentVine` : "AgentVine";
  }, [count]);

  return (
    <div className="shell">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <NavLink to="/" className="brand" aria-label="AgentVine home">
          <BrandMark size={22} />
          <span>AgentVine</span>
        </NavLink>
        <nav aria-label="Main" className="nav">
          <NavLink to="/" end>
            Dashboard
          </NavLink>
          <NavLink to="/tasks">Tasks</NavLink>
          <NavLink to="/chat">Chat</NavLink>
          <NavLink to="/inbox" aria-describedby="inbox-count">
            Inbox
            {count > 0 && (
              <span className="count" aria-hidden="true">
                {count}
              </span>
            )}
          </NavLink>
          <span id="inbox-count" className="visually-hidden">
            {count === 1 ? "1 open request" : `${count} open requests`}
          </span>
          <NavLink to="/policy">Policy</NavLink>
        </nav>
        <div className="topbar-right">
          <LiveIndicator />
          <button type="button" className="primary" onClick={() => useUi.getState().setCreateOpen(true)}>
            Create task
          </button>
          <NotificationToggle />
          <button
            type="button"
            className="ghost"
            onClick={() => useUi.getState().setHelpOpen(true)}
            aria-label="Keyboard shortcuts"
            title="Keyboard shortcuts (?)"
          >
            ?
          </button>
          <button
            type="button"
            className="ghost"
            onClick={() => {
              useAuth.getState().signOut();
              queryClient.clear();
            }}
          >
            Sign out
          </button>
        </div>
      </header>
      <UnreachableBanner />
      <main id="main" className="main" tabIndex={-1}>
        <Routes>
          <Route path="/" element={<Dashboard />} />
          <Route path="/tasks" element={<TasksPage />} />
          <Route path="/tasks/:id" element={<TaskPage />} />
          <Route path="/chat" element={<ChatPage />} />
          <Route path="/chat/:taskId" element={<ChatPage />} />
          <Route path="/inbox" element={<InboxPage />} />
          <Route path="/policy" element={<PolicyPage />} />
          <Route path="*" element={<Navigate to="/" replace />} />
        </Routes>
      </main>
      <CreateTaskDialog />
      <ShortcutsDialog />
      <Toasts />
    </div>
  );
};

const UnreachableBanner = () => {
  const { reachable, lastOkAt, error } = useReachability();
  const now = useNow();
  if (reachable) return null;
  return (
    <div className="banner banner-error" role="alert">
      <strong>The API is not answering.</strong> Showing what was loaded{" "}
      {lastOkAt ? ago(new Date(lastOkAt).toISOString(), now) : "earlier"}; retrying every few seconds.{" "}
      <span className="muted">{error}</span>
    </div>
  );
};
