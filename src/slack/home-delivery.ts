import type { WorkspaceConfig } from "../config/workspace-types.ts";
import { latestChart } from "../db/digest-store.ts";
import { clearHomeNotice, countUnclaimed, listUnclaimed, loadHomeTab } from "../db/home-queries.ts";
import type { Figures } from "../domain/figures/figures.ts";
import type { ClockKind } from "../domain/sla-clock.ts";
import { addLocalDays, instantAtLocal, localDateTimeOf } from "../domain/zoned-time.ts";
import type { ServiceContext } from "../services/context.ts";
import { offDeskKinds } from "../services/kind-profiles.ts";
import { listMyThreads } from "../services/list-my-threads.ts";
import { readFigures } from "../services/read-figures.ts";
import { readStatus } from "../services/read-status.ts";
import { departmentOf, officeHoursLeft, timezoneOf } from "../services/workspace-lookups.ts";
import type { DeliveryDeps } from "./delivery-support.ts";
import type { DeliveryHandler } from "./outbox-worker.ts";
import { buildAppHome, HOME_LISTED, type HomeModel } from "./views/app-home.ts";
import { describeConfig } from "./views/config-summary.ts";
import { describeDueMrkdwn } from "./views/due-line.ts";
import { describePeriod } from "./views/figure-format.ts";

/**
 * Publishes one user's Home, rendered from the database as it is now: however many changes
 * asked for it while it waited, one views.publish carries them all.
 */
export function publishHome(deps: DeliveryDeps): DeliveryHandler {
  return async (item) => {
    const user = String(item.payload.user ?? "");
    const model = await buildHomeModel(deps, user);
    await deps.client.views.publish({ user_id: user, view: buildAppHome(model) });
    const notice = model.notice;
    return notice ? async (tx) => clearHomeNotice(tx, user, notice) : undefined;
  };
}

/** Everything the user's Home shows, by the roles config gives them. */
export async function buildHomeModel(deps: DeliveryDeps, user: string): Promise<HomeModel> {
  const { config } = deps;
  const now = deps.clock.now();
  const ctx: ServiceContext = {
    db: deps.db,
    clock: deps.clock,
    logger: silent,
    actor: { type: "system" },
  };
  const tab = await loadHomeTab(deps.db.db, user);
  const led = config.departments.filter((d) => d.leads.includes(user)).map((d) => d.key);
  const departments = [...new Set([...(tab?.departments ?? []), ...led])];
  const names = Object.fromEntries(config.departments.map((d) => [d.key, d.name]));
  const name = (key: string) => departmentOf(config, key)?.name ?? key;
  const mine = await listMyThreads(ctx, config, user);
  const unclaimed = await listUnclaimed(
    deps.db.db,
    departments,
    HOME_LISTED.unclaimed + 20,
    offDeskKinds(deps.config),
  );
  // The list is cut; the heading's "5 of N shown" needs every one that waits.
  const unclaimedTotal =
    unclaimed.length < HOME_LISTED.unclaimed + 20
      ? unclaimed.length
      : await countUnclaimed(deps.db.db, departments, offDeskKinds(deps.config));
  const executive = config.executives.find((e) => e.user === user);
  const model: HomeModel = {
    user,
    now,
    notice: tab?.notice ?? null,
    names,
    mine: mine.map((t) => ({
      threadId: t.threadId,
      departmentName: name(t.department),
      priority: t.priority,
      state: t.state,
      excerpt: t.excerpt,
      channel: t.slackChannel,
      dueMrkdwn: t.next
        ? describeDueMrkdwn(
            t.next.clock.kind as ClockKind,
            t.next.dueAt,
            now,
            timezoneOf(config, t.department),
            false,
            { workingLeftMs: officeHoursLeft(config, t.department, t.next.clock, now) },
          )
        : undefined,
    })),
    unclaimed: unclaimed.map((t) => ({
      threadId: t.threadId,
      departmentName: name(t.department),
      priority: t.priority,
      state: t.state,
      excerpt: t.excerpt ?? "",
      channel: t.channel,
    })),
    unclaimedTotal,
  };
  if (led.length > 0) {
    // "Today" is each department's own day (its calendar's zone): one read per zone.
    const zones = [...new Set(led.map((key) => timezoneOf(config, key)))];
    const byZone = new Map<string, Figures>();
    for (const zone of zones) {
      const here = led.filter((key) => timezoneOf(config, key) === zone);
      byZone.set(zone, await today(deps, config, zone, here, now));
    }
    const sections = led.map((key) => ({
      department: key,
      name: name(key),
      today: byZone.get(timezoneOf(config, key)) as Figures,
    }));
    model.lead = { departments: sections, today: sections[0]?.today as Figures };
  }
  if (executive) {
    const chart = await latestChart(deps.db.db, user);
    const period = chart
      ? describePeriod(chart.periodFrom, chart.periodTo, executive.timezone)
      : undefined;
    model.executive = {
      today: await today(deps, config, executive.timezone, executive.departments, now),
      chart: chart?.chartFileId
        ? {
            fileId: chart.chartFileId,
            altText: `Chart of SLA clocks by department from your latest digest, ${period}`,
            period,
          }
        : null,
    };
  }
  if (config.admins.includes(user)) {
    model.admin = { status: await readStatus(ctx, config), configLines: describeConfig(config) };
  }
  return model;
}

/** Figures for today in `timezone`: from local midnight to the next (nothing later exists yet). */
function today(
  deps: DeliveryDeps,
  config: WorkspaceConfig,
  timezone: string,
  departments: readonly string[] | undefined,
  now: Date,
): Promise<Figures> {
  const day = localDateTimeOf(now, timezone).date;
  const from = instantAtLocal(day, 0, timezone);
  const to = instantAtLocal(addLocalDays(day, 1), 0, timezone);
  return readFigures(deps.db, config, { from, to, now, timezone, departments });
}

const silent = { debug() {}, info() {}, warn() {}, error() {} };
