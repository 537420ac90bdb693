import { buildDist } from "../../scripts/build-dist.ts";

/**
 * Builds dist/ once before the run: tests that start the bot as a process of its own run
 * `npm start`'s code, the compiled JavaScript (tests/helpers/bot-process.ts).
 */
export default function setup(): void {
  buildDist();
}
