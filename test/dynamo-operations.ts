/**
 * Names a DynamoDB operation by the ElectroDB entity it touches, for the tests and the bench
 * that count operations (no test runner here: `bench/ops.ts` runs under plain tsx).
 */

/** The entity an SDK command's input touches, lower case (`apitoken`, `workorder`): its item's, else read off its keys. */
export const entityOf = (input: Record<string, unknown>) => {
  const item = input.Item as { __edb_e__?: string } | undefined;
  const keys = JSON.stringify(input.Key ?? input.ExpressionAttributeValues ?? {});
  return (item?.__edb_e__ ?? /\$([a-z]+)_\d/i.exec(keys)?.[1] ?? "?").toLowerCase();
};

/** `Command entity`, e.g. `PutItem question`. */
export const operationName = (commandName: string | undefined, input: Record<string, unknown>) =>
  `${(commandName ?? "?").replace(/Command$/, "")} ${entityOf(input)}`;
