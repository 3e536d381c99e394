import type { IncomingMessage, RequestListener } from "node:http";

/**
 * Reads every request body to its end before the app sees the request, as API Gateway does
 * before it invokes the Lambda. An app that answers early (a 403 from auth, a 413 from the
 * body limit) then never leaves unread bytes on the socket, which made the server cut the
 * connection: the caller saw a reset instead of the answer. Bytes past `limit + 1` are read and
 * dropped, so memory stays bounded and the app's body limit still sees a body that is too large.
 */
export const withBufferedBody = (listener: RequestListener, limit: number): RequestListener => {
  return (req, res) => {
    if (req.method === "GET" || req.method === "HEAD") {
      listener(req, res);
      return;
    }
    const chunks: Buffer[] = [];
    let kept = 0;
    req.on("data", (chunk: Buffer) => {
      if (kept > limit) return;
      const part = chunk.subarray(0, limit + 1 - kept);
      chunks.push(part);
      kept += part.length;
    });
    req.once("end", () => {
      // @hono/node-server takes a Buffer in `rawBody` as the whole body instead of the stream.
      (req as IncomingMessage & { rawBody?: Buffer }).rawBody = Buffer.concat(chunks);
      listener(req, res);
    });
    req.once("error", () => res.destroy()); // the client went away mid-body: nobody to answer
  };
};
