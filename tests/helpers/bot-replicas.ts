import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { and, eq, lte } from "drizzle-orm";
import { afterAll, beforeAll } from "vitest";
import type { DatabaseHandle } from "../../src/db/client.ts";
import { outbox, timers } from "../../src/db/schema.ts";
import {
  type SlackDouble,
  type SlackDoubleOptions,
  startSlackDouble,
} from "../../src/slack-double/index.ts";
import { freePort, startBot } from "./bot-process.ts";
import { eventually } from "./e2e-harness.ts";
import { switchboardApp } from "./switchboard-app.ts";
import { createTestDatabase, type TestDatabase } from "./test-database.ts";

export interface Replicas {
  ports: number[];
  /** The intake token every replica accepts. */
  token: string;
  /** Kills every replica and removes the workspace file's folder. */
  stop(): void;
}

/**
 * Starts `count` real bot processes (`npm start`'s command) with one workspace file, on one
 * PostgreSQL and one Slack double, and waits until each answers /healthz.
 */
export async function startReplicas(options: {
  count: number;
  /** The workspace file's YAML. */
  config: string;
  db: { url: string };
  double: SlackDouble;
  name: string;
}): Promise<Replicas> {
  const dir = mkdtempSync(join(tmpdir(), `switchboard-${options.name}-`));
  writeFileSync(join(dir, "switchboard.yaml"), options.config);
  const token = `${options.name}-token-0123456789abcdef`;
  const ports: number[] = [];
  for (let i = 0; i < options.count; i++) ports.push(await freePort());
  const bots = ports.map((port) =>
    startBot({
      SWITCHBOARD_CONFIG: join(dir, "switchboard.yaml"),
      DATABASE_URL: options.db.url,
      SLACK_BOT_TOKEN: options.double.config.botToken,
      SLACK_SIGNING_SECRET: `${options.name}-secret`,
      SLACK_API_URL: options.double.apiUrl,
      INTAKE_TOKENS: token,
      PORT: String(port),
      LOG_LEVEL: "warn",
    }),
  );
  const stop = () => {
    for (const bot of bots) bot.child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const [i, port] of ports.entries()) {
      await eventually(
        async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).ok,
        `replica ${i + 1} up (${bots[i]?.output().slice(-500)})`,
        90_000,
      );
    }
  } catch (error) {
    stop();
    throw error;
  }
  return { ports, token, stop };
}

/**
 * Waits until no timer is due and nothing waits in the outbox: whatever the replicas were
 * going to send (twice, if they were wrong) has been sent.
 */
export async function waitUntilSettled(db: DatabaseHandle, timeoutMs = 60_000): Promise<void> {
  await eventually(
    async () => {
      const due = await db.db
        .select({ id: timers.id })
        .from(timers)
        .where(and(eq(timers.status, "pending"), lte(timers.fireAt, new Date())));
      const waiting = await db.db
        .select({ id: outbox.id })
        .from(outbox)
        .where(eq(outbox.status, "pending"));
      return due.length === 0 && waiting.length === 0;
    },
    "timers and outbox settled",
    timeoutMs,
  );
}

/** A file's replica tests share one Slack double and one database. */
export interface ReplicaBench {
  readonly double: SlackDouble;
  readonly db: TestDatabase;
  /** Starts replicas on this double and database, stopped after the file's tests. */
  startReplicas(options: { count: number; config: string; name: string }): Promise<Replicas>;
}

/**
 * Before the file's tests, starts a Slack double granting the bot's manifest (with `double`'s
 * channels, users and limits) and a database; after them, stops the replicas, then the rest.
 */
export function replicaBench(double: SlackDoubleOptions): ReplicaBench {
  const started: Replicas[] = [];
  const bench = {
    startReplicas: async (options: { count: number; config: string; name: string }) => {
      const replicas = await startReplicas({ ...options, db: bench.db, double: bench.double });
      started.push(replicas);
      return replicas;
    },
  } as { -readonly [K in keyof ReplicaBench]: ReplicaBench[K] };
  beforeAll(async () => {
    bench.double = await startSlackDouble({ ...switchboardApp(), ...double });
    bench.db = await createTestDatabase();
  });
  afterAll(async () => {
    for (const replicas of started) replicas.stop();
    await bench.db.destroy();
    await bench.double.stop();
  });
  return bench;
}
