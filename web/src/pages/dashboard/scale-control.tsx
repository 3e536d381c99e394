import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { keys } from "../../api/cache.ts";
import { api } from "../../api/client.ts";
import { useScale } from "../../api/queries.ts";
import { toast } from "../../lib/toast.ts";

/** The desired worker count; the draft is kept apart so a live update does not overwrite typing. */
export const ScaleControl = () => {
  const scale = useScale();
  const qc = useQueryClient();
  const [draft, setDraft] = useState<string | null>(null);
  const id = useId();
  const set = useMutation({
    mutationFn: (desired: number) => api.setScale(desired),
    onSuccess: (data) => {
      qc.setQueryData(keys.scale, data);
      setDraft(null);
      toast({ kind: "success", text: `Worker count set to ${data.desired}` });
    },
    onError: (err) => toast({ kind: "error", text: `Could not set the worker count: ${err.message}` }),
  });
  const value = draft ?? String(scale.data?.desired ?? "");
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0 || n > 100) {
      toast({ kind: "error", text: "The worker count is a whole number from 0 to 100" });
      return;
    }
    set.mutate(n);
  };
  return (
    <form className="scale" onSubmit={submit}>
      <label htmlFor={id}>Desired workers</label>
      <input
        id={id}
        type="number"
        min={0}
        max={100}
        value={value}
        onChange={(e) => setDraft(e.target.value)}
        className="num"
      />
      <button type="submit" disabled={set.isPending || draft === null}>
        Set
      </button>
      {scale.data && (
        <span className="muted small" aria-live="polite">
          {scale.data.running} running
        </span>
      )}
    </form>
  );
};
