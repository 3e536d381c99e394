import { create } from "zustand";

/** Client-only UI state (server state lives in TanStack Query). */
interface UiState {
  createOpen: boolean;
  helpOpen: boolean;
  setCreateOpen: (open: boolean) => void;
  setHelpOpen: (open: boolean) => void;
}

export const useUi = create<UiState>((set) => ({
  createOpen: false,
  helpOpen: false,
  setCreateOpen: (createOpen) => set({ createOpen }),
  setHelpOpen: (helpOpen) => set({ helpOpen }),
}));
