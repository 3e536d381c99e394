import { z } from "zod";
import { PRIORITIES, type Priority, type QueueUrls } from "./resources.ts";

const Urls = z.object({ url: z.url(), dlqUrl: z.url() });
const QueueUrlsObject = z.object(
  Object.fromEntries(PRIORITIES.map((p) => [p, Urls])) as Record<Priority, typeof Urls>,
);

/** AGENTVINE_QUEUE_URLS as the Lambda functions and the workers read it: JSON `{ high: { url, dlqUrl }, ... }`. */
export const QueueUrlsJson = z.string().transform((s, c): QueueUrls => {
  let json: unknown;
  try {
    json = JSON.parse(s);
  } catch {
    c.addIssue({ code: "custom", message: "AGENTVINE_QUEUE_URLS is not JSON" });
    return z.NEVER;
  }
  const parsed = QueueUrlsObject.safeParse(json);
  if (!parsed.success) {
    c.addIssue({ code: "custom", message: `AGENTVINE_QUEUE_URLS: ${parsed.error.message}` });
    return z.NEVER;
  }
  return parsed.data;
});
