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
    c.addIssue({ code: "custom", message: "not JSON" });
    return z.NEVER;
  }
  const parsed = QueueUrlsObject.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    c.addIssue({
      code: "custom",
      message: `expected { high, normal, low } of { url, dlqUrl }: ${problems.join("; ")}`,
    });
    return z.NEVER;
  }
  return parsed.data;
});
