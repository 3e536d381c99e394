import { Config, type StackContext } from "sst/constructs";

/**
 * The stage's secrets, set with `npm run sst -- secrets set NAME value` (SSM SecureString
 * parameters under /sst/agentvine/<stage>/Secret/). Nothing here is a CloudFormation resource.
 */
export function Secrets({ stack }: StackContext) {
  return {
    /** The bootstrap admin token (the API makes it valid once). */
    adminToken: new Config.Secret(stack, "ADMIN_TOKEN"),
    /** What workers register with (POST /api/v1/workers). */
    workerEnrolmentToken: new Config.Secret(stack, "WORKER_ENROLMENT_TOKEN"),
    /** Claude Code's API key: handed to the Fargate workers only (set "none" for a stub-only fleet). */
    anthropicApiKey: new Config.Secret(stack, "ANTHROPIC_API_KEY"),
    /** The LLM controller's Anthropic key (routing rules' `then: "controller"`): the API's alone; "none" sends those requests to people. */
    controllerApiKey: new Config.Secret(stack, "CONTROLLER_API_KEY"),
    /** A token that may fetch and push the tasks' repositories (git's password over https; "none" if unused). */
    gitToken: new Config.Secret(stack, "GIT_TOKEN"),
  };
}
