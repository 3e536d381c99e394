/**
 * Who answers a clarification request. Phase 1 sends every request to the people watching;
 * a later LLM controller or policy engine takes part of the traffic by changing this one
 * function (returning { to: "controller", ... }).
 */
export type Route = { to: "humans" };

export const route = (_request: { conversationId: string; workerId: string; message: string }): Route => ({
  to: "humans",
});
