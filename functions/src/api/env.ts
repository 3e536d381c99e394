import type { Actor, Ctx } from "@agentvine/core/context";

/** What every handler can read from Hono's context: the core context and who is calling. */
export interface AppEnv {
  Variables: {
    ctx: Ctx;
    actor: Actor;
  };
}
