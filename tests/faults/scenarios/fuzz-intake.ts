import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import fc from "fast-check";
import { botSetup, FAULT_TOKEN, launchBot } from "../support/bots.ts";
import { slackLimits, startSlack } from "../support/fixture.ts";
import { type FuzzCase, fuzzCases } from "../support/fuzz-bodies.ts";
import { createDatabase } from "../support/postgres.ts";
import { check, n, type Scenario } from "../support/report.ts";

interface Answer {
  case: FuzzCase;
  status: number | "network";
  /** The complaint ids this answer says were accepted (202s, and 202 items of a batch). */
  accepted: string[];
}

/** A batch answer's accepted items, or a single answer's complaint. */
function acceptedIds(status: number, json: unknown): string[] {
  const body = json as {
    complaintId?: string;
    results?: Array<{ status?: number; complaintId?: string }>;
  };
  if (status === 202 && body?.complaintId) return [body.complaintId];
  if (status === 200 && Array.isArray(body?.results))
    return body.results
      .filter((r) => r.status === 202 && r.complaintId)
      .map((r) => r.complaintId as string);
  return [];
}

/**
 * Thousands of request bodies generated with fast-check, sent to a running bot: each must be
 * answered 2xx or 4xx (never 5xx, never a dropped connection), and afterwards the database
 * must hold exactly the complaints the answers said were accepted.
 */
export const fuzzIntake: Scenario = {
  key: "fuzz",
  title: "Fuzzed intake bodies",
  async run(ctx) {
    const { bodies } = ctx.profile.fuzz;
    const seed = ctx.seed;
    const { workspace, double } = await startSlack(ctx, { departments: 4 }, slackLimits(3_000));
    const { url, handle } = await createDatabase(ctx.scope, ctx.postgres.url, "fuzz");
    const bot = await launchBot(ctx.scope, botSetup(ctx.runDir, workspace, double, url), "bot");
    const cases = fc.sample(fuzzCases(`fz${seed}`), { numRuns: bodies, seed });
    const answers: Answer[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < cases.length) {
          const c = cases[next++] as FuzzCase;
          try {
            const res = await fetch(`${bot.url}${c.path}`, {
              method: "POST",
              headers: { authorization: `Bearer ${FAULT_TOKEN}`, ...c.headers },
              body: c.body,
              signal: AbortSignal.timeout(30_000),
            });
            const json = await res.json().catch(() => null);
            answers.push({ case: c, status: res.status, accepted: acceptedIds(res.status, json) });
          } catch {
            answers.push({ case: c, status: "network", accepted: [] });
          }
          if (answers.length % 1000 === 0) ctx.log(`${n(answers.length)}/${n(cases.length)} sent`);
        }
      }),
    );
    const bad = answers.filter(
      (a) =>
        typeof a.status !== "number" ||
        a.status < 200 ||
        a.status >= 500 ||
        (a.status >= 300 && a.status < 400),
    );
    if (bad.length > 0) {
      const file = join(ctx.runDir, "fuzz-failures.json");
      writeFileSync(
        file,
        JSON.stringify(
          bad.slice(0, 50).map((a) => ({
            status: a.status,
            path: a.case.path,
            headers: a.case.headers,
            body: Buffer.from(a.case.body).toString("base64"),
          })),
          null,
          2,
        ),
      );
      ctx.log(`${bad.length} bad answers; the first 50 are in ${file}`);
    }
    const acceptedSet = new Set(answers.flatMap((a) => a.accepted));
    const stored = new Set(
      (await handle.query<{ id: string }>(sql`SELECT id FROM complaints`)).map((r) => r.id),
    );
    const missing = [...acceptedSet].filter((id) => !stored.has(id));
    const unaccounted = [...stored].filter((id) => !acceptedSet.has(id));
    const byClass = (lo: number) =>
      answers.filter((a) => typeof a.status === "number" && a.status >= lo && a.status < lo + 100)
        .length;
    const health = await fetch(`${bot.url}/healthz`)
      .then((r) => r.status)
      .catch(() => 0);
    return {
      scenario: "Fuzzed intake bodies",
      setup: `${n(cases.length)} bodies from fast-check (seed ${seed}): hostile fields, any JSON, batches, not JSON, corrupt gzip/deflate, wrong content types`,
      lost: n(missing.length),
      duplicated: "–",
      measured: `${n(byClass(200))} answered 2xx, ${n(byClass(400))} 4xx, ${n(bad.length)} other; ${n(acceptedSet.size)} complaints accepted, ${n(stored.size)} stored`,
      checks: [
        check(`at least ${n(bodies)} bodies sent`, answers.length >= bodies, `${answers.length}`),
        check(
          "only 2xx and 4xx answers",
          bad.length === 0,
          `${bad.length}: ${[...new Set(bad.map((a) => `${a.status} ${a.case.label}`))].slice(0, 5).join(", ")}`,
        ),
        check(
          "the stored complaints are exactly the accepted ones",
          missing.length === 0 && unaccounted.length === 0,
          `${missing.length} accepted but not stored, ${unaccounted.length} stored but never accepted`,
        ),
        check("both kinds of answer happened", byClass(200) > 0 && byClass(400) > 0),
        check("the bot is still up", bot.alive && health === 200, `health ${health}`),
      ],
    };
  },
};
