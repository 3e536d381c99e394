import { z } from "zod";
import { SESSION_STATUSES } from "../db/enums.ts";
import { infoOf, mapperOf } from "../db/fields.ts";
import type { SessionItem } from "../db/index.ts";
import { sessionAttributes } from "../db/session.fields.ts";
import { PageQuery } from "../page.ts";
import { type KeepAlive, reapAt } from "./policy.ts";

const SessionInfoFields = infoOf(sessionAttributes).extend({
  /** When the keep-alive policy will reap it if nothing happens; null once terminated. */
  reapAt: z.string().nullable(),
});
/** A named component of the OpenAPI document, so clients get a `SessionInfo` type. */
export const SessionInfo = SessionInfoFields.meta({ id: "SessionInfo" });
export type SessionInfo = z.infer<typeof SessionInfo>;

export const CreateSessionInput = z.object({
  sessionId: z.string().trim().min(1).max(200),
  workerId: z.string().min(1).max(64),
  taskId: z.string().min(1).max(64).optional(),
});
export type CreateSessionInput = z.infer<typeof CreateSessionInput>;

export const ListSessionsQuery = PageQuery.extend({ status: z.enum(SESSION_STATUSES).optional() });
export type ListSessionsQuery = z.infer<typeof ListSessionsQuery>;

export const TerminateInput = z.object({ reason: z.string().trim().min(1).max(500).optional() });

const fieldsOf = mapperOf(SessionInfo.omit({ reapAt: true }));

/** When the session will be reaped: a parked one when its park expires, an open one by the keep-alive policy. */
const reapingAt = (s: SessionItem, policy: KeepAlive & { parkMaxMs: number }) => {
  if (s.status === "terminated") return null;
  if (s.status === "parked" && s.parkedAt) return Date.parse(s.parkedAt) + policy.parkMaxMs;
  return reapAt(s, policy);
};

export const toSessionInfo = (s: SessionItem, policy: KeepAlive & { parkMaxMs: number }): SessionInfo => {
  const at = reapingAt(s, policy);
  return { ...fieldsOf(s), reapAt: at === null ? null : new Date(at).toISOString() };
};
