import { useKeepAlive } from "../api/queries.ts";
import { toast } from "../lib/toast.ts";

/** The session heartbeat as a person sends it: pushes the keep-alive policy's reap time back. */
export const KeepAliveButton = ({ session }: { session: { id: string; sessionId: string } }) => {
  const keep = useKeepAlive();
  return (
    <button
      type="button"
      className="small"
      disabled={keep.isPending}
      onClick={() =>
        keep.mutate(session.id, {
          onSuccess: () => toast({ kind: "success", text: `Session ${session.sessionId} kept alive` }),
          onError: (err) => toast({ kind: "error", text: `Keep alive failed: ${err.message}` }),
        })
      }
    >
      Keep alive
    </button>
  );
};
