import type { TaskInfo } from "@agentvine/core/task/schema";
import { useVirtualizer } from "@tanstack/react-virtual";
import { type KeyboardEvent, useEffect, useMemo, useRef, useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import type { TaskFilter } from "../api/client.ts";
import { useTasks } from "../api/queries.ts";
import { PriorityTag, StatusBadge, SuspiciousTag } from "../components/badge.tsx";
import { WorkerName } from "../components/refs.tsx";
import { TaskActions } from "../components/task-actions.tsx";
import { filterFromSearch, searchFromFilter, TaskFilters } from "../components/task-filters.tsx";
import { ago, useNow } from "../lib/time.ts";

const ROW_HEIGHT = 44;

export const TasksPage = () => {
  const [search, setSearch] = useSearchParams();
  const filter = useMemo(() => filterFromSearch(search), [search]);
  const setFilter = (f: TaskFilter) => setSearch(searchFromFilter(f), { replace: true });
  const tasks = useTasks(filter);
  const rows = useMemo(() => tasks.data?.pages.flatMap((p) => p.items) ?? [], [tasks.data]);

  return (
    <div className="page tasks-page">
      <header className="page-header">
        <h1>Tasks</h1>
        <TaskFilters filter={filter} onChange={setFilter} />
      </header>
      {tasks.error ? (
        <p className="form-error" role="alert">
          Could not load tasks: {tasks.error.message}
        </p>
      ) : (
        <TaskTable
          rows={rows}
          loading={tasks.isPending}
          hasMore={Boolean(tasks.hasNextPage)}
          loadingMore={tasks.isFetchingNextPage}
          loadMore={() => void tasks.fetchNextPage()}
          filtered={Boolean(filter.status || filter.taskType || filter.priority)}
        />
      )}
    </div>
  );
};

/**
 * A virtualized table: only the rows in view (plus a few) are in the DOM, so 10,000 tasks
 * scroll as smoothly as 10. Pages of 100 load as the end comes into view. j/k move the
 * selection, Enter opens it.
 */
export const TaskTable = ({
  rows,
  loading,
  hasMore,
  loadingMore,
  loadMore,
  filtered,
}: {
  rows: TaskInfo[];
  loading: boolean;
  hasMore: boolean;
  loadingMore: boolean;
  loadMore: () => void;
  filtered: boolean;
}) => {
  const scrollRef = useRef<HTMLElement>(null);
  const navigate = useNavigate();
  const [selected, setSelected] = useState(0);
  const now = useNow();
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    // jsdom has no layout: render a first screenful there too.
    initialRect: { width: 1000, height: 800 },
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? -1;

  useEffect(() => {
    if (hasMore && !loadingMore && lastIndex >= rows.length - 25) loadMore();
  }, [hasMore, loadingMore, lastIndex, rows.length, loadMore]);

  useEffect(() => {
    if (selected >= rows.length && rows.length > 0) setSelected(rows.length - 1);
  }, [rows.length, selected]);

  const onKey = (e: KeyboardEvent) => {
    if (e.target !== e.currentTarget) return;
    const move = (to: number) => {
      e.preventDefault();
      const next = Math.max(0, Math.min(rows.length - 1, to));
      setSelected(next);
      virtualizer.scrollToIndex(next, { align: "auto" });
    };
    if (e.key === "j" || e.key === "ArrowDown") move(selected + 1);
    else if (e.key === "k" || e.key === "ArrowUp") move(selected - 1);
    else if (e.key === "Home") move(0);
    else if (e.key === "End") move(rows.length - 1);
    else if (e.key === "Enter" && rows[selected]) navigate(`/tasks/${rows[selected].id}`);
  };

  if (loading) return <p className="empty">Loading tasks…</p>;
  if (rows.length === 0) {
    return (
      <p className="empty">
        {filtered
          ? "No task matches these filters."
          : "No tasks yet. Create one with the Create task button (or press c)."}
      </p>
    );
  }
  const padTop = items[0]?.start ?? 0;
  const padBottom = virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0);
  return (
    <>
      <section
        ref={scrollRef}
        className="task-scroll"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take focus so keyboard users can scroll it (and use j/k)
        tabIndex={0}
        onKeyDown={onKey}
        aria-label="Task list (j/k to move, Enter to open)"
      >
        <table className="table task-table" aria-rowcount={rows.length + 1}>
          <thead>
            <tr>
              <th scope="col" className="col-status">
                Status
              </th>
              <th scope="col">Title</th>
              <th scope="col" className="col-type">
                Type
              </th>
              <th scope="col" className="col-prio">
                Priority
              </th>
              <th scope="col" className="col-worker">
                Worker
              </th>
              <th scope="col" className="col-time">
                Created
              </th>
              <th scope="col" className="col-actions">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {padTop > 0 && (
              // biome-ignore lint/a11y/noInteractiveElementToNoninteractiveRole: a spacer for the rows scrolled out of view, not a row
              <tr role="presentation" style={{ height: padTop }}>
                <td colSpan={7} />
              </tr>
            )}
            {items.map((v) => {
              const t = rows[v.index] as TaskInfo;
              return (
                <tr
                  key={t.id}
                  aria-rowindex={v.index + 2}
                  className={v.index === selected ? "selected" : undefined}
                  style={{ height: ROW_HEIGHT }}
                  onClick={() => setSelected(v.index)}
                >
                  <td className="col-status">
                    <StatusBadge status={t.status} />
                  </td>
                  <td className="col-title">
                    <Link to={`/tasks/${t.id}`}>{t.title}</Link>
                    {t.suspicious && <SuspiciousTag reason={t.suspicious} />}
                    {t.failureReason && t.status === "failed" && (
                      <span className="muted small reason-inline" title={t.failureReason}>
                        {" "}
                        · {t.failureReason}
                      </span>
                    )}
                  </td>
                  <td className="col-type">{t.taskType}</td>
                  <td className="col-prio">
                    <PriorityTag priority={t.priority} />
                  </td>
                  <td className="col-worker">{t.workerId ? <WorkerName id={t.workerId} /> : null}</td>
                  <td className="col-time" title={t.createdAt}>
                    {ago(t.createdAt, now)}
                  </td>
                  <td className="col-actions">
                    <TaskActions task={t} />
                  </td>
                </tr>
              );
            })}
            {padBottom > 0 && (
              // biome-ignore lint/a11y/noInteractiveElementToNoninteractiveRole: a spacer for the rows scrolled out of view, not a row
              <tr role="presentation" style={{ height: padBottom }}>
                <td colSpan={7} />
              </tr>
            )}
          </tbody>
        </table>
      </section>
      <p className="muted small list-footer" aria-live="polite">
        {rows.length.toLocaleString()} task{rows.length === 1 ? "" : "s"}
        {hasMore ? (loadingMore ? " · loading more…" : " · more as you scroll") : " · all loaded"}
      </p>
    </>
  );
};
