import { describe, expect, it } from "vitest";
import { touchedFields } from "../../src/slack/views/campaign-form-changes.ts";
import {
  buildCampaignModal,
  type CampaignModalValues,
} from "../../src/slack/views/campaign-modal.ts";
import { campaignSubmissionBody } from "../../src/slack/views/campaign-submission.ts";
import { CAMPAIGN_INPUTS as IN, parseCampaignModalMetadata } from "../../src/slack/views/ids.ts";
import { initialStateValues } from "../../src/slack-double/block-kit/interactive.ts";

const ID = "0b8e5a52-4c1e-4d0e-9a55-1f2b3c4d5e6f";
const departments = [
  { key: "service", name: "Customer Service" },
  { key: "baggage", name: "Baggage" },
  { key: "pr", name: "Press & PR" },
];

/** Values the API can store but the form cannot show exactly. */
const STORED: CampaignModalValues = {
  name: "Spring fare sale",
  description: "20% off\r\nEuropean fares",
  launchAt: new Date("2026-11-27T10:00:30.250Z"),
  endAt: new Date("2026-12-04T10:00:00.999Z"),
  channels: ["social", "email"],
  audienceSize: 16_000,
  expectedVolume: null,
  departments: ["pr", "service"],
  keywords: ["SPRING25", "buy one, get one"],
  talkingPoints: "New bookings only.",
  faqUrl: "https://skyline.example/faq",
  owner: "U0MARKET",
};

/** Opens the edit form on STORED and submits it with `changed` states set (as Slack would). */
function submit(changed: Record<string, Record<string, unknown>> = {}) {
  const view = buildCampaignModal({
    mode: "edit",
    departments,
    metadata: { campaignId: ID },
    initial: STORED,
    linkTailMs: 0,
  });
  const values = { ...initialStateValues(view.blocks), ...changed };
  const shown = parseCampaignModalMetadata(view.private_metadata)?.shown;
  return touchedFields(campaignSubmissionBody(values), shown);
}

describe("the fields the editor touched", () => {
  it("are none when the form is saved as it opened, whatever it could not show exactly", () => {
    expect(submit()).toEqual({});
  });

  it("are each field changed, alone", () => {
    const changes: Array<[string, keyof typeof IN, Record<string, unknown>, unknown]> = [
      ["name", "name", { value: "Autumn sale" }, "Autumn sale"],
      ["description", "description", { value: "30% off" }, "30% off"],
      ["launchAt", "launchAt", { selected_date_time: 1_796_000_000 }, "2026-11-30T00:53:20.000Z"],
      ["endAt", "endAt", { selected_date_time: 1_796_000_000 }, "2026-11-30T00:53:20.000Z"],
      ["channels", "channels", { selected_options: [{ value: "tv" }] }, ["tv"]],
      ["audienceSize", "audienceSize", { value: "17000" }, 17_000],
      ["expectedVolume", "expectedVolume", { value: "20" }, 20],
      ["departments", "departments", { selected_options: [{ value: "pr" }] }, ["pr"]],
      ["keywords", "keywords", { value: "SPRING25" }, ["SPRING25"]],
      ["talkingPoints", "talkingPoints", { value: "Any booking." }, "Any booking."],
      ["faqUrl", "faqUrl", { value: "https://x.example" }, "https://x.example"],
      ["owner", "owner", { selected_user: "U0OTHER" }, "U0OTHER"],
    ];
    for (const [field, input, state, expected] of changes) {
      const ids = IN[input];
      expect(submit({ [ids.blockId]: { [ids.actionId]: state } }), field).toEqual({
        [field]: expected,
      });
    }
  });

  it("leaves out a time moved within the minute it showed, which the picker cannot tell apart", () => {
    const sameMinute = Math.floor(Date.parse("2026-11-27T10:00:00Z") / 1000);
    expect(
      submit({
        [IN.launchAt.blockId]: { [IN.launchAt.actionId]: { selected_date_time: sameMinute } },
      }),
    ).toEqual({});
  });

  it("count every field from a form opened before it remembered what it showed", () => {
    const body = { name: "Spring", owner: "U0MARKET" };
    expect(touchedFields(body, undefined)).toEqual(body);
  });
});
