import { QueryClient } from "@tanstack/react-query";
import { create } from "zustand";
import { ApiError, onApiResult } from "../api/client.ts";
import { useAuth } from "../auth/store.ts";

/** Whether the API answers, as the last request found out. */
export const useReachability = create<{ reachable: boolean; lastOkAt: number | null; error: string | null }>(
  () => ({ reachable: true, lastOkAt: null, error: null }),
);

export const createQueryClient = () =>
  new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 5_000,
        // A 4xx will not get better by asking again; a network failure may.
        retry: (count, err) =>
          !(err instanceof ApiError && err.status >= 400 && err.status < 500) && count < 2,
        retryDelay: (n) => Math.min(500 * 2 ** n, 4000),
      },
      mutations: { retry: false },
    },
  });

/** A refused token signs the person out (with the reason); failures flip the reachability banner. */
export const installApiListeners = (qc: QueryClient) =>
  onApiResult(({ ok, error }) => {
    if (ok) {
      useReachability.setState({ reachable: true, lastOkAt: Date.now(), error: null });
      return;
    }
    if (error?.status === 401 && useAuth.getState().token) {
      qc.clear();
      useAuth.getState().signOut({
        kind: "refused",
        message: `The API refused the token: ${error.message}`,
      });
      return;
    }
    if (error && (error.unreachable || error.status >= 500)) {
      useReachability.setState({ reachable: false, error: error.message });
    }
  });
