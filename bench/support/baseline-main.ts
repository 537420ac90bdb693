/**
 * The bare baseline for the intake benchmark: a `node:http` server with postgres.js and
 * nothing else (no framework, no validation, no routing rules, no logging) that files what
 * the bot files for a new complaint, in one transaction: the thread, the complaint, the
 * "thread.opened" event, the card's outbox row and the thread's 12 timers. Same paths and
 * bodies as the bot's intake API, same database schema (migrated by the app), same pool size.
 * What the bot does beyond this (auth, validation, routing, priority, kinds, campaigns,
 * Homes, structured logs, Express) is what the ratio prices.
 *
 * DATABASE_URL, POOL_SIZE; tells its port over IPC.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import postgres from "postgres";

const sql = postgres(process.env.DATABASE_URL ?? "", {
  max: Number(process.env.POOL_SIZE ?? 10),
  onnotice: () => {},
  fetch_types: false,
});

const MINUTE = 60_000;
/** 3 clocks × (50% warning, 80% warning, breach, escalation): the bot's plan for a P3. */
const WINDOWS = {
  claim: 60 * MINUTE,
  firstResponse: 240 * MINUTE,
  resolution: 3 * 24 * 60 * MINUTE,
};
const STEPS = [
  { at: 0.5, step: "warning", target: "thread" },
  { at: 0.8, step: "warning", target: "owner_or_channel" },
  { at: 1, step: "breach", target: "leads" },
  { at: 1, step: "escalation", target: "executives_channel", plusMs: 30 * MINUTE },
];

interface Body {
  source: string;
  externalId: string;
  text: string;
  url?: string;
  author?: { handle?: string };
  conversationId?: string;
}

async function file(body: Body) {
  const now = new Date();
  const threadId = randomUUID();
  const complaintId = randomUUID();
  const clocks = Object.entries(WINDOWS).map(([kind, budgetMs]) => ({
    kind,
    budgetMs,
    consumedMs: 0,
    startedAt: now.toISOString(),
    runningSince: now.toISOString(),
    stoppedAt: null,
  }));
  const timers = Object.entries(WINDOWS).flatMap(([kind, budgetMs]) =>
    STEPS.map((s) => ({
      subject_type: "thread",
      subject_id: threadId,
      key: `${kind}@${now.toISOString()}:${s.step}:${s.at}:${s.target}`,
      step: s.step,
      target: s.target,
      clock_kind: kind,
      fire_at: new Date(now.getTime() + budgetMs * s.at + (s.plusMs ?? 0)),
    })),
  );
  return sql.begin(async (tx) => {
    const [thread] = await tx`
      INSERT INTO threads (id, source, conversation_key, department, priority, routing_reason,
        priority_reasons, clocks, opened_at, updated_at, opening_complaint_id)
      VALUES (${threadId}, ${body.source}, ${body.conversationId ?? body.externalId}, 'service', 'P3',
        'default', '[]'::jsonb, ${sql.json(clocks)}, ${now}, ${now}, ${complaintId})
      ON CONFLICT DO NOTHING RETURNING id`;
    if (!thread) throw new Error("conversation exists: the baseline files new conversations only");
    await tx`
      INSERT INTO complaints (id, thread_id, source, external_id, text, url, author_handle, received_at)
      VALUES (${complaintId}, ${threadId}, ${body.source}, ${body.externalId}, ${body.text},
        ${body.url ?? null}, ${body.author?.handle ?? null}, ${now})`;
    await tx`
      INSERT INTO thread_events (thread_id, at, actor, kind, details)
      VALUES (${threadId}, ${now}, 'intake:baseline', 'thread.opened',
        ${sql.json({ complaintId, department: "service", priority: "P3" })})`;
    await tx`
      INSERT INTO outbox (thread_id, kind, channel, payload, next_attempt_at, created_at)
      VALUES (${threadId}, 'thread.post_card', '#sb-service', ${sql.json({ threadId })}, ${now}, ${now})`;
    await tx`INSERT INTO timers ${tx(timers)}`;
    return { complaintId, threadId, department: "service", priority: "P3", duplicate: false };
  });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function reply(res: ServerResponse, status: number, body: unknown) {
  const json = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(json),
  });
  res.end(json);
}

const server = createServer(async (req, res) => {
  try {
    const body = JSON.parse(await readBody(req));
    if (req.url === "/api/v1/complaints/batch") {
      const results = [];
      for (const [index, item] of (body.complaints as Body[]).entries())
        results.push({ index, status: 202, ...(await file(item)) });
      reply(res, 200, {
        results,
        summary: { accepted: results.length, duplicates: 0, rejected: 0 },
      });
    } else {
      reply(res, 202, await file(body as Body));
    }
  } catch (error) {
    reply(res, 500, { error: String(error) });
  }
});

server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  process.send?.({ type: "ready", url: `http://127.0.0.1:${port}`, pid: process.pid });
});
process.on("message", (m: { type: string }) => {
  if (m.type === "stop") {
    server.close();
    void sql.end({ timeout: 2 }).then(() => process.exit(0));
  }
});
process.on("disconnect", () => process.exit(0));
