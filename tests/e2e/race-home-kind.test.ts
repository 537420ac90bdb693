import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { threads } from "../../src/db/schema.ts";
import { encodeKindChoice, KIND_SELECT_ACTION_ID } from "../../src/slack/views/ids.ts";
import type { StoredView } from "../../src/slack-double/index.ts";
import { startAtT0 } from "../helpers/card-fixture.ts";
import { type E2E, eventually } from "../helpers/e2e-harness.ts";
import { KINDS_DOUBLE, kindsWorkspace } from "../helpers/kinds-fixture.ts";
import { CHANNELS, complaintBody, PEOPLE } from "../helpers/workspace-fixture.ts";

let e2e: E2E;
afterEach(async () => {
  await e2e?.stop();
});

const config = kindsWorkspace();

const homeOf = (user: string): StoredView | undefined =>
  e2e.double.views.find((v) => v.type === "home" && v.userId === user);
const shown = (user: string) => JSON.stringify(homeOf(user)?.blocks ?? []);
const publishesFor = (user: string) =>
  e2e.double.callsTo("views.publish").filter((c) => c.args.user_id === user && c.response?.ok);

describe("the App Home after a kind change", () => {
  it("drops a post taken off the desk from the Homes that listed it", async () => {
    const started = await startAtT0({ workspace: config, double: KINDS_DOUBLE });
    e2e = started.e2e;
    const clock = started.clock;
    const text = "I have a lost bag in Denver";
    const { json } = await e2e.request("/api/v1/complaints", { body: complaintBody({ text }) });
    const threadId = json.threadId as string;
    const card = await eventually(
      () =>
        [CHANNELS.baggage, CHANNELS.service]
          .flatMap((c) => e2e.double.messages(c))
          .find((m) => !m.threadTs && m.text.includes("lost bag")),
      "the card",
    );
    await eventually(
      async () =>
        (await e2e.db.db.select().from(threads).where(eq(threads.id, threadId)))[0]?.slackTs ===
        card.ts,
      "its ts",
    );
    await e2e.driver.appHomeOpened({ userId: PEOPLE.alice });
    await eventually(() => publishesFor(PEOPLE.alice).length > 0, "alice's Home");
    expect(shown(PEOPLE.alice)).toContain("lost bag in Denver");
    const before = publishesFor(PEOPLE.alice).length;

    const res = await e2e.driver.selectOption({
      userId: PEOPLE.alice,
      channelId: card.channel,
      messageTs: card.ts,
      actionId: KIND_SELECT_ACTION_ID,
      value: encodeKindChoice("praise", threadId),
    });
    expect(res.status).toBe(200);
    await eventually(
      async () =>
        (await e2e.db.db.select().from(threads).where(eq(threads.id, threadId)))[0]?.kind ===
        "praise",
      "the kind change",
    );
    clock.advance(5_000);
    await eventually(() => publishesFor(PEOPLE.alice).length > before, "alice's Home refreshed");
    expect(shown(PEOPLE.alice)).not.toContain("lost bag in Denver");
  });
});
