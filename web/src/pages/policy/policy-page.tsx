import type { PolicyInfo } from "@agentvine/client";
import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { ApiError, api } from "../../api/client.ts";
import { Panel } from "../../components/panel.tsx";
import { describeThen, describeWhen } from "../../lib/policy.ts";
import { stamp, useNow } from "../../lib/time.ts";
import { POLICY_KEY, PolicyEditor } from "./policy-editor.tsx";

/**
 * The routing policy (admins): the rules in words, their JSON to edit, and the latest
 * decisions with who made them.
 */
export const PolicyPage = () => {
  const policy = useQuery({ queryKey: POLICY_KEY, queryFn: api.getPolicy });
  const forbidden = policy.error instanceof ApiError && policy.error.code === "auth.forbidden";
  return (
    <div className="page policy-page">
      <header className="page-header">
        <h1>Routing policy</h1>
        {policy.data && (
          <span className="muted">
            Version {policy.data.version}
            {policy.data.updatedBy ? `, by ${policy.data.updatedBy}` : ""}
          </span>
        )}
      </header>
      {forbidden ? (
        <p className="empty">Only admins can read and change the routing policy.</p>
      ) : policy.error ? (
        <p className="form-error" role="alert">
          Could not load the policy: {policy.error.message}
        </p>
      ) : !policy.data ? (
        <p className="empty">Loading…</p>
      ) : (
        <div className="policy-grid">
          <Panel title="Rules">
            <RuleList policy={policy.data} />
            {/* Keyed by version: a saved or reloaded policy starts a fresh edit. */}
            <PolicyEditor
              key={policy.data.version}
              policy={policy.data}
              onReload={() => void policy.refetch()}
            />
          </Panel>
          <Decisions />
        </div>
      )}
    </div>
  );
};

const RuleList = ({ policy }: { policy: PolicyInfo }) =>
  policy.rules.length === 0 ? (
    <p className="empty">No rules: every question and approval goes to a person.</p>
  ) : (
    <ol className="rules">
      {policy.rules.map((r) => (
        <li key={r.id}>
          <strong>{r.id}</strong>: {describeWhen(r)} → {describeThen(r)}
          {r.note && <span className="muted"> ({r.note})</span>}
        </li>
      ))}
      <li className="muted">anything else → ask a person</li>
    </ol>
  );

const WHO = { person: "a person", rule: "rule", controller: "the controller" } as const;

const Decisions = () => {
  const audit = useQuery({ queryKey: ["audit"], queryFn: () => api.audit(20) });
  const now = useNow();
  const items = audit.data?.items ?? [];
  return (
    <Panel title="Latest decisions">
      {items.length === 0 ? (
        <p className="empty">{audit.isPending ? "Loading…" : "No decisions yet."}</p>
      ) : (
        <ol className="timeline">
          {items.map((a) => (
            <li key={a.id} className="tl">
              <span className="tl-time" title={a.createdAt}>
                {stamp(a.createdAt, now)}
              </span>
              <span className="tl-text">
                <Link to={`/tasks/${a.taskId}`}>{a.tool ? `${a.tool} approval` : "Question"}</Link>{" "}
                {a.outcome} by {WHO[a.decidedBy.type]}
                {a.decidedBy.type === "person" ? "" : ` ${a.decidedBy.id}`}
                {a.reason ? `: ${a.reason}` : ""}
              </span>
            </li>
          ))}
        </ol>
      )}
    </Panel>
  );
};
