import type { Attribute } from "electrodb";
import { z } from "zod";

/**
 * An entity's fields are written once, as its ElectroDB attributes; the zod `Info` schema the
 * API serves and the item -> Info mapper are derived from them. A required attribute is
 * required in Info, an optional one is `null` when absent (the API never omits a field).
 */

/** Keeps each attribute's literal type (`"string"`, the enum's tuple) so ElectroDB infers items. */
export const fields = <const T extends Record<string, Attribute>>(attributes: T): T => attributes;

type ZodOf<A> = A extends { type: "string" }
  ? z.ZodString
  : A extends { type: "number" }
    ? z.ZodNumber
    : A extends { type: "boolean" }
      ? z.ZodBoolean
      : A extends { type: readonly (infer E extends string)[] }
        ? z.ZodEnum<{ [K in E]: K }>
        : never;

type FieldOf<A> = A extends { required: true } ? ZodOf<A> : z.ZodNullable<ZodOf<A>>;

export type InfoShape<T, Hidden extends keyof T> = { [K in Exclude<keyof T, Hidden>]: FieldOf<T[K]> };

const zodOf = (a: Attribute): z.ZodType => {
  if (a.type === "string") return z.string();
  if (a.type === "number") return z.number();
  if (a.type === "boolean") return z.boolean();
  if (Array.isArray(a.type)) return z.enum(a.type as [string, ...string[]]);
  throw new Error(`no Info field for attribute type ${String(a.type)}`);
};

/** The Info schema of an entity: every attribute but the hidden ones (keys, receipts, TTLs). */
export const infoOf = <T extends Record<string, Attribute>, Hidden extends keyof T & string = never>(
  attributes: T,
  hidden: readonly Hidden[] = [],
) =>
  z.object(
    Object.fromEntries(
      Object.entries(attributes)
        .filter(([name]) => !(hidden as readonly string[]).includes(name))
        .map(([name, a]) => [name, a.required ? zodOf(a) : zodOf(a).nullable()]),
    ) as InfoShape<T, Hidden>,
  );

/** The item -> Info mapper of an Info schema: its fields, absent ones as null. */
export const mapperOf =
  <S extends z.ZodRawShape>(info: z.ZodObject<S>) =>
  (item: object): z.infer<z.ZodObject<S>> =>
    Object.fromEntries(
      Object.keys(info.shape).map((name) => [name, (item as Record<string, unknown>)[name] ?? null]),
    ) as z.infer<z.ZodObject<S>>;
