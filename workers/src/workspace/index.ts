export type { ChangedFile, Delivery } from "./deliver.ts";
export { WorkspaceUnavailable } from "./unavailable.ts";
export {
  type OpenRequest,
  taskBranch,
  type Workspace,
  Workspaces,
  type WorkspacesOptions,
} from "./workspaces.ts";
