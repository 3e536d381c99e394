import type { Config } from "../config.ts";
import type { ExecutionItem } from "../db/index.ts";
import { type ExecutionInfo, ExecutionReport } from "./schema.ts";

/**
 * Cuts text to a size in UTF-8 bytes so an item never nears DynamoDB's 400 KB, ending it with
 * `marker` where that fits.
 */
export const bound = (
  output: string,
  maxBytes: number,
  marker = "\n[output truncated]",
): { output: string; truncated: boolean } => {
  const bytes = Buffer.from(output, "utf8");
  if (bytes.length <= maxBytes) return { output, truncated: false };
  // The marker only where it fits: a negative end would make subarray count from the end.
  const end = Buffer.byteLength(marker) < maxBytes ? marker : "";
  // Decoding a cut buffer may end in half a character; drop the replacement char it becomes.
  const kept = bytes
    .subarray(0, maxBytes - Buffer.byteLength(end))
    .toString("utf8")
    .replace(/\uFFFD$/, "");
  return { output: kept + end, truncated: true };
};

/** A push error is a few lines of git's stderr; more is noise. */
const MAX_PUSH_ERROR_BYTES = 4096;
/** The changed files kept (their JSON), beside the output, transcript and diff limits. */
const MAX_FILES_BYTES = 32 * 1024;

type Bounds = Pick<Config, "maxTranscriptBytes" | "maxDiffBytes">;
export type ReportFields = Partial<Pick<ExecutionItem, keyof ExecutionReport>>;

/** A diff cut at a whole line, so what is kept still reads as a diff. */
const boundDiff = (diff: string, maxBytes: number) => {
  const cut = bound(diff, maxBytes, "");
  return cut.truncated ? { ...cut, output: cut.output.slice(0, cut.output.lastIndexOf("\n") + 1) } : cut;
};

/** The files that fit, in the order given (git's: by path). */
const boundFiles = (files: NonNullable<ExecutionReport["files"]>) => {
  let used = 0;
  return files.filter((f) => {
    used += Buffer.byteLength(JSON.stringify(f));
    return used <= MAX_FILES_BYTES;
  });
};

/**
 * A worker's report as stored: long text is cut to the configured sizes here, whatever the
 * worker cut already, and a cut is flagged. Fields the report leaves out stay unset.
 */
export const boundReport = (report: ExecutionReport, bounds: Bounds): ReportFields => {
  const { transcript, diff, pushError, files, transcriptTruncated, diffTruncated, ...rest } = report;
  const cutTranscript =
    transcript === undefined
      ? null
      : bound(transcript, bounds.maxTranscriptBytes, "\n[transcript truncated]");
  const cutDiff = diff === undefined ? null : boundDiff(diff, bounds.maxDiffBytes);
  return {
    ...rest,
    ...(cutTranscript && {
      transcript: cutTranscript.output,
      transcriptTruncated: cutTranscript.truncated || transcriptTruncated === true,
    }),
    ...(cutDiff && { diff: cutDiff.output, diffTruncated: cutDiff.truncated || diffTruncated === true }),
    ...(pushError !== undefined && { pushError: bound(pushError, MAX_PUSH_ERROR_BYTES, "…").output }),
    ...(files !== undefined && { files: boundFiles(files) }),
  };
};

/** Whether an execution holds a report (any of its fields): a run reports once. */
export const hasReport = (execution: ExecutionItem): boolean =>
  Object.keys(ExecutionReport.shape).some((key) => execution[key as keyof ExecutionReport] !== undefined);

/** Below API Gateway's 128 KB WebSocket message, with room for the event around it. */
const MAX_EVENT_BYTES = 96 * 1024;

/**
 * The execution as `execution.updated` pushes it. Output, transcript and diff together can
 * outgrow a WebSocket message: then the transcript and the diff are left out (null), and a
 * client reads them from GET /api/v1/tasks/{id}/executions.
 */
export const forEvent = (info: ExecutionInfo): ExecutionInfo =>
  Buffer.byteLength(JSON.stringify(info)) <= MAX_EVENT_BYTES
    ? info
    : { ...info, transcript: null, diff: null };
