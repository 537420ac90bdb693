import { describe, expect, it } from "vitest";
import { ValidationError } from "../../src/domain/errors.ts";
import {
  type CampaignDraft,
  parseCampaignInput,
  parseCampaignPatch,
} from "../../src/services/campaign-input.ts";
import { testWorkspace } from "../helpers/workspace-fixture.ts";

/*
 * The campaign API and the heads-up modal both go through these parsers; the e2e tests show
 * the answers people get, these pin every rule of the parsing itself.
 */
const config = testWorkspace(); // departments service, baggage, pr
const NOW = new Date("2027-03-01T09:00:00Z");
const DAY = 86_400_000;

function body(overrides: Record<string, unknown> = {}) {
  return {
    name: "Spring fare sale",
    launchAt: "2027-03-10T09:00:00+01:00",
    endAt: "2027-03-17T09:00:00+01:00",
    departments: ["service", "baggage"],
    owner: "U0MARKET",
    ...overrides,
  };
}

/** The issues a parse throws, as "path: message" lines. */
function issuesOf(parse: () => unknown): string[] {
  try {
    parse();
  } catch (error) {
    if (error instanceof ValidationError) return error.issues.map((i) => `${i.path}: ${i.message}`);
    throw error;
  }
  throw new Error("parsed without a ValidationError");
}

describe("a new campaign", () => {
  it("is normalised: optional fields null, channels and keywords once each, text trimmed", () => {
    const draft = parseCampaignInput(
      body({
        name: "  Spring fare sale ",
        channels: ["email", "social", "email"],
        keywords: ["SPRING25", "spring25", "#springsale", "Spring25"],
        description: "",
      }),
      config,
      NOW,
    );
    expect(draft).toEqual({
      name: "Spring fare sale",
      description: null,
      launchAt: new Date("2027-03-10T08:00:00Z"),
      endAt: new Date("2027-03-17T08:00:00Z"),
      channels: ["email", "social"],
      audienceSize: null,
      expectedVolume: null,
      departments: ["service", "baggage"],
      keywords: ["SPRING25", "#springsale"], // the first spelling wins
      talkingPoints: null,
      faqUrl: null,
      owner: "U0MARKET",
    });
  });

  it("refuses text the database would not store as sent, naming each field", () => {
    expect(
      issuesOf(() =>
        parseCampaignInput(
          body({
            name: "Spring\u0000sale",
            description: "half \ud800 a character",
            keywords: ["ok", "bad\u0000"],
            talkingPoints: "\udfff",
            faqUrl: "https://skyline.example/\u0000",
          }),
          config,
          NOW,
        ),
      ),
    ).toEqual([
      "name: must not contain the NUL character (\\u0000)",
      "description: must be valid Unicode (it has an unpaired surrogate)",
      "keywords[1]: must not contain the NUL character (\\u0000)",
      "talkingPoints: must be valid Unicode (it has an unpaired surrogate)",
      "faqUrl: must not contain the NUL character (\\u0000)",
    ]);
  });

  it("refuses dates outside what the database takes, and more than ten years from today", () => {
    expect(
      issuesOf(() =>
        parseCampaignInput(
          body({ launchAt: "0000-01-01T00:00:00Z", endAt: "9999-12-31T23:59:59-05:00" }),
          config,
          NOW,
        ),
      ),
    ).toEqual([
      "launchAt: must be between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z (in UTC)",
      "endAt: must be between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z (in UTC)",
    ]);
    expect(
      issuesOf(() =>
        parseCampaignInput(
          body({ launchAt: "2016-01-01T00:00:00Z", endAt: "2037-03-02T00:00:00Z" }),
          config,
          NOW,
        ),
      ),
    ).toEqual([
      "launchAt: must be within 10 years of today",
      "endAt: must be within 10 years of today",
    ]);
    const current = parseCampaignInput(body(), config, NOW);
    expect(
      issuesOf(() => parseCampaignPatch({ endAt: "9999-12-31T00:00:00Z" }, current, config, NOW)),
    ).toEqual(["endAt: must be within 10 years of today"]);
  });

  it("holds an edit to the horizon only for the times it sets, and still checks their order", () => {
    // Saved before the ten-year rule (or long ago): launch in 2040, end in 2041.
    const distant = {
      ...parseCampaignInput(body(), config, NOW),
      launchAt: new Date("2040-01-01T00:00:00Z"),
      endAt: new Date("2041-01-01T00:00:00Z"),
    };
    expect(parseCampaignPatch({ name: "Renamed" }, distant, config, NOW).draft.name).toBe(
      "Renamed",
    );
    expect(
      issuesOf(() => parseCampaignPatch({ endAt: "2030-01-01T00:00:00Z" }, distant, config, NOW)),
    ).toEqual(["endAt: must be after launchAt"]);
  });

  it("keeps a FAQ link and the counts it is given", () => {
    const draft = parseCampaignInput(
      body({ faqUrl: " https://skyline.example/faq ", audienceSize: 16_000, expectedVolume: 0 }),
      config,
      NOW,
    );
    expect(draft).toMatchObject({
      faqUrl: "https://skyline.example/faq",
      audienceSize: 16_000,
      expectedVolume: 0,
    });
  });

  it("names each unknown or repeated department by its place in the list", () => {
    expect(
      issuesOf(() =>
        parseCampaignInput(body({ departments: ["service", "cabin", "service"] }), config, NOW),
      ),
    ).toEqual([
      'departments[1]: unknown department "cabin" (known: service, baggage, pr)',
      'departments[2]: "service" is listed twice',
    ]);
  });

  it("wants the end after the launch, and in the future", () => {
    expect(
      issuesOf(() => parseCampaignInput(body({ endAt: "2027-03-10T09:00:00+01:00" }), config, NOW)),
    ).toEqual(["endAt: must be after launchAt"]);
    const past = body({ launchAt: "2027-02-01T00:00:00Z", endAt: "2027-03-01T09:00:00Z" });
    expect(issuesOf(() => parseCampaignInput(past, config, NOW))).toEqual([
      "endAt: must be in the future",
    ]);
    const justAhead = body({ launchAt: "2027-02-01T00:00:00Z", endAt: "2027-03-01T09:00:01Z" });
    expect(parseCampaignInput(justAhead, config, NOW).endAt).toEqual(
      new Date("2027-03-01T09:00:01Z"),
    );
  });

  it("reports the field errors, the departments and the timing together in one answer", () => {
    expect(
      issuesOf(() =>
        parseCampaignInput(
          body({
            name: "",
            owner: "marketing",
            departments: ["cabin", 7],
            endAt: "2027-03-09T00:00:00Z",
            extra: true,
          }),
          config,
          NOW,
        ),
      ),
    ).toEqual([
      "name: must not be empty",
      "departments[1]: must be a department key",
      "owner: must be a Slack member ID (U… or W…)",
      "extra: unknown field",
      'departments[0]: unknown department "cabin" (known: service, baggage, pr)',
      "endAt: must be after launchAt",
    ]);
  });

  it("names what is missing, and a body that is not an object", () => {
    expect(issuesOf(() => parseCampaignInput({ name: "x" }, config, NOW))).toEqual([
      "launchAt: is required",
      "endAt: is required",
      "departments: is required",
      "owner: is required",
    ]);
    expect(issuesOf(() => parseCampaignInput(null, config, NOW))).toEqual([
      "(body): must be a JSON object",
    ]);
    expect(
      issuesOf(() => parseCampaignInput(body({ departments: "service" }), config, NOW)),
    ).toEqual(["departments: must be a list (got a string)"]);
  });
});

