/**
 * The GIT_* variables an operator may set to reach private repositories (an askpass program, an
 * ssh command, a credential helper through GIT_CONFIG_KEY_n/GIT_CONFIG_VALUE_n). Every other
 * GIT_* variable is dropped: one inherited GIT_DIR or GIT_INDEX_FILE (a worker started from a
 * git hook) would point every call at the wrong repository.
 */
const KEPT =
  /^GIT_(ASKPASS|SSH|SSH_COMMAND|SSH_VARIANT|SSL_CAINFO|SSL_CAPATH|PROXY_COMMAND|CONFIG_(GLOBAL|SYSTEM|NOSYSTEM|COUNT|KEY_\d+|VALUE_\d+))$/;

/** The environment every git call runs with. */
export const gitEnv = (base: NodeJS.ProcessEnv): NodeJS.ProcessEnv => ({
  ...Object.fromEntries(Object.entries(base).filter(([name]) => !name.startsWith("GIT_") || KEPT.test(name))),
  // A missing credential fails the call instead of waiting for someone to type a password.
  GIT_TERMINAL_PROMPT: "0",
  GCM_INTERACTIVE: "never",
  // git's messages are parsed (the reason a push was refused): keep them untranslated.
  LC_ALL: "C",
});

/** Who commits a task's work. */
export const AUTHOR_ENV = {
  GIT_AUTHOR_NAME: "AgentVine",
  GIT_AUTHOR_EMAIL: "agentvine@localhost",
  GIT_COMMITTER_NAME: "AgentVine",
  GIT_COMMITTER_EMAIL: "agentvine@localhost",
};
