import type { PolicyInfo, PolicyRule } from "@agentvine/client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ApiError, api } from "../../api/client.ts";
import { parseRules } from "../../lib/policy.ts";
import { toast } from "../../lib/toast.ts";

export const POLICY_KEY = ["policy"] as const;

const asText = (policy: PolicyInfo) => JSON.stringify(policy.rules, null, 2);

/** A starting point shown beside the editor: typed, so it stays a valid policy as the contract changes. */
export const EXAMPLE_RULES: PolicyRule[] = [
  { id: "ls", when: { tool: "Bash", match: '"command":"ls ' }, then: "allow", note: "read-only" },
  { id: "no-rm", when: { tool: "Bash", match: "rm -rf" }, then: "deny", note: "never delete" },
  { id: "tests", when: { kind: "question", match: "run the tests" }, then: "reply", reply: "Yes" },
  { id: "docs", when: { taskType: "docs" }, then: "controller" },
];

/** Why the save failed: each bad field the API named, or one message. */
type Problem = { fields: [string, string][]; message: string; conflict: boolean };

const problemOf = (err: unknown): Problem => {
  if (err instanceof ApiError)
    return {
      fields: Object.entries(err.fields),
      message: err.message,
      conflict: err.code === "policy.version_conflict",
    };
  return { fields: [], message: (err as Error).message, conflict: false };
};

/**
 * The rules as JSON, saved over the version they were read at. A list the API refuses shows
 * each field it named (`rules[1].when.match: ...`); a newer version written meanwhile is a
 * conflict: the edit stays in the box until the person reloads.
 */
export const PolicyEditor = ({ policy, onReload }: { policy: PolicyInfo; onReload: () => void }) => {
  const qc = useQueryClient();
  const [text, setText] = useState(() => asText(policy));
  const [problem, setProblem] = useState<Problem | null>(null);
  const save = useMutation({
    mutationFn: (rules: unknown[]) =>
      api.putPolicy({ rules: rules as PolicyInfo["rules"], ifVersion: policy.version }),
    onSuccess: (saved) => {
      qc.setQueryData(POLICY_KEY, saved);
      setText(asText(saved));
      setProblem(null);
      toast({ kind: "success", text: `Policy saved (version ${saved.version})` });
    },
    onError: (err) => setProblem(problemOf(err)),
  });
  const submit = () => {
    const parsed = parseRules(text);
    if ("error" in parsed)
      return setProblem({ fields: [["rules", parsed.error]], message: parsed.error, conflict: false });
    save.mutate(parsed.rules);
  };
  return (
    <form
      className="policy-editor"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <label htmlFor="policy-rules">Rules (JSON), first match wins</label>
      <textarea
        id="policy-rules"
        className="policy-text"
        spellCheck={false}
        rows={Math.min(30, Math.max(8, text.split("\n").length + 1))}
        value={text}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? "policy-problems" : undefined}
        onChange={(e) => setText(e.target.value)}
      />
      <details className="policy-help">
        <summary>Rule format</summary>
        <p className="muted small">
          <code>when</code> (every condition given must hold): <code>kind</code> (question or approval),{" "}
          <code>tool</code>, <code>match</code> (a regular expression searched in a question or an approval's
          input), <code>taskType</code>, <code>repository</code>. <code>then</code>: <code>human</code>,{" "}
          <code>allow</code> or <code>deny</code> (approvals), <code>reply</code> (questions, with{" "}
          <code>reply</code>), <code>controller</code>. <code>note</code> says why.
        </p>
        <pre className="policy-example">{JSON.stringify(EXAMPLE_RULES, null, 2)}</pre>
      </details>
      {problem && (
        <div id="policy-problems" className="form-error" role="alert">
          {problem.conflict ? (
            <p>
              {problem.message}{" "}
              <button type="button" className="link" onClick={onReload}>
                Load the newer version
              </button>
            </p>
          ) : problem.fields.length ? (
            <ul className="policy-problems">
              {problem.fields.map(([field, message]) => (
                <li key={field}>
                  <code>{field}</code>: {message}
                </li>
              ))}
            </ul>
          ) : (
            <p>{problem.message}</p>
          )}
        </div>
      )}
      <div className="row">
        <button type="submit" className="primary" disabled={save.isPending}>
          {save.isPending ? "Saving…" : "Save rules"}
        </button>
        <button
          type="button"
          onClick={() => {
            setText(asText(policy));
            setProblem(null);
          }}
        >
          Discard changes
        </button>
      </div>
    </form>
  );
};
