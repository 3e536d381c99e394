import { z } from "zod";

/** Cursor pagination as every list returns it: `{ items, nextCursor }`. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().min(1).max(2048).optional(),
});
export type PageQuery = z.infer<typeof PageQuery>;

export const pageOf = <S extends z.ZodType>(item: S) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

/** Maps an ElectroDB query result to a Page. */
export const toPage = <I, O>(result: { data: I[]; cursor: string | null }, map: (item: I) => O): Page<O> => ({
  items: result.data.map(map),
  nextCursor: result.cursor,
});
