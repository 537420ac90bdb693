import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  EXAMPLE_CONFIG_PATH,
  loadSandboxConfig,
  SANDBOX_CONFIG_PATH,
} from "../../src/sandbox/sandbox-config.ts";
import {
  checkChannelsExist,
  checkPeopleExist,
  loadSlackWorkspace,
  SLACK_WORKSPACE_PATH,
} from "../../src/sandbox/slack-workspace.ts";

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

/** The refusal for one problem, listed as npm start lists it: where, what, what was expected. */
function oneProblem(where: string, ...lines: string[]): string {
  return [
    "Cannot start the sandbox: its configuration needs fixing.",
    "Invalid configuration in FILE (1 problem):",
    [`  ${where}`, ...lines.map((line) => `    ${line}`)].join("\n"),
  ].join("\n\n");
}

describe("a mistake in the pretend Slack workspace file", () => {
  it("is a misspelt key, named with its line and the key it should be", () => {
    expect(refusalOf(WORKSPACE.replace("people:", "peeple:"))).toBe(
      oneProblem(
        "FILE:4:1  peeple",
        'Unknown key "peeple" (did you mean "people"?).',
        "Expected: one of the keys team, people, channels, usergroups",
      ),
    );
  });

  it("is a misspelt key of a person, at its own line", () => {
    expect(refusalOf(WORKSPACE.replace("realName: Priya", "realname: Priya"))).toBe(
      oneProblem(
        "FILE:11:5  people[1].realname",
        'Unknown key "realname" (did you mean "realName"?).',
        "Expected: one of the keys id, name, realName, title, tz",
      ),
    );
  });

  it("is a value of the wrong shape, at its line", () => {
    expect(refusalOf(WORKSPACE.replace("id: U0SBLEAD01", "id: priya"))).toBe(
      oneProblem("FILE:9:5  people[1].id", "must be a Slack member id like U0SBSVC001."),
    );
  });

  it("is a channel member who is not one of the people, at the member's line", () => {
    const text = WORKSPACE.replace(
      "members: [U0SBBAG001, U0SBLEAD01]",
      "members:\n      - U0SBBAG001\n      - U0SBNOBODY",
    );
    expect(refusalOf(text)).toBe(
      oneProblem(
        "FILE:19:9  channels[0].members[1]",
        "U0SBNOBODY is not one of the people in this file; add them under people, or remove them here.",
      ),
    );
  });

  it("is YAML that does not parse, at its line", () => {
    expect(refusalOf(WORKSPACE.replace("    name: ben", "   name: ben"))).toMatch(
      /^Cannot start the sandbox: its configuration needs fixing\.\n\nInvalid configuration in FILE \(\d+ problems?\):\n\n {2}FILE:6:1\n {4}YAML syntax error: [^\n]+\n {4}Expected: valid YAML/,
    );
  });

  it("is a file that is not there, naming SANDBOX_WORKSPACE and its default", () => {
    const path = join(dir, "no-such-workspace.yaml");
    expect(() => loadSlackWorkspace(path)).toThrow(
      `Cannot start the sandbox: cannot read the pretend Slack workspace file ${path} (ENOENT: no such file or directory, open '${path}'). SANDBOX_WORKSPACE chooses this path (default sandbox/slack-workspace.yaml): point it at a file like that one, or unset it`,
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

describe("channels the sandbox's config names that the pretend workspace lacks", () => {
  const config = loadSandboxConfig({ sandbox: SANDBOX_CONFIG_PATH, rules: EXAMPLE_CONFIG_PATH });
  const files = { config: "CONFIG", workspace: "WORKSPACE" };
  const without = (...names: string[]) => {
    const ws = loadSlackWorkspace(SLACK_WORKSPACE_PATH);
    return { ...ws, channels: ws.channels.filter((c) => !names.includes(c.name)) };
  };

  it("are all named at once, each with what names it", () => {
    expect(() => checkChannelsExist(without("sb-exec", "sb-kudos"), config, files)).toThrow(
      "Cannot start the sandbox: CONFIG names 2 channels that WORKSPACE does not have: #sb-exec (for escalation.executivesChannel), #sb-kudos (for kinds.profiles.praise.channel); add them there",
    );
  });

  it("is one line for one channel", () => {
    expect(() => checkChannelsExist(without("sb-exec"), config, files)).toThrow(
      "Cannot start the sandbox: CONFIG names channel #sb-exec for escalation.executivesChannel, which WORKSPACE does not have; add it there",
    );
    expect(() => checkChannelsExist(without(), config, files)).not.toThrow();
  });
});

describe("people the sandbox's config names that the pretend workspace lacks", () => {
  const config = loadSandboxConfig({ sandbox: SANDBOX_CONFIG_PATH, rules: EXAMPLE_CONFIG_PATH });
  const files = { config: "CONFIG", workspace: "WORKSPACE" };
  const ws = loadSlackWorkspace(SLACK_WORKSPACE_PATH);
  const without = (...ids: string[]) => ({
    ...ws,
    people: ws.people.filter((p) => !ids.includes(p.id)),
  });

  it("are all named at once, each with what names them", () => {
    expect(() => checkPeopleExist(without("U0SBADMIN1", "U0SBEXEC01"), config, files)).toThrow(
      /^Cannot start the sandbox: CONFIG names 2 people, U0SBADMIN1 \(admins[^)]*\), U0SBEXEC01 \(executives[^)]*\), who are not among the people of WORKSPACE; add them there, or correct the ID$/,
    );
    expect(() => checkPeopleExist(ws, config, files)).not.toThrow();
  });
});
