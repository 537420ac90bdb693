import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningSandbox } from "../../src/sandbox/start-sandbox.ts";
import { findChromium, launchChromium } from "../helpers/chromium.ts";
import { personaOverflow, startPageSandbox } from "../helpers/sandbox-page.ts";

/**
 * The sandbox page in a real browser (Debian's Chromium, driven by playwright-core), as a
 * person evaluating Switchboard would use it: post a complaint, see its card, claim it, see a
 * private note, hand it over (the new card says so), post praise and see it in #sb-kudos
 * rather than as a card, announce a campaign, open the App Home, then read it at a laptop's
 * width and a phone's. Every step waits for what the page shows.
 */

/** Where the screenshots go; docs/sandbox.png is a copy of one of them. */
const SCREENSHOTS = ".tmp/screenshots";

const executablePath = findChromium("the sandbox browser test");

const PEOPLE = {
  ben: "U0SBBAG001",
  sam: "U0SBBKG001",
  mia: "U0SBMKT001",
  priya: "U0SBLEAD01",
} as const;

describe.skipIf(!executablePath)("the sandbox page in Chromium", () => {
  let sandbox: RunningSandbox;
  let browser: Browser;
  let page: Page;
  const dataDir = mkdtempSync(join(tmpdir(), "switchboard-sandbox-browser-"));

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    sandbox = await startPageSandbox(dataDir, "browser-test-intake-token-0123");
    browser = await launchChromium(executablePath as string);
    page = await browser.newPage({ viewport: { width: 1360, height: 860 } });
    page.setDefaultTimeout(20_000);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await sandbox?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    // Slack accepts these (blocks without a text fallback…) but the bot must not send them.
    expect(sandbox?.double.problems ?? []).toEqual([]);
  });

  async function actAs(userId: string, channel: string): Promise<void> {
    await page.selectOption("#persona", userId);
    await page.waitForSelector(`body[data-ready="${userId}"]`);
    await page.click(`#channels button[data-channel="${channel}"]`);
  }

  const cardText = "you lost my suitcase in Lisbon and nobody answers";
  const praiseText = "the crew on SA612 were wonderful with my nervous son";
  const card = () => page.locator("#messages .message:not(.ephemeral)", { hasText: cardText });

  it("posts a complaint, claims its card, shows a private note, hands it over, sends praise to #sb-kudos, announces a campaign and opens the App Home", async () => {
    await page.goto(sandbox.url);
    await page.waitForSelector("body[data-ready]");

    // Post a complaint from the feed panel; the real intake API files it.
    await page.click("#toggle-feed");
    await page.fill("#post-form [name=handle]", "jane_doe");
    await page.fill("#post-form [name=text]", `@SkylineAir ${cardText}`);
    await page.click("#post-form button[type=submit]");
    await expect
      .poll(() => page.textContent("#post-result"), { timeout: 20_000 })
      .toContain("for Baggage Services; its card goes to #sb-baggage");

    // The card, in the right channel, with its buttons.
    await actAs(PEOPLE.ben, "C0SBBAGGAGE");
    await card().waitFor();
    for (const label of ["Claim", "Hand over", "Responded", "Resolve", "Dismiss", "Timeline"]) {
      expect(await card().locator("button.bk-button", { hasText: label }).count()).toBe(1);
    }
    const ts = await card().getAttribute("data-ts");
    await page.screenshot({ path: join(SCREENSHOTS, "1-card.png"), animations: "disabled" });
    await page.click("[data-close=feed]");

    // Claim: the same message changes in place.
    await card().locator("button.bk-button", { hasText: "Claim" }).click();
    await card().getByText("Claimed by @Ben Novak").waitFor();
    expect(await card().count()).toBe(1);
    expect(await card().getAttribute("data-ts")).toBe(ts);
    await card().locator(".edited").waitFor();

    // A slash command typed in the message box; its answer is for Ben alone.
    await page.fill("#composer-text", "/switchboard mine");
    await page.press("#composer-text", "Enter");
    await page.locator("#messages .message.ephemeral", { hasText: "lost my suitcase" }).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, "2-claimed.png"), animations: "disabled" });

    // Someone from another department clicks too: a private note, shown to them only.
    await actAs(PEOPLE.sam, "C0SBBAGGAGE");
    await card().locator("button.bk-button", { hasText: "Resolve" }).click();
    const note = page.locator("#messages .message.ephemeral", {
      hasText: "Only members of Baggage Services",
    });
    await note.waitFor();
    await note.getByText("Only visible to you").waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, "3-private-note.png") });
    await actAs(PEOPLE.ben, "C0SBBAGGAGE");
    await card().getByText("Claimed by @Ben Novak").waitFor();
    expect(
      await page
        .locator("#messages .message", { hasText: "Only members of Baggage Services" })
        .count(),
    ).toBe(0);

    // Hand over to another department through the modal.
    await card().locator("button.bk-button", { hasText: "Hand over" }).click();
    const modal = page.locator(".modal");
    await modal.getByText("Hand over thread").waitFor();
    // Submitted empty, the bot answers with an error, shown under its field.
    await modal.locator(".modal-submit").click();
    await modal.locator(".bk-error", { hasText: "Pick a person or a department" }).waitFor();
    await modal
      .locator('select[data-type="static_select"]')
      .selectOption({ label: "Bookings & Refunds" });
    await modal.locator("textarea").fill("A refund question: over to Bookings");
    await page.screenshot({ path: join(SCREENSHOTS, "4-hand-over.png") });
    await modal.locator(".modal-submit").click();
    await modal.waitFor({ state: "detached" });
    await page
      .locator("#messages .message", { hasText: "Handed over from Baggage Services to Bookings" })
      .waitFor();
    await page.click('#channels button[data-channel="C0SBBOOKING"]');
    await card().locator(".bk-field", { hasText: "Bookings & Refunds" }).waitFor();
    await card().locator("button.bk-button", { hasText: "Claim" }).waitFor();
    // The new card says where it came from, who sent it and why.
    const handedOver = card().locator('[data-block-id="card.handover"]');
    await handedOver.getByText("Handed over from Baggage Services by @Ben Novak").waitFor();
    await handedOver
      .locator("blockquote", { hasText: "A refund question: over to Bookings" })
      .waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, "5-moved.png") });

    // Praise is not a card: a note in #sb-kudos, with no clocks.
    await page.click("#toggle-feed");
    await page.fill("#post-form [name=handle]", "happy_flyer");
    await page.fill("#post-form [name=text]", `Thank you Skyline, ${praiseText}`);
    await page.click("#post-form button[type=submit]");
    await expect
      .poll(() => page.textContent("#post-result"), { timeout: 20_000 })
      .toContain("Filed as praise for Customer Service: a note goes to #sb-kudos");
    await page.click("[data-close=feed]");
    await actAs(PEOPLE.ben, "C0SBKUDOS01");
    const kudos = page.locator("#messages .message", { hasText: praiseText });
    await kudos.waitFor();
    // Nothing to claim or resolve: its timeline, and a Kind picker to put it on the desk.
    expect(await kudos.locator("button.bk-button").allTextContents()).toEqual(["Timeline"]);
    expect(await kudos.locator('[data-action-id="kind.change"]').count()).toBe(1);
    await page.screenshot({ path: join(SCREENSHOTS, "5b-kudos.png") });
    expect(
      sandbox.double.messages("C0SBSERVICE").filter((m) => m.text.includes(praiseText)),
      "no card for praise on Customer Service's desk",
    ).toEqual([]);

    // Marketing announces a campaign from the feed panel; baggage gets a heads-up to acknowledge.
    await actAs(PEOPLE.mia, "C0SBMARKETG");
    await page.click("#toggle-feed");
    await page.check('#campaign-form input[name=departments][value="baggage"]');
    await page.click("#campaign-form button[type=submit]");
    await expect
      .poll(() => page.textContent("#campaign-result"), { timeout: 20_000 })
      .toContain("Announced");
    await page.click("[data-close=feed]");
    await actAs(PEOPLE.ben, "C0SBBAGGAGE");
    const headsUp = page.locator("#messages .message", { hasText: "Heads-up: Spring sale" });
    await headsUp.locator("button.bk-button", { hasText: "Acknowledge" }).click();
    await headsUp.getByText("Ben Novak").first().waitFor();
    expect(await headsUp.locator("button.bk-button", { hasText: "Acknowledge" }).count()).toBe(0);
    await page.screenshot({ path: join(SCREENSHOTS, "6-heads-up.png"), animations: "disabled" });

    // The App Home tab: opening it sends app_home_opened, and the bot publishes Ben's Home.
    await page.click("#apps button");
    await page.locator("#home .home-view", { hasText: "You own no open threads." }).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, "7-home.png") });

    // A laptop's width: the picker shows the whole of the longest name and role.
    await page.setViewportSize({ width: 1280, height: 800 });
    await actAs(PEOPLE.priya, "C0SBBOOKING");
    expect(await personaOverflow(page), "px of Priya's role cut off").toBeLessThanOrEqual(0);

    // A phone's width: nothing runs off the right edge, Feed can be reached, a card has the
    // width and a side pane covers the channel rather than squeezing it.
    await page.setViewportSize({ width: 390, height: 844 });
    await card().waitFor();
    const pageWidth = await page.evaluate<number>("document.documentElement.scrollWidth");
    expect(pageWidth).toBeLessThanOrEqual(390);
    expect(await rightEdge("#toggle-about")).toBeLessThanOrEqual(390);
    expect((await card().boundingBox())?.width).toBeGreaterThan(340);
    await page.click("#toggle-feed");
    expect((await page.locator("#feed-pane").boundingBox())?.width).toBeGreaterThan(380);
    await page.screenshot({ path: join(SCREENSHOTS, "8-phone-feed.png") });
    await page.click("[data-close=feed]");
  }, 180_000);

  it("suggests a campaign launch counted from when the Feed panel opens, not from when the page loaded", async () => {
    const later = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    try {
      // The page's clock only: the bot's is the real one, and the form is the page's.
      await later.clock.install();
      await later.goto(sandbox.url);
      await later.waitForSelector("body[data-ready]");
      const launch = () => later.inputValue('#campaign-form input[name="launchAt"]');
      await later.click("#toggle-feed");
      const atFirst = await launch();
      await later.click("[data-close=feed]");
      await later.clock.fastForward("10:00");
      await later.click("#toggle-feed");
      const minutes = (local: string) => Date.parse(`${local}:00Z`) / 60_000;
      expect(minutes(await launch()) - minutes(atFirst)).toBeGreaterThanOrEqual(10);
      // A time the viewer typed is theirs: opening the panel again keeps it.
      await later.fill('#campaign-form input[name="launchAt"]', "2030-01-02T09:30");
      await later.click("[data-close=feed]");
      await later.click("#toggle-feed");
      expect(await launch()).toBe("2030-01-02T09:30");
    } finally {
      await later.close();
    }
  }, 60_000);

  async function rightEdge(selector: string): Promise<number> {
    const box = await page.locator(selector).boundingBox();
    return box ? box.x + box.width : Number.POSITIVE_INFINITY;
  }
});
