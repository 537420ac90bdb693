import { desc } from "drizzle-orm";
import * as z from "zod";
import type { TextClassifier } from "../domain/text-classifier.ts";
import type { Executor } from "./client.ts";
import { routingModels } from "./schema.ts";

/** What one trained version holds: a department classifier and a kind classifier, either may be absent. */
export interface RouterModels {
  departments: TextClassifier | null;
  kinds: TextClassifier | null;
}

/** A stored version, checked: its number, when it was trained, and its classifiers. */
export interface StoredRouterModels {
  version: number;
  trainedAt: Date;
  examples: number;
  fingerprint: string;
  models: RouterModels;
}

const Count = z.number().finite().nonnegative();

const CountFields = {
  labels: z.array(z.string().min(1)).min(2),
  alpha: z.number().finite().positive(),
  documents: z.array(Count),
  totals: z.array(Count),
  counts: z.record(z.string(), z.array(Count)),
};

// What classifyText needs to trust: one number per label everywhere, finite and ≥ 0, and a
// temperature that divides by something positive. Versions trained before word pieces
// ("naive-bayes/1") or before words were found in Chinese, Japanese and Thai ("naive-bayes/2")
// are still read, and score posts as they were trained to.
const Classifier = z
  .discriminatedUnion("format", [
    z.strictObject({ format: z.literal("naive-bayes/1"), ...CountFields }),
    z.strictObject({
      format: z.literal("naive-bayes/2"),
      ...CountFields,
      temperature: z.number().finite().positive(),
    }),
    z.strictObject({
      format: z.literal("naive-bayes/3"),
      ...CountFields,
      temperature: z.number().finite().positive(),
    }),
  ])
  .refine(
    (c) =>
      c.documents.length === c.labels.length &&
      c.totals.length === c.labels.length &&
      c.documents.some((n) => n > 0) &&
      Object.values(c.counts).every((row) => row.length === c.labels.length),
    { error: "every count list must have one number per label" },
  );

const Models = z.strictObject({
  departments: Classifier.nullable(),
  kinds: Classifier.nullable(),
});

/** Checks a stored model; a problem in words when it is not one this code can use. */
export function parseRouterModels(
  value: unknown,
): { ok: true; models: RouterModels } | { ok: false; problem: string } {
  const parsed = Models.safeParse(value);
  if (parsed.success) return { ok: true, models: parsed.data };
  const issue = parsed.error.issues[0];
  return {
    ok: false,
    problem: `${issue?.path.join(".") || "model"}: ${issue?.message ?? "invalid"}`,
  };
}

/** Stores a newly trained version and returns its number. */
export async function insertRouterModels(
  executor: Executor,
  row: { trainedAt: Date; examples: number; fingerprint: string; models: RouterModels },
): Promise<number> {
  const [inserted] = await executor
    .insert(routingModels)
    .values({
      trainedAt: row.trainedAt,
      examples: row.examples,
      fingerprint: row.fingerprint,
      model: row.models as unknown as Record<string, unknown>,
    })
    .returning({ id: routingModels.id });
  if (!inserted) throw new Error("routing model insert returned nothing");
  return inserted.id;
}

/** The newest stored version as it is in the table, unchecked; null when none was trained. */
export async function latestRouterModelRow(executor: Executor) {
  const [row] = await executor
    .select()
    .from(routingModels)
    .orderBy(desc(routingModels.id))
    .limit(1);
  return row ?? null;
}
