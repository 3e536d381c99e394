/**
 * ECS task scale-in protection: a busy worker asks ECS not to stop its task on scale-in
 * (queue-depth autoscaling otherwise stops tasks mid-work). Locally there is no ECS: a no-op.
 */
export interface TaskProtection {
  set(protect: boolean): Promise<void>;
}

export const noTaskProtection: TaskProtection = { set: async () => {} };

/** The ECS agent's task-protection endpoint (ECS_AGENT_URI is set inside every ECS task). */
export const ecsTaskProtection = (agentUri: string, log: (msg: string) => void): TaskProtection => ({
  async set(protect) {
    // Protection is a safeguard, not a precondition: work goes on without it, loudly.
    const failed = (why: string) => log(`task protection ${protect ? "on" : "off"} failed: ${why}`);
    const res = await fetch(`${agentUri}/task-protection/v1/state`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(
        protect ? { ProtectionEnabled: true, ExpiresInMinutes: 120 } : { ProtectionEnabled: false },
      ),
    }).catch((err: Error) => void failed(err.message));
    if (res && !res.ok) failed(`${res.status} ${await res.text()}`);
  },
});
