import type { ExecutionInfo } from "@agentvine/client";
import { formatDuration } from "../lib/time.ts";

const usd = (n: number) => `$${n.toFixed(n < 1 ? 4 : 2)}`;
const count = (n: number) => n.toLocaleString("en-US");

/** What a run reported: cost, tokens, turns, time, and where its work went (branch, commit). */
export const ExecutionFacts = ({ execution: e }: { execution: ExecutionInfo }) => {
  const facts: [string, React.ReactNode][] = [];
  if (e.costUsd !== null) facts.push(["Cost", usd(e.costUsd)]);
  if (e.inputTokens !== null || e.outputTokens !== null)
    facts.push(["Tokens", `${count(e.inputTokens ?? 0)} in · ${count(e.outputTokens ?? 0)} out`]);
  if (e.turns !== null) facts.push(["Turns", count(e.turns)]);
  if (e.durationMs !== null) facts.push(["Agent time", formatDuration(e.durationMs)]);
  if (e.branch) facts.push(["Branch", <code key="branch">{e.branch}</code>]);
  if (e.commitSha)
    facts.push([
      "Commit",
      <code key="commit" title={e.commitSha}>
        {e.commitSha.slice(0, 12)}
      </code>,
    ]);
  if (facts.length === 0 && !e.pushError) return null;
  return (
    <>
      {facts.length > 0 && (
        <dl className="execution-facts">
          {facts.map(([term, value]) => (
            <div key={term}>
              <dt>{term}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      )}
      {e.pushError && (
        <p className="form-error" role="note">
          Push failed: {e.pushError}
        </p>
      )}
    </>
  );
};
