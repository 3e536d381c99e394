import { VisibleError } from "../errors.ts";
import type { ScalerPort } from "../ports/scaler.ts";

/** Where no worker service is configured: scaling says so instead of pretending. */
export const noScaler: ScalerPort = {
  get: async () => ({ desired: 0, running: 0 }),
  setDesired: async () => {
    throw new VisibleError("unavailable", "scaling.unavailable", "Worker scaling is not configured here");
  },
};
