import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { guardedLookup, internalLiteral } from "./address-guard.ts";

export interface PostOptions {
  timeoutMs: number;
  /** On AWS: no link-local or metadata address, whether literal or resolved. */
  refuseInternal: boolean;
}

/** What became of one POST: the receiver's status, or why there was none (`refused`: never to be retried). */
export type PostResult = { status: number } | { error: string; refused?: boolean };

/**
 * POSTs a JSON body. Redirects are not followed (a receiver cannot send the body elsewhere); the
 * answer's body is read and dropped.
 */
export const postJson = (
  url: string,
  body: string,
  headers: Record<string, string>,
  options: PostOptions,
): Promise<PostResult> => {
  if (options.refuseInternal && internalLiteral(url))
    return Promise.resolve({
      error: "The URL is an internal (link-local or metadata) address",
      refused: true,
    });
  const request = url.startsWith("https:") ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const req = request(
      url,
      {
        method: "POST",
        headers: {
          ...headers,
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
        },
        signal: AbortSignal.timeout(options.timeoutMs),
        ...(options.refuseInternal ? { lookup: guardedLookup } : {}),
      },
      (res) => {
        res.on("error", (err) => resolve({ error: err.message }));
        res.on("end", () => resolve({ status: res.statusCode ?? 0 }));
        res.resume();
      },
    );
    req.on("error", (err: Error & { code?: string }) =>
      resolve(
        err.name === "AbortError"
          ? { error: `No answer within ${options.timeoutMs} ms` }
          : { error: err.message, ...(err.code === "EWEBHOOKREFUSED" ? { refused: true } : {}) },
      ),
    );
    req.end(body);
  });
};
