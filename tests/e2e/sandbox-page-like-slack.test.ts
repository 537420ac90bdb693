import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { RunningSandbox } from "../../src/sandbox/start-sandbox.ts";
import { findChromium, launchChromium } from "../helpers/chromium.ts";
import { personaOverflow, startPageSandbox } from "../helpers/sandbox-page.ts";

/**
 * Where the sandbox page could teach a newcomer something Slack does differently, checked in
 * Chromium as a person would meet it: what a reload keeps and drops, and how a modal's field
 * shows an error beside its hint. Every step waits for what the page shows.
 */

const executablePath = findChromium("the sandbox page's Slack-likeness test");

const BEN = "U0SBBAG001";
const PRIYA = "U0SBLEAD01";
const BAGGAGE = "C0SBBAGGAGE";

describe.skipIf(!executablePath)("the sandbox page behaves as Slack's client does", () => {
  let sandbox: RunningSandbox;
  let browser: Browser;
  let page: Page;
  const dataDir = mkdtempSync(join(tmpdir(), "switchboard-sandbox-like-slack-"));
  let posted = 0;

  beforeAll(async () => {
    sandbox = await startPageSandbox(dataDir, "like-slack-test-intake-token-01");
    browser = await launchChromium(executablePath as string);
  }, 120_000);

  beforeEach(async () => {
    await page?.close();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(20_000);
  });

  afterAll(async () => {
    await browser?.close();
    await sandbox?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    expect(sandbox?.double.problems ?? []).toEqual([]);
  });

  /** Files a complaint through the bot's intake API, as the feed panel does. */
  async function postComplaint(text: string): Promise<void> {
    posted += 1;
    const res = await fetch(`${sandbox.botUrl}/api/v1/complaints`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${sandbox.intakeToken}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({
        source: "twitter",
        externalId: `like-slack-${posted}`,
        text,
        author: { handle: `flyer${posted}`, followers: 10 },
      }),
    });
    expect(res.status).toBe(202);
  }

  async function openAs(userId: string, channel: string): Promise<void> {
    await page.goto(`${sandbox.url}/?as=${userId}`);
    await page.waitForSelector(`body[data-ready="${userId}"]`);
    await page.click(`#channels button[data-channel="${channel}"]`);
  }

  const cardOf = (text: string) =>
    page.locator("#messages .message:not(.ephemeral)", { hasText: text });
  const notes = () => page.locator("#messages .message.ephemeral");

  /** How far the message box's placeholder runs past the box. */
  function placeholderOverflow(): Promise<number> {
    return page.evaluate(`(() => {
      const box = document.querySelector("#composer-text");
      const style = getComputedStyle(box);
      const context = document.createElement("canvas").getContext("2d");
      context.font = style.font;
      const room = box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      return context.measureText(box.placeholder).width - room;
    })()`);
  }

  async function command(text: string): Promise<void> {
    await page.fill("#composer-text", text);
    await page.press("#composer-text", "Enter");
  }

  it("drops the “Only visible to you” notes and the open modal on a reload, and shows the notes that come after it", async () => {
    const text = "you lost my suitcase in Oslo and nobody answers";
    await postComplaint(`@SkylineAir ${text}`);
    await openAs(BEN, BAGGAGE);
    const card = cardOf(text);
    await card.locator("button.bk-button", { hasText: "Claim" }).click();
    await card.getByText("Claimed by @Ben Novak").waitFor();
    await command("/switchboard mine");
    await notes().filter({ hasText: text }).getByText("Only visible to you").waitFor();
    await card.locator("button.bk-button", { hasText: "Hand over" }).click();
    await page.locator(".modal", { hasText: "Hand over thread" }).waitFor();

    await page.reload();
    await page.waitForSelector(`body[data-ready="${BEN}"]`);
    await card.getByText("Claimed by @Ben Novak").waitFor();
    // Slack keeps neither: an ephemeral message is not in the conversation's history, and a
    // modal belongs to the client that opened it.
    expect(await notes().count(), "notes from before the reload").toBe(0);
    expect(await page.locator(".modal").count(), "modals from before the reload").toBe(0);

    // The page still shows the notes meant for Ben from now on.
    await command("/switchboard mine");
    await notes().filter({ hasText: text }).getByText("Only visible to you").waitFor();
    expect(await notes().count()).toBe(1);
  }, 60_000);

  it("shows a field's error in place of its hint", async () => {
    const text = "my bag came back with a broken wheel";
    await postComplaint(`@SkylineAir ${text}`);
    await openAs(BEN, BAGGAGE);
    const card = cardOf(text);
    await card.locator("button.bk-button", { hasText: "Claim" }).click();
    await card.getByText("Claimed by @Ben Novak").waitFor();
    await card.locator("button.bk-button", { hasText: "Responded" }).click();
    const modal = page.locator(".modal", { hasText: "Mark as responded" });
    const field = modal.locator('[data-block-id="responded.link"]');
    const hint = field.getByText("Paste the link to your reply on the social network");
    await hint.waitFor();

    await field.locator("input").fill("not a link");
    await modal.locator(".modal-submit").click();
    await field.getByText("Enter the link to the public reply, starting with https://").waitFor();
    expect(await hint.isVisible(), "the hint beside the error").toBe(false);

    await field.locator("input").fill("https://x.com/SkylineAir/status/1");
    await modal.locator(".modal-submit").click();
    await modal.waitFor({ state: "detached" });
    await card.getByText("Responded").first().waitFor();
  }, 60_000);

  it("shows, at a phone's width, the whole name of the person acted as, their role beneath the picker, and the message box's whole placeholder", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await openAs(PRIYA, BAGGAGE);
    expect(await personaOverflow(page), "px of Priya's name cut off").toBeLessThanOrEqual(0);
    const role = page.locator("#persona-role", {
      hasText: "Head of Customer Care (lead of every department)",
    });
    expect(await role.isVisible()).toBe(true);
    const cut = await page.evaluate<number>(
      `(() => { const r = document.querySelector("#persona-role"); return r.scrollWidth - r.clientWidth; })()`,
    );
    expect(cut, "px of Priya's role cut off").toBeLessThanOrEqual(0);
    expect(
      await placeholderOverflow(),
      "px of the message box's placeholder cut off",
    ).toBeLessThanOrEqual(0);
    // At a laptop's width the picker says both, and the line beneath is not needed.
    await page.setViewportSize({ width: 1280, height: 800 });
    await page
      .locator("#persona option:checked", { hasText: "Priya Shah — Head of" })
      .waitFor({ state: "attached" });
    expect(await role.isVisible()).toBe(false);
  }, 60_000);

  it("names each kind's SLA clocks in SLA & people as the table above them does", async () => {
    await openAs(BEN, BAGGAGE);
    await page.click("#toggle-about");
    const kinds = page.locator("#about-body li", { hasText: "Complaint:" });
    await kinds.getByText("claim, first response, next response, resolution clocks").waitFor();
    expect(await page.locator("#about-body").innerText()).not.toMatch(/firstResponse|nextResponse/);
  }, 60_000);
});
