import { SESSION_STATUSES, TASK_STATUSES } from "@agentvine/core/db/enums";
import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import panelsCss from "../styles/panels.css?raw";
import tokens from "../styles/tokens.css?raw";
import { StatusBadge } from "./badge.tsx";

// The stylesheets as written (web/vitest.config.ts lets these two through Vite's CSS handling).
const panels = panelsCss.replace(/\/\*[\s\S]*?\*\//g, "");

/** The colour tokens of one scheme: the light `:root` block, or the one inside the dark media query. */
const tokensOf = (css: string) =>
  new Map(
    [...css.matchAll(/--([\w-]+):\s*(#[0-9a-f]{6})\s*;/gi)].map((m) => [m[1], m[2]] as [string, string]),
  );
const [light = "", dark = ""] = tokens.split("@media (prefers-color-scheme: dark)");

/** WCAG 2 relative luminance and contrast ratio. */
const luminance = (hex: string) => {
  const [r = 0, g = 0, b = 0] = [1, 3, 5].map((i) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
const contrast = (a: string, b: string) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
};

/** The background and text tokens of the rule whose selector list names `.badge-<status>`. */
const badgeColours = (status: string) => {
  const rule = [...panels.matchAll(/([^{}]+)\{([^}]*)\}/g)].find(([, selectors = ""]) =>
    selectors.split(",").some((s) => s.trim() === `.badge-${status}`),
  );
  const token = (prop: string) => rule?.[2]?.match(new RegExp(`${prop}:\\s*var\\(--([\\w-]+)\\)`))?.[1];
  return { background: token("background"), color: token("color") };
};

describe("status badges", () => {
  it("show the status as words, so colour is never the only cue", () => {
    render(<StatusBadge status="in_progress" />);
    expect(screen.getByText("in progress").className).toBe("badge badge-in_progress");
  });

  it("give every task and session status its own colours, at WCAG AA contrast in both schemes", () => {
    for (const status of new Set([...TASK_STATUSES, ...SESSION_STATUSES, "waiting", "parked"])) {
      const { background, color } = badgeColours(status);
      expect(background && color, `.badge-${status} has colours`).toBeTruthy();
      for (const [scheme, css] of [
        ["light", light],
        ["dark", dark],
      ] as const) {
        // A dark scheme that does not redefine a token keeps the light one.
        const value = (name = "") => tokensOf(css).get(name) ?? tokensOf(light).get(name) ?? "";
        expect(
          contrast(value(color), value(background)),
          `.badge-${status} (${scheme})`,
        ).toBeGreaterThanOrEqual(4.5);
      }
    }
  });
});
