import { describe, expect, it } from "vitest";
import { gitReason, redactUrls } from "./redact.ts";

describe("redactUrls", () => {
  it("drops the userinfo of every URL in a text", () => {
    expect(
      redactUrls(
        "fatal: unable to access 'https://x-access-token:ghp_abc@github.com/o/r.git/' and ssh://git@h/r",
      ),
    ).toBe("fatal: unable to access 'https://github.com/o/r.git/' and ssh://h/r");
  });
});

describe("gitReason", () => {
  it("prefers a push's refused ref over the lines around it", () => {
    const stderr = [
      "remote: branches are protected",
      "To file:///tmp/origin.git",
      " ! [remote rejected] agentvine/t1 -> agentvine/t1 (pre-receive hook declined)",
      "error: failed to push some refs to 'file:///tmp/origin.git'",
    ].join("\n");
    expect(gitReason(stderr)).toBe(
      "! [remote rejected] agentvine/t1 -> agentvine/t1 (pre-receive hook declined)",
    );
  });

  it("takes the first fatal line, else the first line", () => {
    expect(gitReason("hint: something\nfatal: not found\nfatal: again\n")).toBe("fatal: not found");
    expect(gitReason("\nCould not resolve host\n")).toBe("Could not resolve host");
  });
});
