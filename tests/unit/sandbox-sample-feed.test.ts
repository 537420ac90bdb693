import { describe, expect, it } from "vitest";
import { loadWorkspaceConfig } from "../../src/config/load-workspace.ts";
import { PRIORITIES } from "../../src/domain/complaint.ts";
import { prioritizeComplaint } from "../../src/domain/priority.ts";
import { routeComplaint } from "../../src/domain/routing.ts";
import { complaintBody, loadSampleFeed, samplePosts } from "../../src/sandbox/sample-feed.ts";
import { ComplaintInput } from "../../src/services/complaint-input.ts";

/** The bundled sample feed, judged by the sandbox's own routing and priority rules. */
const config = loadWorkspaceConfig("sandbox/switchboard.yaml");
const entries = loadSampleFeed();
const posts = samplePosts(entries);
const decided = posts.map((p) => {
  const facts = {
    source: p.source,
    text: p.text,
    author: p.author,
    metrics: { shares: p.shares, likes: p.likes },
  };
  return {
    post: p,
    department: routeComplaint(facts, config.routing).department,
    priority: prioritizeComplaint(facts, config.priority).priority,
  };
});

describe("the sandbox's sample feed", () => {
  it("has about 200 posts, each one the intake API accepts", () => {
    expect(posts.length).toBeGreaterThanOrEqual(190);
    for (const p of posts) {
      const parsed = ComplaintInput.safeParse(complaintBody(p, "t1", new Date()));
      expect(parsed.success, `${p.id}: ${parsed.error?.message}`).toBe(true);
    }
  });

  it("reaches every department and every priority, several times each", () => {
    for (const d of config.departments) {
      expect(decided.filter((x) => x.department === d.key).length, d.key).toBeGreaterThanOrEqual(8);
    }
    for (const priority of PRIORITIES) {
      expect(
        decided.filter((x) => x.priority === priority).length,
        priority,
      ).toBeGreaterThanOrEqual(8);
    }
  });

  it("holds follow-ups in conversations, repeats, VIP and verified authors, risk words, praise and questions", () => {
    expect(posts.filter((p) => p.conversation !== undefined).length).toBeGreaterThanOrEqual(20);
    expect(entries.filter((e) => "repeat" in e).length).toBeGreaterThanOrEqual(4);
    expect(posts.filter((p) => p.author.verified).length).toBeGreaterThanOrEqual(10);
    expect(posts.filter((p) => (p.author.followers ?? 0) >= 100_000).length).toBeGreaterThanOrEqual(
      5,
    );
    const journalists =
      config.routing.rules.find((r) => r.name === "known-journalists")?.match.authors ?? [];
    expect(posts.some((p) => journalists.includes(p.author.handle))).toBe(true);
    expect(decided.filter((x) => x.priority === "P1").length).toBeGreaterThanOrEqual(15);
    expect(
      posts.filter((p) => /\b(thank|thanks|brilliant|lovely|best)\b/i.test(p.text)).length,
    ).toBeGreaterThanOrEqual(10);
    expect(posts.filter((p) => p.text.trim().endsWith("?")).length).toBeGreaterThanOrEqual(15);
  });

  it("gives each replay its own ids, and keeps a repeat's id within one replay", () => {
    const first = posts.map((p) => complaintBody(p, "r1", new Date()).externalId);
    const second = posts.map((p) => complaintBody(p, "r2", new Date()).externalId);
    expect(first.filter((id) => second.includes(id))).toEqual([]);
    const repeats = entries.filter((e) => "repeat" in e).length;
    expect(new Set(first).size).toBe(first.length - repeats);
    const followUp = posts.find((p) => p.conversation !== undefined);
    expect(complaintBody(followUp as (typeof posts)[number], "r1", new Date()).conversationId).toBe(
      `r1-${followUp?.conversation}`,
    );
  });
});
