/**
 * The key layout every entity shares on the one table: the model stamped into each item, the
 * primary key in `pk`/`sk`, each secondary index `gsiN` in `gsiNpk`/`gsiNsk`. The builders keep
 * the composites' literal types, so ElectroDB still infers each access pattern's keys.
 */

export const model = (entity: string) => ({ entity, version: "1", service: "agentvine" });

/** The primary index: one item per `attribute`, no sort key. */
export const keyedBy = <const A extends string>(attribute: A) =>
  ({ pk: { field: "pk", composite: [attribute] }, sk: { field: "sk", composite: [] } }) as const;

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
