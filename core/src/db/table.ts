import { Entity, type EntityConfiguration, type Schema } from "electrodb";

/**
 * The layout every entity shares on the one table: the model stamped into each item, the primary
 * key in `pk`/`sk`, each secondary index `gsiN` in `gsiNpk`/`gsiNsk`. The builders keep
 * the composites' literal types, so ElectroDB still infers each access pattern's keys.
 */

/** The primary index: one item per `attribute`, no sort key. */
export const keyedBy = <const A extends string>(attribute: A) =>
  ({ pk: { field: "pk", composite: [attribute] }, sk: { field: "sk", composite: [] } }) as const;

/** The sort key of a timeline: by creation, ties broken by id. */
export const byCreation = ["createdAt", "id"] as const;

/** Secondary index `gsi<n>`: partitioned by `pk` (none: one partition for all items), sorted by `sk`. */
export const gsi = <
  const N extends number,
  const P extends readonly string[],
  const S extends readonly string[],
>(
  n: N,
  pk: P,
  sk: S,
) =>
  ({
    index: `gsi${n}`,
    pk: { field: `gsi${n}pk`, composite: pk },
    sk: { field: `gsi${n}sk`, composite: sk },
  }) as const;

type Layout = Schema<string, string, string>;

/**
 * The entity `name` of the one table (its model, version 1): its attributes and its access
 * patterns, bound to a client and the table by createDb.
 */
export const entity =
  <const A extends Layout["attributes"], const I extends Layout["indexes"]>(
    name: string,
    attributes: A,
    indexes: I,
  ) =>
  (config: EntityConfiguration) =>
    new Entity({ model: { entity: name, version: "1", service: "agentvine" }, attributes, indexes }, config);
