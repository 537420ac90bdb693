import { describe, expect, it } from "vitest";
import type { CampaignSettings } from "../../src/config/workspace-types.ts";
import { ForbiddenError } from "../../src/domain/errors.ts";
import { silentLogger } from "../../src/logger.ts";
import {
  describeAnnouncers,
  notAnnouncerMessage,
  requireAnnouncer,
} from "../../src/services/campaign-access.ts";
import type { Actor, ServiceContext } from "../../src/services/context.ts";
import { testWorkspace } from "../helpers/workspace-fixture.ts";

/** Who may send heads-ups and change campaigns, and what someone who may not is told. */
const config = testWorkspace((c) => {
  c.admins = ["U0ADMIN", "U0ADMIN2"];
});
const settings = {
  announcers: { users: ["U0MARKET"], usergroups: ["S0MKTG", "S0GROWTH"] },
} as CampaignSettings;

/** Only the actor matters to the check; it reads nothing else from the context. */
const as = (actor: Actor) => ({ actor, logger: silentLogger }) as unknown as ServiceContext;
const slackUser = (userId: string) => as({ type: "slack", userId });
const facts = (userId: string, more: { isAdmin?: boolean; groups?: string[] } = {}) => ({
  userId,
  isAdmin: more.isAdmin ?? false,
  groups: more.groups ?? [],
});

describe("who may announce", () => {
  it("lists the people, the groups and the admins, joined with a final 'or'", () => {
    expect(describeAnnouncers(config, settings)).toBe(
      "<@U0MARKET>, members of <!subteam^S0MKTG>, members of <!subteam^S0GROWTH> or an admin (<@U0ADMIN>, <@U0ADMIN2>)",
    );
    const noAdmins = testWorkspace((c) => {
      c.admins = [];
    });
    const onlyGroup = {
      announcers: { users: [], usergroups: ["S0MKTG"] },
    } as unknown as CampaignSettings;
    expect(describeAnnouncers(noAdmins, onlyGroup)).toBe(
      "members of <!subteam^S0MKTG> or an admin",
    );
    expect(notAnnouncerMessage(noAdmins, onlyGroup)).toBe(
      "Only campaign announcers and admins can send a heads-up. Ask members of <!subteam^S0MKTG> or an admin.",
    );
  });

  it("lets announcers by id or group, and admins, announce; refuses anyone else naming who can", () => {
    for (const who of [
      facts("U0MARKET"),
      facts("U0GROWER", { groups: ["S0GROWTH"] }),
      facts("U0ADMIN", { isAdmin: true }),
    ]) {
      expect(() => requireAnnouncer(slackUser(who.userId), config, settings, who)).not.toThrow();
    }
    const refused = () =>
      requireAnnouncer(
        slackUser("U0ALICE"),
        config,
        settings,
        facts("U0ALICE", { groups: ["S0OTHER"] }),
      );
    expect(refused).toThrow(ForbiddenError);
    expect(refused).toThrow(notAnnouncerMessage(config, settings));
  });

  it("lets a campaign's owner manage it, and no one else who is not an announcer", () => {
    const owner = facts("U0OWNER");
    expect(() =>
      requireAnnouncer(slackUser("U0OWNER"), config, settings, owner, "U0OWNER"),
    ).not.toThrow();
    expect(() => requireAnnouncer(slackUser("U0OWNER"), config, settings, owner)).toThrow(
      ForbiddenError,
    );
    expect(() =>
      requireAnnouncer(slackUser("U0BOB"), config, settings, facts("U0BOB"), "U0OWNER"),
    ).toThrow(ForbiddenError);
    // The refusal names the owner first, beside the announcers and admins, and only once.
    expect(() =>
      requireAnnouncer(slackUser("U0BOB"), config, settings, facts("U0BOB"), "U0OWNER"),
    ).toThrow(
      "Only this campaign's owner (<@U0OWNER>), campaign announcers and admins can edit, postpone or cancel it. Ask <@U0OWNER>, <@U0MARKET>, members of <!subteam^S0MKTG>, members of <!subteam^S0GROWTH> or an admin (<@U0ADMIN>, <@U0ADMIN2>).",
    );
    expect(notAnnouncerMessage(config, settings, "U0MARKET")).toContain(
      "Ask <@U0MARKET>, members of <!subteam^S0MKTG>,",
    );
  });

  it("refuses a Slack user whose facts are missing or are someone else's", () => {
    expect(() => requireAnnouncer(slackUser("U0MARKET"), config, settings, undefined)).toThrow(
      ForbiddenError,
    );
    expect(() =>
      requireAnnouncer(slackUser("U0ALICE"), config, settings, facts("U0MARKET")),
    ).toThrow(ForbiddenError);
  });

  it("trusts the intake token's callers and the system", () => {
    expect(() =>
      requireAnnouncer(as({ type: "intake", token: "marketing" }), config, settings, undefined),
    ).not.toThrow();
    expect(() =>
      requireAnnouncer(as({ type: "system" }), config, settings, undefined),
    ).not.toThrow();
  });
});
