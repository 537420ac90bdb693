import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatSlackDate, ordinal } from "../../src/sandbox/public/slack-dates.js";
import { emojiFor } from "../../src/sandbox/render/emoji.ts";
import {
  mrkdwnToHtml,
  type NameLookup,
  plainToHtml,
} from "../../src/sandbox/render/mrkdwn-html.ts";

const names: NameLookup = {
  user: (id) => ({ U1: "Ben Novak" })[id],
  channel: (id) => ({ C1: "sb-baggage" })[id],
  usergroup: (id) => ({ S1: "baggage-duty" })[id],
};

const render = (text: string) => mrkdwnToHtml(text, names);

describe("mrkdwn as Slack draws it", () => {
  it("styles words at word boundaries only", () => {
    expect(render("*bold* _italic_ ~strike~ `code`")).toBe(
      "<b>bold</b> <i>italic</i> <s>strike</s> <code>code</code>",
    );
    expect(render("snake_case_name and 2*3*4")).toBe("snake_case_name and 2*3*4");
    expect(render("*P1:* default")).toBe("<b>P1:</b> default");
  });

  it("quotes lines that start with >, and keeps code blocks unformatted", () => {
    expect(render("> first\n> *second*\nafter")).toBe(
      "<blockquote>first<br><b>second</b></blockquote>after",
    );
    expect(render("```\n*not bold* <@U1>\n```")).toBe("<pre>*not bold* &lt;@U1&gt;\n</pre>");
  });

  it("shows mentions by name, special mentions, user groups, channels and links", () => {
    expect(render("<@U1> <@U9|someone> <#C1> <#C9|other>")).toBe(
      '<span class="mention" data-user="U1">@Ben Novak</span> <span class="mention" data-user="U9">@someone</span> ' +
        '<span class="channel-link" data-channel="C1">#sb-baggage</span> <span class="channel-link" data-channel="C9">#other</span>',
    );
    expect(render("<!here> <!channel> <!subteam^S1>")).toContain("@here");
    expect(render("<!subteam^S1>")).toBe('<span class="mention group">@baggage-duty</span>');
    expect(render("<https://example.com/a?b=1&amp;c=2|the post>")).toBe(
      '<a href="https://example.com/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer">the post</a>',
    );
    expect(render("<javascript:alert(1)|click>")).toBe("click");
  });

  it("turns date tokens into times the page formats, keeping the fallback meanwhile", () => {
    expect(render("due <!date^1772459580^{date_short_pretty} {time}|13:53 GMT>")).toBe(
      'due <time class="sb-date" data-ts="1772459580" data-format="{date_short_pretty} {time}" datetime="2026-03-02T13:53:00.000Z">13:53 GMT</time>',
    );
  });

  it("decodes Slack's three escapes once, and escapes for HTML", () => {
    expect(render('AT&amp;T &lt;b&gt; "quoted"')).toBe("AT&amp;T &lt;b&gt; &quot;quoted&quot;");
    expect(render("line one\nline two")).toBe("line one<br>line two");
    expect(render(":tada: :no_such_emoji:")).toBe(
      '<span class="emoji" title=":tada:">🎉</span> :no_such_emoji:',
    );
    expect(plainToHtml("<b>:tada:</b>", false)).toBe("&lt;b&gt;:tada:&lt;/b&gt;");
  });
});

describe("Slack's date tokens in the viewer's zone", () => {
  const at = 1772459580; // Monday 2 March 2026, 13:53:00 UTC
  const now = Date.UTC(2026, 2, 2, 9, 0);

  it("formats every token", () => {
    const f = (format: string, timeZone = "Europe/London", hour12 = false) =>
      formatSlackDate(at, format, { timeZone, now, hour12 });
    expect(f("{date_num}")).toBe("2026-03-02");
    expect(f("{date}")).toBe("March 2nd, 2026");
    expect(f("{date_short}")).toBe("Mar 2, 2026");
    expect(f("{date_long}")).toBe("Monday, March 2nd, 2026");
    expect(f("{date_pretty} at {time}")).toBe("today at 13:53");
    expect(f("{time_secs}", "Europe/London", true)).toBe("1:53:00 PM");
    expect(f("{date_short_pretty} {time}", "Asia/Tokyo")).toBe("today 22:53");
    // In Honolulu it is still 1 March at 09:00 UTC, so 13:53 UTC falls tomorrow.
    expect(f("{date_short_pretty}", "Pacific/Honolulu")).toBe("tomorrow");
    expect(f("{ago}")).toBe("in 5 hours");
    expect(f("{unknown}")).toBe("{unknown}");
  });

  it("says yesterday and tomorrow in the viewer's own zone", () => {
    expect(formatSlackDate(at, "{date_pretty}", { timeZone: "UTC", now: now + 86_400_000 })).toBe(
      "yesterday",
    );
    expect(
      formatSlackDate(at, "{date_long_pretty}", { timeZone: "UTC", now: now - 86_400_000 }),
    ).toBe("tomorrow");
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 23].map(ordinal).join(" ")).toBe(
      "1st 2nd 3rd 4th 11th 12th 13th 21st 22nd 23rd",
    );
  });
});

describe("emoji", () => {
  it("draws every shortcode Switchboard's messages use", () => {
    const files = ["src/slack/views", "src/slack"].flatMap((dir) =>
      readdirSync(dir)
        .filter((f) => f.endsWith(".ts"))
        .map((f) => readFileSync(join(dir, f), "utf8")),
    );
    // ":v1:" is the version in action values ("thread:v1:…"), not an emoji.
    const used = new Set(
      files.flatMap((text) => [...text.matchAll(/:([a-z][a-z0-9_+-]*):/g)].map((m) => m[1] ?? "")),
    );
    used.delete("v1");
    expect(used.size).toBeGreaterThan(20);
    expect([...used].filter((name) => emojiFor(name) === undefined)).toEqual([]);
  });
});
