import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadSlackWorkspace } from "../../src/sandbox/slack-workspace.ts";

/** The pretend Slack workspace file (SANDBOX_WORKSPACE): each mistake by its file, line and key. */

const dir = mkdtempSync(join(tmpdir(), "switchboard-slack-workspace-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const WORKSPACE = `# people and channels
team: Skyline Air (sandbox)

people:
  - id: U0SBBAG001
    name: ben
    realName: Ben Novak
    title: Agent, Baggage Services
  - id: U0SBLEAD01
    name: priya
    realName: Priya Shah
    title: Head of Customer Care

channels:
  - id: C0SBBAGGAGE
    name: sb-baggage
    members: [U0SBBAG001, U0SBLEAD01]
`;

let files = 0;
/** The message loading `text` fails with, "FILE" standing for its path. */
function refusalOf(text: string): string {
  files += 1;
  const path = join(dir, `workspace-${files}.yaml`);
  writeFileSync(path, text);
  try {
    loadSlackWorkspace(path);
  } catch (error) {
    return (error as Error).message.replaceAll(path, "FILE");
  }
  throw new Error("the workspace loaded");
}

describe("a mistake in the pretend Slack workspace file", () => {
  it("is a misspelt key, named with its line and the key it should be", () => {
    expect(refusalOf(WORKSPACE.replace("people:", "peeple:"))).toBe(
      'Cannot start the sandbox: FILE:4 peeple: Unknown key "peeple" (did you mean "people"?). Expected one of the keys team, people, channels, usergroups.',
    );
  });

  it("is a misspelt key of a person, at its own line", () => {
    expect(refusalOf(WORKSPACE.replace("realName: Priya", "realname: Priya"))).toBe(
      'Cannot start the sandbox: FILE:11 people[1].realname: Unknown key "realname" (did you mean "realName"?). Expected one of the keys id, name, realName, title, tz.',
    );
  });

  it("is a value of the wrong shape, at its line", () => {
    expect(refusalOf(WORKSPACE.replace("id: U0SBLEAD01", "id: priya"))).toBe(
      "Cannot start the sandbox: FILE:9 people[1].id: must be a Slack member id like U0SBSVC001.",
    );
  });

  it("is a channel member who is not one of the people, at the member's line", () => {
    const text = WORKSPACE.replace(
      "members: [U0SBBAG001, U0SBLEAD01]",
      "members:\n      - U0SBBAG001\n      - U0SBNOBODY",
    );
    expect(refusalOf(text)).toBe(
      "Cannot start the sandbox: FILE:19 channels[0].members[1]: U0SBNOBODY is not one of the people in this file; add them under people, or remove them here.",
    );
  });

  it("is YAML that does not parse, at its line", () => {
    expect(refusalOf(WORKSPACE.replace("    name: ben", "   name: ben"))).toMatch(
      /^Cannot start the sandbox: FILE:6: YAML syntax error: [^\n]+\. Expected valid YAML/,
    );
  });

  it.each(["# nothing yet\n\n", "~\n"])(
    "is an empty file (%j), with what it should list",
    (text) => {
      expect(refusalOf(text)).toBe(
        "Cannot start the sandbox: FILE is empty; it lists the pretend workspace's team, people and channels, as sandbox/slack-workspace.yaml does",
      );
    },
  );
});
