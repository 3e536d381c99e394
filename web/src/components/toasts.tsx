import { Link } from "react-router";
import { useToasts } from "../lib/toast.ts";

export const Toasts = () => {
  const { toasts, dismiss } = useToasts();
  return (
    <section className="toasts" aria-label="Notifications" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className={`toast toast-${t.kind}`} role={t.kind === "error" ? "alert" : "status"}>
          <span>{t.text}</span>
          {t.href && (
            <Link to={t.href} onClick={() => dismiss(t.id)}>
              {t.linkText ?? "Open"}
            </Link>
          )}
          <button type="button" className="ghost icon" aria-label="Dismiss" onClick={() => dismiss(t.id)}>
            ×
          </button>
        </div>
      ))}
    </section>
  );
};
