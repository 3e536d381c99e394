/**
 * Accessibility checks in the real browser: axe-core injected into the page, run under both
 * colour schemes the stylesheet has (light, and dark when the system asks).
 */
import axe from "axe-core";
import type { Page } from "playwright-core";

export interface Violation {
  rule: string;
  impact: string;
  help: string;
  scheme: "light" | "dark";
  nodes: { target: string; summary: string }[];
}

/** What axe finds wrong on the page as it is now, in the current colour scheme. */
const scan = async (page: Page, scheme: Violation["scheme"]): Promise<Violation[]> => {
  // A full navigation drops the script; client-side route changes keep it.
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ content: axe.source });
  const found = await page.evaluate(async () => {
    const run = (window as unknown as { axe: typeof axe }).axe.run;
    const result = await run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({
      rule: v.id,
      impact: v.impact ?? "unknown",
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.join(" "), summary: n.failureSummary ?? "" })),
    }));
  });
  return found.map((v) => ({ ...v, scheme }));
};

/** Every violation on the page in the light and the dark scheme; the page is left in light. */
export const axeViolations = async (page: Page): Promise<Violation[]> => {
  const dark = await page.emulateMedia({ colorScheme: "dark" }).then(() => scan(page, "dark"));
  const light = await page.emulateMedia({ colorScheme: "light" }).then(() => scan(page, "light"));
  return [...light, ...dark];
};

export const isSerious = (v: Violation) => v.impact === "serious" || v.impact === "critical";

/** One readable block per violation and node, for the failure message. */
export const describeViolations = (violations: Violation[]) =>
  violations
    .map(
      (v) =>
        `[${v.scheme}] ${v.rule} (${v.impact}): ${v.help}\n` +
        v.nodes.map((n) => `  ${n.target}\n    ${n.summary.replaceAll("\n", "\n    ")}`).join("\n"),
    )
    .join("\n");
