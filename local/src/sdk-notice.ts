/**
 * On Node < 22 the AWS SDK warns, in every process that makes a client, that its releases after
 * early January 2027 will need Node 22. The lockfile pins a release that runs on Node 20, so the
 * warning is for whoever upgrades the SDK (docs/DEVELOPMENT.md), not for someone running
 * `npm start`: off in the runtime and in the workers it starts, which inherit its environment.
 * Imported first, before any client exists; `AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=false`
 * brings it back.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
