import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { homeTabs, outbox } from "../../src/db/schema.ts";
import { HOME_REFRESH_DELAY_MS, refreshHomesAbout } from "../../src/services/refresh-homes.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.ts";
import { testWorkspace } from "../helpers/workspace-fixture.ts";

/** Whose App Home a change refreshes: the people named, the departments' people, executives. */
let db: TestDatabase;
const NOW = new Date("2026-12-01T10:00:00Z");
const config = testWorkspace((c) => {
  c.executives = [
    { user: "U0EXBAGS", name: "Bags exec", timezone: "UTC", departments: ["baggage"] },
    { user: "U0EXALL", name: "CEO", timezone: "UTC" },
    { user: "U0EXPR", name: "PR exec", timezone: "UTC", departments: ["pr"] },
  ];
});
const HOMES = ["U0EXBAGS", "U0EXALL", "U0EXPR", "U0OWNER", "U0OTHER", "U0SERVICE"];

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.destroy());
beforeEach(async () => {
  await db.db.delete(outbox);
  await db.db.delete(homeTabs);
  // Everyone here opened their Home; only U0SERVICE belongs to a department.
  await db.db.insert(homeTabs).values(
    HOMES.map((userId) => ({
      userId,
      departments: userId === "U0SERVICE" ? ["service"] : [],
      openedAt: NOW,
    })),
  );
});

const refreshed = async () =>
  (await db.db.select().from(outbox).where(eq(outbox.kind, "home.publish")))
    .map((r) => ({ user: (r.payload as { user: string }).user, due: r.nextAttemptAt }))
    .sort((a, b) => a.user.localeCompare(b.user));

describe("refreshing Homes about a change", () => {
  it("refreshes the people named and the executives whose figures cover the department, a second later", async () => {
    await refreshHomesAbout(
      db.db,
      config,
      { departments: ["baggage"], users: ["U0OWNER", null, undefined, ""] },
      NOW,
    );
    const due = new Date(NOW.getTime() + HOME_REFRESH_DELAY_MS);
    expect(await refreshed()).toEqual([
      { user: "U0EXALL", due },
      { user: "U0EXBAGS", due },
      { user: "U0OWNER", due },
    ]);
  });

  it("refreshes a department's own people, and executives of every department only, for another one", async () => {
    await refreshHomesAbout(db.db, config, { departments: ["service"], users: [] }, NOW);
    expect((await refreshed()).map((r) => r.user)).toEqual(["U0EXALL", "U0SERVICE"]);
  });

  it("queues nothing when nobody it concerns has opened a Home", async () => {
    const noExecutives = testWorkspace();
    await refreshHomesAbout(db.db, noExecutives, { departments: ["pr"], users: ["U0NOHOME"] }, NOW);
    expect(await refreshed()).toEqual([]);
  });
});
