import { ActivityPanel } from "./activity-panel.tsx";
import { QuestionsPanel } from "./questions-panel.tsx";
import { QueuePanel } from "./queue-panel.tsx";
import { SessionsPanel } from "./sessions-panel.tsx";
import { SuspiciousPanel } from "./suspicious-panel.tsx";
import { WorkersPanel } from "./workers-panel.tsx";

/** The operator's overview: workers and sessions in the wide column, what needs attention beside. */
export const Dashboard = () => (
  <div className="page dashboard">
    <h1 className="visually-hidden">Dashboard</h1>
    <div className="dash-grid">
      <div className="dash-main">
        <WorkersPanel />
        <SessionsPanel />
      </div>
      <div className="dash-side">
        <QuestionsPanel />
        <SuspiciousPanel />
        <QueuePanel />
        <ActivityPanel />
      </div>
    </div>
  </div>
);
