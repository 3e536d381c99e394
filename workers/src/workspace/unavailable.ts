import { ExecutionFailed } from "../executor.ts";

/**
 * The task's repository or branch cannot be fetched. Final for the work order: a retry would
 * fail the same way. The message says why in plain words and never carries a credential.
 */
export class WorkspaceUnavailable extends ExecutionFailed {
  override name = "WorkspaceUnavailable";
}
