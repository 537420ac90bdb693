import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config/config-error.ts";
import { loadWorkspaceConfig } from "../../src/config/load-workspace.ts";
import { EXAMPLE_CONFIG_PATH, loadSandboxConfig } from "../../src/sandbox/sandbox-config.ts";

/** The sandbox's workspace: the example's rule sections and the sandbox file's own. */
const dir = mkdtempSync(join(tmpdir(), "switchboard-sandbox-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const RULES = `departments:
  - key: service
    name: Customer Service
    channel: "#sb-service"
    leads: [U0EXAMPLE1]
  - key: cabin
    name: Cabin
    channel: "#sb-cabin"
    leads: [U0EXAMPLE2]
routing:
  default: service
  rules:
    - name: seats
      department: cabin
      match: { phrases: [seat] }
priority:
  default: P3
kinds:
  rules:
    - name: thanks
      kind: praise
      match: { phrases: [thanks] }
  profiles:
    other: { clocks: [], deliver: rollup, channel: "#sb-triage", at: "17:00", timezone: UTC }
sla:
  P1: { firstResponse: 1h }
  P2: { firstResponse: 1h }
  P3: { firstResponse: 1h }
  P4: { firstResponse: 1h }
`;

const SANDBOX = `departments:
  - key: service
    name: Customer Service
    channel: "#sb-service"
    leads: [U0SBLEAD01]
  - key: cabin
    name: Cabin
    channel: "#sb-cabin"
    leads: [U0SBLEAD01]
kinds:
  profiles:
    other:
      at: "*/5 * * * *"
sla:
  P1: { firstResponse: 1m }
  P2: { firstResponse: 2m }
  P3: { firstResponse: 3m }
  P4: { firstResponse: 4m }
`;

let files = 0;
function compose(sandbox: string, rules = RULES) {
  files += 1;
  const paths = {
    sandbox: join(dir, `sandbox-${files}.yaml`),
    rules: join(dir, `rules-${files}.yaml`),
  };
  writeFileSync(paths.sandbox, sandbox);
  writeFileSync(paths.rules, rules);
  return { paths, load: () => loadSandboxConfig(paths) };
}

/** "file:line key: message" for each problem, with the temporary folder left out. */
function problemsOf(sandbox: string, rules = RULES): string[] {
  const { load } = compose(sandbox, rules);
  try {
    load();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.issues.map(
      (i) =>
        `${i.file.replace(`${dir}/`, "").replace(/-\d+\.yaml$/, "")}:${i.line} ${i.path}: ${i.message}`,
    );
  }
  return [];
}

describe("the sandbox's configuration", () => {
  it("is the bundled sandbox file with the example's rules, as the example itself loads them", () => {
    const sandbox = loadSandboxConfig({
      sandbox: "sandbox/switchboard.yaml",
      rules: EXAMPLE_CONFIG_PATH,
    });
    const example = loadWorkspaceConfig(EXAMPLE_CONFIG_PATH);
    expect(sandbox.routing).toEqual(example.routing);
    expect(sandbox.priority).toEqual(example.priority);
    expect(sandbox.kinds).toEqual(example.kinds);
    expect(sandbox.kindProfiles.praise).toEqual(example.kindProfiles.praise);
    expect(sandbox.kindProfiles.other.delivery).toEqual({
      ...example.kindProfiles.other.delivery,
      at: "*/5 * * * *",
    });
    expect(sandbox.departments.map((d) => [d.key, d.name, d.channel, d.calendar, d.leads])).toEqual(
      example.departments.map((d) => [d.key, d.name, d.channel, undefined, ["U0SBLEAD01"]]),
    );
    // Its own short windows, not the example's hours.
    expect(sandbox.sla.P1.claimMs).toBe(60_000);
    expect(sandbox.executives.map((e) => e.user)).toEqual(["U0SBEXEC01"]);
  });

  it("lays the sandbox's settings over the example's rule sections and keeps the rest its own", () => {
    const config = compose(SANDBOX).load();
    expect(config.routing.rules.map((r) => r.name)).toEqual(["seats"]);
    expect(config.kinds.rules.map((r) => r.name)).toEqual(["thanks"]);
    expect(config.kindProfiles.other.delivery).toEqual({
      to: "rollup",
      channel: "#sb-triage",
      at: "*/5 * * * *",
      timezone: "UTC",
    });
    expect(config.departments.map((d) => d.leads)).toEqual([["U0SBLEAD01"], ["U0SBLEAD01"]]);
    expect(config.sla.P4.firstResponseMs).toBe(4 * 60_000);
  });

  it("names the sandbox's own default, not the bot's, when its file is missing", () => {
    const missing = (paths: { sandbox: string; rules: string }) => {
      try {
        loadSandboxConfig(paths);
      } catch (error) {
        if (error instanceof ConfigError) return error.issues.map((i) => i.message).join("\n");
        throw error;
      }
      return "";
    };
    const { paths } = compose(SANDBOX);
    const sandboxGone = missing({ ...paths, sandbox: join(dir, "nope.yaml") });
    expect(sandboxGone).toContain(
      "SWITCHBOARD_CONFIG chooses this path (the sandbox's default is sandbox/switchboard.yaml)",
    );
    expect(sandboxGone).not.toContain("./switchboard.yaml");
    expect(missing({ ...paths, rules: join(dir, "gone.yaml") })).toMatch(
      /not found at .*gone\.yaml\. The sandbox shows the rules of this file, which comes with Switchboard: restore it/,
    );
  });

  it("refuses rules or defaults of its own, naming the sandbox file's line and key", () => {
    const problems = problemsOf(
      `${SANDBOX}routing:\n  default: cabin\n  rules: []\npriority:\n  rules: []\n`,
    );
    expect(problems).toEqual([
      expect.stringMatching(
        /^sandbox:20 routing\.default: The sandbox shows the routing default of .*rules-\d+\.yaml, so there is one copy/,
      ),
      expect.stringMatching(/^sandbox:21 routing\.rules: The sandbox shows the routing rules of/),
      expect.stringMatching(/^sandbox:23 priority\.rules: The sandbox shows the priority rules of/),
    ]);
  });

  it("says a whole workspace file (a copy of the example) is not the sandbox's file, in one problem", () => {
    expect(problemsOf(RULES)).toEqual([
      expect.stringMatching(
        /^sandbox:undefined : it has routing rules, so it is a whole workspace file; the sandbox's SWITCHBOARD_CONFIG is only the sandbox's own sections .* Run a whole workspace file with npm start/,
      ),
    ]);
  });

  it("names the file that wrote a mistake: the sandbox's adjustment, or the example's rule", () => {
    expect(problemsOf(SANDBOX.replace('"*/5 * * * *"', '"5pm"'))).toEqual([
      expect.stringMatching(
        /^sandbox:13 kinds\.profiles\.other\.at: "5pm" is not a local time written "HH:MM"/,
      ),
    ]);
    expect(problemsOf(SANDBOX, RULES.replace("department: cabin", "department: cabn"))).toEqual([
      'rules:14 routing.rules[0].department: Unknown department "cabn" (did you mean "cabin"?).',
    ]);
  });

  it("insists on the example's departments, naming what differs and where the example has it", () => {
    const problems = problemsOf(
      SANDBOX.replace("key: cabin\n    name: Cabin", "key: product\n    name: Cabin").replace(
        '"#sb-service"',
        '"#sb-care"',
      ),
    );
    expect(problems).toEqual([
      expect.stringMatching(
        /^sandbox:1 departments: The example's department "cabin" \(.*rules-\d+\.yaml line 6\) is missing/,
      ),
      expect.stringMatching(
        /^sandbox:4 departments\[0\]\.channel: "#sb-care" differs from the example's "#sb-service" \(.*rules-\d+\.yaml line 4\)/,
      ),
      expect.stringMatching(
        /^sandbox:6 departments\[1\]\.key: "product" is not one of the example's departments \(service, cabin in /,
      ),
      // The example's routing rule still names cabin, which the sandbox no longer has.
      expect.stringMatching(
        /^rules:14 routing\.rules\[0\]\.department: Unknown department "cabin"/,
      ),
    ]);
  });
});
