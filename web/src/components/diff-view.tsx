import { useMemo } from "react";
import { type DiffFile, type DiffHunk, parseUnifiedDiff } from "../lib/unified-diff.ts";

export interface ChangedFile {
  path: string;
  added: number;
  removed: number;
}

/** Up to this many changed lines in all, every file opens; beyond, each waits for a click. */
const OPEN_ALL_UNDER = 400;

/**
 * A delivery's changes, file by file: the list with +added/−removed (the worker's own counts
 * when it sent them, else the diff's), each file opening onto its hunks.
 */
export const DiffView = ({
  files,
  diff,
  truncated,
}: {
  files: ChangedFile[] | null;
  diff: string | null;
  truncated: boolean;
}) => {
  const parsed = useMemo(() => parseUnifiedDiff(diff ?? ""), [diff]);
  const byPath = new Map(parsed.map((f) => [f.path, f]));
  const list: ChangedFile[] = files ?? parsed;
  if (list.length === 0) return null;
  const added = list.reduce((n, f) => n + f.added, 0);
  const removed = list.reduce((n, f) => n + f.removed, 0);
  const openAll = added + removed <= OPEN_ALL_UNDER;
  return (
    <section className="diff" aria-label="Changes">
      <p className="diff-summary small">
        {list.length} file{list.length === 1 ? "" : "s"} changed, <Counts added={added} removed={removed} />
        {truncated && <span className="muted"> · the diff was cut short; some files show no lines</span>}
      </p>
      <ul className="diff-files">
        {list.map((f) => (
          <li key={f.path}>
            <FileDiff file={f} parsed={byPath.get(f.path)} open={openAll} />
          </li>
        ))}
      </ul>
    </section>
  );
};

const Counts = ({ added, removed }: { added: number; removed: number }) => (
  <>
    <span className="diff-added" title={`${added} added`}>
      +{added}
    </span>{" "}
    <span className="diff-removed" title={`${removed} removed`}>
      −{removed}
    </span>
  </>
);

const FileDiff = ({ file, parsed, open }: { file: ChangedFile; parsed?: DiffFile; open: boolean }) => (
  <details className="diff-file" open={open}>
    <summary>
      <span className="diff-path">
        {parsed?.oldPath && `${parsed.oldPath} → `}
        {file.path}
      </span>
      <Counts added={file.added} removed={file.removed} />
    </summary>
    {parsed?.binary ? (
      <p className="muted small diff-empty">Binary file: no lines to show.</p>
    ) : !parsed || parsed.hunks.length === 0 ? (
      <p className="muted small diff-empty">No lines to show.</p>
    ) : (
      // A hunk header names its line ranges, which no two hunks of a file share.
      parsed.hunks.map((h) => <Hunk key={h.header} hunk={h} />)
    )}
  </details>
);

const SIGN = { add: "+", remove: "−", context: " ", note: "\\" } as const;
const SAID = { add: "added", remove: "removed", context: "", note: "" } as const;

/** One hunk: each line with its old and new numbers, its sign (not colour alone) and its text. */
const Hunk = ({ hunk }: { hunk: DiffHunk }) => (
  <pre className="diff-hunk">
    <code>
      <span className="diff-line diff-header">{hunk.header}</span>
      {hunk.lines.map((l, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a hunk's lines never move; the index is their identity
        <span key={i} className={`diff-line diff-${l.kind}`}>
          <span className="diff-no" aria-hidden="true">
            {l.oldLine ?? ""}
          </span>
          <span className="diff-no" aria-hidden="true">
            {l.newLine ?? ""}
          </span>
          <span className="diff-sign" title={SAID[l.kind] || undefined}>
            {SIGN[l.kind]}
          </span>
          <span className="diff-text">{l.text}</span>
        </span>
      ))}
    </code>
  </pre>
);
