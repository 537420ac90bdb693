import { afterEach, describe, expect, it } from "vitest";
import { parseWorkspaceConfig } from "../../src/config/load-workspace.ts";
import { type E2E, eventually, startE2E } from "../helpers/e2e-harness.ts";
import { FakeClock } from "../helpers/fake-clock.ts";

const EXEC = "U0EXEC1";
const LEAD = "U0LEAD";
const AGENT = "U0AGENT";
const N = 30;
const keys = Array.from({ length: N }, (_, i) => `dept-${i}`);
const channelId = (i: number) => `C0DEPT${String(i).padStart(2, "0")}`;
const longName = (i: number) =>
  `Département ${i} — Service à la clientèle et réclamations internationales ñ 日本`;

const YAML = `
departments:
${keys
  .map(
    (k, i) => `  - key: ${k}
    name: "${longName(i)}"
    channel: ${channelId(i)}
    leads: [${LEAD}]`,
  )
  .join("\n")}
routing:
  default: dept-0
  rules:
${keys.map((k, i) => `    - name: r${i}\n      department: ${k}\n      match: { phrases: [word${i}] }`).join("\n")}
sla:
  P1: { claim: 5m, firstResponse: 15m, nextResponse: 30m, resolution: 4h }
  P2: { claim: 15m, firstResponse: 1h, nextResponse: 2h, resolution: 1d }
  P3: { claim: 1h, firstResponse: 4h, nextResponse: 8h, resolution: 3d }
  P4: { claim: 4h, firstResponse: 1d, nextResponse: 2d, resolution: 7d }
executives:
  - { user: ${EXEC}, name: Ana Ruiz, timezone: Europe/London }
admins: [U0ADMIN]
`;

let e2e: E2E;
afterEach(async () => {
  await e2e?.stop();
});

describe("a workspace with many departments", () => {
  it("counts every unclaimed thread and led department, and lists whole lines in words of the right number", async () => {
    const clock = new FakeClock("2026-11-30T10:00:00Z");
    e2e = await startE2E({
      workspace: parseWorkspaceConfig(YAML, "many.yaml"),
      clock,
      timers: false,
      double: {
        channels: keys.map((k, i) => ({ id: channelId(i), name: `sb-${k}`, members: [AGENT] })),
        users: [EXEC, LEAD, AGENT, "U0ADMIN"].map((id) => ({ id, name: id.toLowerCase() })),
      },
    });
    for (let i = 0; i < N; i++) {
      const r = await e2e.request("/api/v1/complaints", {
        body: { source: "twitter", externalId: `x${i}`, text: `word${i} something is broken` },
      });
      expect(r.status).toBe(202);
    }
    const homeText = async (user: string) => {
      await e2e.driver.appHomeOpened({ userId: user });
      const home = await eventually(
        () => e2e.double.views.find((v) => v.type === "home" && v.userId === user),
        `${user}'s Home`,
      );
      return JSON.stringify(home.blocks).replaceAll("\\n", "\n");
    };
    // The lead: all 30 unclaimed threads counted, and every department they lead accounted for.
    const lead = await homeText(LEAD);
    expect(lead).toContain("Unclaimed in your departments (5 of 30 shown)");
    expect(lead).toContain(
      "Département 3 — Service à la clientèle et réclamations internationales ñ 日本: your department",
    );
    expect(lead).toContain("Your other 26 departments");
    expect(lead).toContain(
      "*Département 4 — Service à la clientèle et réclamations internationales ñ 日本*: 1 open · 0 at risk · 0 breaches today",
    );
    expect(lead).toMatch(/\nand \d+ more/);

    // The executive: words in the right number, and whole department lines (the rest counted).
    const exec = await homeText(EXEC);
    expect(exec).toContain("*30* complaints · *30* new threads");
    expect(exec).toContain("ñ 日本*: 1 complaint, 1 open, 0 at risk");
    expect(exec).not.toContain("1 complaints");
    expect(exec).toMatch(/\(0 met, 0 breached, 3 running\)\nand \d+ more/);
    expect(exec).not.toMatch(/[^.]…"/);

    // The admin: the configuration's departments in whole lines, and warning targets as the file names them.
    const admin = await homeText("U0ADMIN");
    expect(admin).toMatch(/around the clock; leads <@U0LEAD>\nand \d+ more/);
    expect(admin).toContain("80% → owner (channel while unclaimed)");
    expect(admin).not.toContain("owner_or_channel");

    // The digest, a minute later so the complaints are in its period.
    clock.advance(60_000);
    await e2e.driver.slashCommand({
      command: "/switchboard",
      text: "digest",
      userId: EXEC,
      channelId: channelId(0),
    });
    const digest = await eventually(
      () => e2e.double.messages().find((m) => m.text.startsWith("Switchboard digest")),
      "digest",
      30_000,
    );
    const shown = JSON.stringify(digest.blocks).replaceAll("\\n", "\n");
    expect(shown).toContain("ñ 日本*: 1 complaint, 1 new thread, 1 open now");
    expect(shown).toMatch(/running\)\nand \d+ more"/);
  }, 120_000);
});