describe("an edit to a campaign", () => {
  const current: CampaignDraft = parseCampaignInput(body({ keywords: ["SPRING25"] }), config, NOW);

  it("applies only the fields it names, and says which those were", () => {
    const { draft, changes } = parseCampaignPatch(
      { name: "Spring sale", description: null },
      current,
      config,
      NOW,
    );
    expect(changes).toEqual({ name: "Spring sale", description: null });
    expect(draft).toEqual({ ...current, name: "Spring sale", description: null });
  });

  it("refuses an empty edit, and unknown fields", () => {
    expect(issuesOf(() => parseCampaignPatch({}, current, config, NOW))).toEqual([
      "(body): name at least one field to change",
    ]);
    expect(issuesOf(() => parseCampaignPatch({ colour: "red" }, current, config, NOW))).toEqual([
      "colour: unknown field",
      "(body): name at least one field to change", // none it knows
    ]);
  });

  it("checks new departments against the workspace", () => {
    expect(
      issuesOf(() => parseCampaignPatch({ departments: ["pr", "pr"] }, current, config, NOW)),
    ).toEqual(['departments[1]: "pr" is listed twice']);
    expect(
      issuesOf(() => parseCampaignPatch({ departments: ["pr", 3] }, current, config, NOW)),
    ).toEqual(["departments[1]: must be a department key"]);
  });

  it("leaves a department since removed from the workspace alone when the edit is elsewhere", () => {
    const removed = { ...current, departments: ["service", "gone"] };
    const { draft } = parseCampaignPatch({ name: "Renamed" }, removed, config, NOW);
    expect(draft.departments).toEqual(["service", "gone"]);
  });

  it("checks the times only when the edit moves them, and then against now", () => {
    const ended = { ...current, launchAt: new Date(NOW.getTime() - 2 * DAY), endAt: NOW };
    // Renaming a campaign that has ended is fine; moving its launch is checked.
    expect(parseCampaignPatch({ name: "Over" }, ended, config, NOW).draft.name).toBe("Over");
    expect(
      issuesOf(() => parseCampaignPatch({ launchAt: "2027-02-28T00:00:00Z" }, ended, config, NOW)),
    ).toEqual(["endAt: must be in the future"]);
    expect(
      issuesOf(() => parseCampaignPatch({ endAt: "2027-03-10T08:00:00Z" }, current, config, NOW)),
    ).toEqual(["endAt: must be after launchAt"]);
  });
});
