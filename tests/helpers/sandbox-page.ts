import type { Page } from "playwright-core";
import { silentLogger } from "../../src/logger.ts";
import { type RunningSandbox, startSandbox } from "../../src/sandbox/start-sandbox.ts";

/** The sandbox as `npm run sandbox` starts it, on a free loopback port and its own data folder. */
export function startPageSandbox(dataDir: string, intakeToken: string): Promise<RunningSandbox> {
  return startSandbox({
    configPath: "sandbox/switchboard.yaml",
    workspacePath: "sandbox/slack-workspace.yaml",
    samplePath: "sandbox/complaints.yaml",
    dataDir,
    host: "127.0.0.1",
    port: 0,
    reset: false,
    intakeToken,
    logger: silentLogger,
  });
}

/** How far the selected persona's label runs past its picker's box (its arrow included). */
export function personaOverflow(page: Page): Promise<number> {
  // A string, run in the page: these tests are compiled without the DOM's types.
  return page.evaluate(`(() => {
    const select = document.querySelector("#persona");
    const context = document.createElement("canvas").getContext("2d");
    context.font = getComputedStyle(select).font;
    const label = select.selectedOptions[0].textContent;
    const arrowAndPadding = 28;
    return context.measureText(label).width + arrowAndPadding - select.clientWidth;
  })()`);
}
