import { create } from "zustand";

export interface Toast {
  id: number;
  kind: "info" | "success" | "error" | "question";
  text: string;
  /** An in-app link to go with it. */
  href?: string;
  linkText?: string;
}

interface ToastStore {
  toasts: Toast[];
  push: (toast: Omit<Toast, "id">, ttlMs?: number) => void;
  dismiss: (id: number) => void;
}

let next = 1;
export const useToasts = create<ToastStore>((set, get) => ({
  toasts: [],
  push: (toast, ttlMs = 6000) => {
    const id = next++;
    set({ toasts: [...get().toasts.slice(-3), { ...toast, id }] });
    if (ttlMs > 0) setTimeout(() => get().dismiss(id), ttlMs);
  },
  dismiss: (id) => set({ toasts: get().toasts.filter((t) => t.id !== id) }),
}));

export const toast = (toast: Omit<Toast, "id">, ttlMs?: number) => useToasts.getState().push(toast, ttlMs);
