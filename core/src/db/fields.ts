import type { Attribute } from "electrodb";
import { z } from "zod";

/**
 * An entity's fields are written once, as its ElectroDB attributes; the zod `Info` schema the
 * API serves and the item -> Info mapper are derived from them. A required attribute is
 * required in Info, an optional one is `null` when absent (the API never omits a field). A list
 * of maps (an execution's files) nests by the same rule.
 */

/** Keeps each attribute's literal type (`"string"`, the enum's tuple) so ElectroDB infers items. */
export const fields = <const T extends Record<string, Attribute>>(attributes: T): T => attributes;

/** When a mutable record was created and last changed (ISO 8601). */
export const timestamps = fields({
  createdAt: { type: "string", required: true },
  updatedAt: { type: "string", required: true },
});

type ZodOf<A> = A extends { type: "string" }
  ? z.ZodString
  : A extends { type: "number" }
    ? z.ZodNumber
    : A extends { type: "boolean" }
      ? z.ZodBoolean
      : A extends { type: readonly (infer E extends string)[] }
        ? z.ZodEnum<{ [K in E]: K }>
        : A extends { type: "list"; items: infer I }
          ? z.ZodArray<ZodOf<I>>
          : A extends { type: "map"; properties: infer P }
            ? z.ZodObject<{ [K in keyof P]: FieldOf<P[K]> }>
            : never;

type FieldOf<A> = A extends { required: true } ? ZodOf<A> : z.ZodNullable<ZodOf<A>>;

export type InfoShape<T, Hidden extends keyof T> = { [K in Exclude<keyof T, Hidden>]: FieldOf<T[K]> };

/** What zodOf reads of an attribute, top-level or nested in a list or a map. */
interface Shape {
  type: unknown;
  required?: boolean;
  items?: unknown;
  properties?: Record<string, unknown>;
}

const fieldOf = (a: Shape): z.ZodType => (a.required ? zodOf(a) : zodOf(a).nullable());

const zodOf = (a: Shape): z.ZodType => {
  if (a.type === "string") return z.string();
  if (a.type === "number") return z.number();
  if (a.type === "boolean") return z.boolean();
  if (Array.isArray(a.type)) return z.enum(a.type as [string, ...string[]]);
  if (a.type === "list" && a.items) return z.array(zodOf(a.items as Shape));
  if (a.type === "map" && a.properties) {
    const props = Object.entries(a.properties).map(([name, p]) => [name, fieldOf(p as Shape)]);
    return z.object(Object.fromEntries(props));
  }
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
        .map(([name, a]) => [name, fieldOf(a)]),
    ) as InfoShape<T, Hidden>,
  );

/**
 * The item -> Info mapper of an Info schema: its fields, absent ones as null. Given the
 * attributes, an absent field with a fixed default reads as that default: items stored before
 * the field existed still satisfy the schema.
 */
export const mapperOf = <S extends z.ZodRawShape>(
  info: z.ZodObject<S>,
  attributes: Record<string, Attribute> = {},
) => {
  const fallback = (name: string) => {
    const value = attributes[name]?.default;
    return value === undefined || typeof value === "function" ? null : value;
  };
  return (item: object): z.infer<z.ZodObject<S>> =>
    Object.fromEntries(
      Object.keys(info.shape).map((name) => [
        name,
        (item as Record<string, unknown>)[name] ?? fallback(name),
      ]),
    ) as z.infer<z.ZodObject<S>>;
};
