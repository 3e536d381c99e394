import { useSessions } from "../../api/queries.ts";
import { Panel } from "../../components/panel.tsx";
import { ParkedSessions } from "./parked-sessions.tsx";
import { SessionRow } from "./session-row.tsx";
import { TerminatedSessions } from "./terminated-sessions.tsx";

/**
 * Open agent sessions (active and idle, newest first), those parked on a person with how long
 * each has waited, then the recently terminated ones.
 */
export const SessionsPanel = () => {
  const active = useSessions("active");
  const idle = useSessions("idle");
  const parked = useSessions("parked");
  const terminated = useSessions("terminated", 8);
  const open = [...(active.data?.items ?? []), ...(idle.data?.items ?? [])].sort((a, b) =>
    a.createdAt < b.createdAt ? 1 : -1,
  );
  return (
    <Panel title="Agent sessions">
      {open.length === 0 ? (
        <p className="empty">{active.isPending ? "Loading…" : "No session is running."}</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Session</th>
                <th scope="col">Task</th>
                <th scope="col">Worker</th>
                <th scope="col">Age</th>
                <th scope="col">Idle</th>
                <th scope="col">Reaped</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {open.map((s) => (
                <SessionRow key={s.id} session={s} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ParkedSessions sessions={parked.data?.items ?? []} />
      <TerminatedSessions sessions={terminated.data?.items ?? []} />
    </Panel>
  );
};
