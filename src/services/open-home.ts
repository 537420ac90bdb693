import { queueHomePublishes } from "../db/home-refresh-store.ts";
import { homeTabs } from "../db/schema.ts";
import type { ServiceContext } from "./context.ts";

/**
 * Someone opened Switchboard's App Home: remember which departments they belong to or lead
 * (so later changes there refresh it) and queue a publish now. Opening it again while a
 * publish waits queues nothing more.
 */
export async function openHome(
  ctx: ServiceContext,
  input: { user: string; departments: readonly string[] },
): Promise<void> {
  const now = ctx.clock.now();
  const departments = [...new Set(input.departments)].sort();
  await ctx.db.db.transaction(async (tx) => {
    await tx
      .insert(homeTabs)
      .values({ userId: input.user, departments, openedAt: now })
      .onConflictDoUpdate({ target: homeTabs.userId, set: { departments, openedAt: now } });
    await queueHomePublishes(tx, [input.user], now);
  });
}

/** Shows a private note at the top of someone's Home (a refused click) and republishes it. */
export async function noteOnHome(ctx: ServiceContext, user: string, notice: string | null) {
  const now = ctx.clock.now();
  await ctx.db.db.transaction(async (tx) => {
    await tx
      .insert(homeTabs)
      .values({ userId: user, departments: [], openedAt: now, notice })
      .onConflictDoUpdate({ target: homeTabs.userId, set: { notice } });
    await queueHomePublishes(tx, [user], now);
  });
}
