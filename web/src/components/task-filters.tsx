import { TASK_STATUSES, TASK_TYPES, type TaskStatus, type TaskType } from "@agentvine/core/db/enums";
import { PRIORITIES, type Priority } from "@agentvine/core/resources";
import type { TaskFilter } from "../api/client.ts";

const pick = <T extends string>(value: string | null, allowed: readonly T[]): T | undefined =>
  allowed.includes(value as T) ? (value as T) : undefined;

/** The filter lives in the URL (?status=&type=&priority=), so it survives reloads and can be shared. */
export const filterFromSearch = (search: URLSearchParams): TaskFilter => ({
  status: pick<TaskStatus>(search.get("status"), TASK_STATUSES),
  taskType: pick<TaskType>(search.get("type"), TASK_TYPES),
  priority: pick<Priority>(search.get("priority"), PRIORITIES),
});

export const searchFromFilter = (filter: TaskFilter): URLSearchParams => {
  const search = new URLSearchParams();
  if (filter.status) search.set("status", filter.status);
  if (filter.taskType) search.set("type", filter.taskType);
  if (filter.priority) search.set("priority", filter.priority);
  return search;
};

const STATUS_LABELS: Record<TaskStatus, string> = {
  queued: "Queued",
  in_progress: "In progress",
  waiting: "Waiting",
  completed: "Completed",
  failed: "Failed",
  cancelled: "Cancelled",
};

export const TaskFilters = ({
  filter,
  onChange,
}: {
  filter: TaskFilter;
  onChange: (f: TaskFilter) => void;
}) => (
  <div className="filters">
    <fieldset className="segmented" aria-label="Filter by status">
      <button
        type="button"
        aria-pressed={!filter.status}
        onClick={() => onChange({ ...filter, status: undefined })}
        data-filter-first
      >
        All
      </button>
      {TASK_STATUSES.map((s) => (
        <button
          key={s}
          type="button"
          aria-pressed={filter.status === s}
          onClick={() => onChange({ ...filter, status: filter.status === s ? undefined : s })}
        >
          {STATUS_LABELS[s]}
        </button>
      ))}
    </fieldset>
    <label className="inline-field">
      <span aria-hidden="true">Type</span>
      <select
        aria-label="Filter by type"
        value={filter.taskType ?? ""}
        onChange={(e) => onChange({ ...filter, taskType: pick<TaskType>(e.target.value, TASK_TYPES) })}
      >
        <option value="">All types</option>
        {TASK_TYPES.map((t) => (
          <option key={t} value={t}>
            {t}
          </option>
        ))}
      </select>
    </label>
    <label className="inline-field">
      <span aria-hidden="true">Priority</span>
      <select
        aria-label="Filter by priority"
        value={filter.priority ?? ""}
        onChange={(e) => onChange({ ...filter, priority: pick<Priority>(e.target.value, PRIORITIES) })}
      >
        <option value="">All priorities</option>
        {PRIORITIES.map((p) => (
          <option key={p} value={p}>
            {p}
          </option>
        ))}
      </select>
    </label>
    {(filter.status || filter.taskType || filter.priority) && (
      <button type="button" className="link" onClick={() => onChange({})}>
        Clear filters
      </button>
    )}
  </div>
);
