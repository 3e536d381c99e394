export type { ChangedFile, Delivery } from "./deliver.ts";
export type { WorkspaceSnapshot } from "./snapshot.ts";
export { WorkspaceUnavailable } from "./unavailable.ts";
export {
  type OpenRequest,
  taskBranch,
  type Workspace,
  Workspaces,
  type WorkspacesOptions,
} from "./workspaces.ts";
