/**
 * A start-up failure the person at the terminal can fix (a port in use, a bad option, a data
 * dir that cannot be used): `npm start` prints its message, not a stack, and exits with
 * `exitCode`. Anything else is a bug, and its stack is what helps.
 */
export class StartupError extends Error {
  override name = "StartupError";
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}
