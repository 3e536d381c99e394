import type { z } from "zod";

/**
 * Settings a process cannot start with. Each problem names what to fix as the operator sets it
 * (the variable, the option) and the value given, except a secret's.
 */
export class ConfigError extends Error {
  override name = "ConfigError";
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
  }
}

/** A zod error over named settings as a ConfigError: `NAME: problem (given: "value")`. */
export const configError = (
  error: z.ZodError,
  nameOf: (key: string) => string,
  givenOf: (key: string) => unknown,
) =>
  new ConfigError(
    error.issues.map((issue) => {
      const key = String(issue.path[0] ?? "");
      const given = givenOf(key);
      const inner = issue.path.length > 1 ? ` (at ${issue.path.slice(1).join(".")})` : "";
      const value = given === undefined ? "" : ` (given: ${JSON.stringify(given)})`;
      return `${nameOf(key)}${inner}: ${issue.message}${value}`;
    }),
  );
