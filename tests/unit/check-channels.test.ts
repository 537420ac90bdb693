import { ErrorCode, type WebClient } from "@slack/web-api";
import { describe, expect, it } from "vitest";
import { findChannelProblems } from "../../src/slack/check-channels.ts";
import { CHANNELS, testWorkspace } from "../helpers/workspace-fixture.ts";

/** A Slack that lists channels a page at a time, and refuses the second call with a 429. */
function pagedSlack(pages: Array<Array<{ id: string; name: string }>>) {
  const calls: Array<string | undefined> = [];
  let refusals = 1;
  const client = {
    conversations: {
      list: async (args: { cursor?: string }) => {
        calls.push(args.cursor);
        if (calls.length === 2 && refusals-- > 0) {
          throw Object.assign(new Error("A rate limit was exceeded"), {
            code: ErrorCode.RateLimitedError,
            retryAfter: 3,
          });
        }
        const at = Number(args.cursor ?? "0");
        return {
          ok: true,
          channels: pages[at],
          response_metadata: { next_cursor: at + 1 < pages.length ? String(at + 1) : "" },
        };
      },
    },
  } as unknown as WebClient;
  return { client, calls };
}

describe("checking the configured channels", () => {
  it("waits out a rate-limited page of the channel list (Tier 2) instead of giving up", async () => {
    const { client, calls } = pagedSlack([
      [
        { id: CHANNELS.service, name: "sb-service" },
        { id: CHANNELS.baggage, name: "sb-baggage" },
      ],
      [
        { id: CHANNELS.pr, name: "sb-pr" },
        { id: CHANNELS.exec, name: "sb-exec" },
      ],
    ]);
    const waits: number[] = [];
    const problems = await findChannelProblems(client, testWorkspace(), async (ms) => {
      waits.push(ms);
    });
    expect(problems).toEqual([]);
    expect(waits).toEqual([3000]);
    expect(calls).toEqual([undefined, "1", "1"]);
  });
});
