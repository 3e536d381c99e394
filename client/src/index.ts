/**
 * The one REST client of web, workers and bench: openapi-fetch over the types generated from
 * the API's OpenAPI document (src/schema.gen.ts, `npm run generate:client`), so every path,
 * parameter, body and response is checked at compile time and none is written by hand.
 *
 * Why openapi-typescript + openapi-fetch rather than @hey-api/openapi-ts: the generated file
 * is types only (nothing generated runs), the runtime is one 6 kB fetch wrapper that works
 * the same in the browser and on Node, and both run on Node 20 (hey-api's current releases
 * need Node >= 22.18 and generate a whole SDK of code to keep in step).
 */
import createClient, { type Client } from "openapi-fetch";
import { readError, unreachable } from "./error.ts";
import type { paths } from "./schema.gen.ts";

export { ApiError, readError } from "./error.ts";
export type * from "./types.ts";

export interface ApiClientOptions {
  /** The API's origin, e.g. http://127.0.0.1:8787 (the paths carry /api/v1). */
  baseUrl: string;
  /** Read before every request: the token changes (signing in, a worker registering). */
  token?: () => string | null | undefined;
  /** Default: the global fetch as it is at call time, so a test that stubs it is heard. */
  fetch?: (request: Request) => Promise<Response>;
}

export type ApiClient = Client<paths>;

export const createApiClient = ({ baseUrl, token, fetch }: ApiClientOptions): ApiClient => {
  const send = fetch ?? ((request: Request) => globalThis.fetch(request));
  const client = createClient<paths>({
    baseUrl,
    fetch: async (request) => {
      try {
        return await send(request);
      } catch (err) {
        // The caller's own abort is not an outage.
        if ((err as Error)?.name === "AbortError") throw err;
        throw unreachable(baseUrl, err);
      }
    },
  });
  client.use({
    onRequest({ request }) {
      const secret = token?.();
      if (secret) request.headers.set("authorization", `Bearer ${secret}`);
      return request;
    },
  });
  return client;
};

/**
 * A call's data, or the ApiError its failure describes. Every client goes through this, so
 * errors are read one way: `await unwrap(api.GET("/api/v1/tasks/{id}", { params }))`.
 */
export const unwrap = async <T>(call: Promise<{ data?: T; error?: unknown; response: Response }>) => {
  const { data, error, response } = await call;
  if (!response.ok) throw readError(response, error);
  // A 204 has no body: its data is undefined, which is what its route's type says.
  return data as T;
};
