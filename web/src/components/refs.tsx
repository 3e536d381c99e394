import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { keys } from "../api/cache.ts";
import { api } from "../api/client.ts";
import { useWorkers } from "../api/queries.ts";

/** A task by its title, linked; realtime events keep the cached task current. */
export const TaskLink = ({ id, to }: { id: string | null | undefined; to?: string }) => {
  const task = useQuery({
    queryKey: keys.task(id ?? ""),
    queryFn: () => api.getTask(id ?? ""),
    enabled: Boolean(id),
    staleTime: 60_000,
  });
  if (!id) return <span className="muted">—</span>;
  return (
    <Link to={to ?? `/tasks/${id}`} className="task-link">
      {task.data?.title ?? <code>{id.slice(0, 8)}</code>}
    </Link>
  );
};

/** Worker id -> name, from the workers list the dashboard keeps. */
export const useWorkerNames = () => {
  const workers = useWorkers();
  const names = new Map<string, string>();
  for (const w of workers.data?.items ?? []) names.set(w.id, w.name);
  return names;
};

export const WorkerName = ({ id }: { id: string | null | undefined }) => {
  const names = useWorkerNames();
  if (!id) return <span className="muted">—</span>;
  return <span className="worker-name">{names.get(id) ?? id.slice(0, 8)}</span>;
};
