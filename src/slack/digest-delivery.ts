import { ErrorCode, type WebAPIPlatformError, type WebClient } from "@slack/web-api";
import { isDatabaseUnavailable } from "../db/availability.ts";
import {
  loadDigest,
  markDigestDelivered,
  previousDeliveredDigest,
  recordDigestChart,
  recordDigestChartUpload,
} from "../db/digest-store.ts";
import { homeAudience, queueHomePublishes } from "../db/home-refresh-store.ts";
import type { DigestRow } from "../db/schema.ts";
import { compareFigures } from "../domain/figures/compare-figures.ts";
import type { Figures } from "../domain/figures/figures.ts";
import type { DigestDelivery } from "../services/digest-timers.ts";
import { readFigures } from "../services/read-figures.ts";
import { cardPermalink } from "./card-permalink.ts";
import { renderChartPng } from "./chart-png.ts";
import type { DeliveryDeps } from "./delivery-support.ts";
import type { DeliveryHandler } from "./outbox-worker.ts";
import { postOnce } from "./post-once.ts";
import { PermanentDeliveryError } from "./slack-errors.ts";
import { buildComplianceChart, type ChartSpec } from "./views/digest-chart.ts";
import { buildDigestMessage, LISTED } from "./views/digest-message.ts";
import { describePeriod } from "./views/figure-format.ts";
import type { MissingCard } from "./views/missing-card.ts";

/**
 * Delivers a digest, rendered now from the event log: opens the DM, uploads the chart with
 * Slack's two-step flow (files.getUploadURLExternal, POST the bytes, then
 * files.completeUploadExternal shares it in the DM with alt text), then posts the message.
 * The chart is shared once (shareChartOnce), and its file id saved as soon as Slack has
 * shared it, so a retry after a later failure does not upload it twice. The message waits
 * for Slack to show the chart in the DM (CHART_SHARE_TRIES), so it lands below the chart it
 * refers to; a chart still not shown after those tries is not referred to.
 */
export function sendDigest(deps: DeliveryDeps): DeliveryHandler {
  return async (item) => {
    const { digestId } = item.payload as unknown as DigestDelivery;
    const digest = await loadDigest(deps.db.db, Number(digestId));
    if (!digest) throw new PermanentDeliveryError(`digest ${String(digestId)} not found`);
    if (digest.deliveredAt) return undefined;
    const now = deps.clock.now();
    const figures = await figuresFor(deps, digest, now);
    const previous = await previousDeliveredDigest(deps.db.db, digest);
    const changes = previous
      ? compareFigures(figures, await figuresFor(deps, previous, now))
      : null;
    const names = Object.fromEntries(deps.config.departments.map((d) => [d.key, d.name]));
    const channel = await openDm(deps.client, digest.executive);
    // Dated and zoned: the chart is shown again on the Home, read days later.
    const periodLabel = describePeriod(digest.periodFrom, digest.periodTo, digest.timezone);
    const chart = buildComplianceChart(figures, names, periodLabel);
    let chartFileId = digest.chartFileId;
    let seen: ChartState | undefined;
    if (!chartFileId) {
      ({ fileId: chartFileId, seen } = await shareChartOnce(deps, digest, channel, chart));
      await rememberChart(deps, digest.id, chartFileId);
    }
    if (seen === undefined || seen === "completed")
      seen = await chartState(deps.client, chartFileId, channel);
    if (seen === "completed" && item.attempts < CHART_SHARE_TRIES) throw new ChartNotSharedYet();
    const message = buildDigestMessage({
      figures,
      changes,
      names,
      ...(await threadLinks(deps.client, figures)),
      // Not shown in the DM after every try: the message does not point at a chart above.
      chartTitle: seen === "completed" ? undefined : chart.title,
    });
    await postOnce(deps.client, item, {
      channel,
      ...message,
      unfurl_links: false,
      unfurl_media: false,
    });
    const fileId = chartFileId;
    return async (tx) => {
      // Again with the delivery, which the worker retries until it lands: the database may
      // have been away when the chart was shared.
      await recordDigestChart(tx, digest.id, fileId);
      await markDigestDelivered(tx, digest.id, now);
      // Their Home shows the latest digest's chart.
      const audience = await homeAudience(tx, { users: [digest.executive], departments: [] });
      await queueHomePublishes(tx, audience, now);
    };
  };
}

/**
 * Tries of a digest (backoff 1, 2, 4, 8, 16 s by default) that wait for Slack to show the
 * chart in the DM before the message that refers to it is posted. Slack shares a completed
 * upload asynchronously, after answering completeUploadExternal (slackapi/bolt-js#2115,
 * python-slack-sdk#1277): a message posted at once can land above the chart it points to.
 */
const CHART_SHARE_TRIES = 6;

/** Thrown to try the digest again later: the chart is completed but not in the DM yet. */
class ChartNotSharedYet extends Error {
  constructor() {
    super("chart_not_shared_yet: Slack completed the chart but has not shown it in the DM");
  }
}

/**
 * Saves the shared chart's file id at once, so a retry after the message fails does not
 * upload it again. With the database away at this instant, the message is still sent (Slack
 * has the chart; failing here would share it a second time on the retry) and the delivery's
 * record saves the id.
 */
async function rememberChart(deps: DeliveryDeps, digestId: number, fileId: string) {
  try {
    await recordDigestChart(deps.db.db, digestId, fileId);
  } catch (error) {
    if (!isDatabaseUnavailable(error)) throw error;
  }
}

function figuresFor(deps: DeliveryDeps, digest: DigestRow, now: Date): Promise<Figures> {
  return readFigures(deps.db, deps.config, {
    from: digest.periodFrom,
    to: digest.periodTo,
    now,
    timezone: digest.timezone,
    departments: digest.departments ?? undefined,
  });
}

async function openDm(client: WebClient, user: string): Promise<string> {
  const im = await client.conversations.open({ users: user });
  if (!im.channel?.id) throw new PermanentDeliveryError(`could not open a DM with ${user}`);
  return im.channel.id;
}

/**
 * Where Slack has the chart: upload never completed (or deleted since), completed but not
 * shown in the DM yet, shown there, or unknown (without the files:read scope, which an app installed from an
 * older manifest lacks, it cannot ask).
 */
type ChartState = "not_completed" | "completed" | "shared" | "unknown";

/**
 * Shares the chart in the DM once; returns its file id, and what Slack said of it when it was
 * asked. files.completeUploadExternal "can only be called once" and has no idempotency key,
 * and its answer can be lost after Slack shared the file (docs: files.completeUploadExternal
 * method). So the file id Slack gives for the upload is saved before completing it, and a
 * later try that finds one first asks Slack about that file: when it was completed, it is the
 * chart, and nothing is uploaded (even when it is not shown yet: Slack shares it later).
 */
async function shareChartOnce(
  deps: DeliveryDeps,
  digest: DigestRow,
  channel: string,
  chart: ChartSpec,
): Promise<{ fileId: string; seen?: ChartState }> {
  const earlier = digest.chartUploadFileId;
  const seen = earlier ? await chartState(deps.client, earlier, channel) : undefined;
  if (earlier && (seen === "completed" || seen === "shared")) return { fileId: earlier, seen };
  const png = await renderChartPng(chart.spec);
  const fileId = await uploadChart(deps, digest.id, channel, chart, png);
  // Without files:read there is nothing to ask later either.
  return seen === "unknown" ? { fileId, seen } : { fileId };
}

/**
 * What files.info (Tier 4, files:read) says of the chart. It knows a file once completed: an
 * upload never completed "will be discarded" (docs: files.completeUploadExternal, files.info).
 * Its `shares` list the DM once Slack has shared it there, which it does asynchronously after
 * completing (slackapi/bolt-js#2115, seratch's comment; slackapi/python-slack-sdk#1329).
 */
async function chartState(client: WebClient, fileId: string, channel: string): Promise<ChartState> {
  try {
    const res = await client.files.info({ file: fileId });
    if (res.file?.id !== fileId) return "not_completed";
    const shares = res.file.shares as
      | { public?: Record<string, unknown>; private?: Record<string, unknown> }
      | undefined;
    const inDm = shares?.private?.[channel] ?? shares?.public?.[channel];
    return inDm ? "shared" : "completed";
  } catch (error) {
    // Slack down, rate limited or not answering fails the try: the outbox retries it.
    if ((error as WebAPIPlatformError).code !== ErrorCode.PlatformError) throw error;
    const name = (error as WebAPIPlatformError).data.error;
    if (name === "missing_scope") return "unknown";
    if (["file_not_found", "file_deleted"].includes(name)) return "not_completed";
    throw error;
  }
}

/**
 * The two-step upload (files.upload is retired); returns the shared file's id. The id is
 * saved before completing: with the database away then, nothing is shared yet and the
 * failure retries the whole upload (Slack discards the uncompleted one).
 */
async function uploadChart(
  deps: DeliveryDeps,
  digestId: number,
  channel: string,
  chart: { altText: string; title: string },
  png: Buffer,
): Promise<string> {
  const client = deps.client;
  const target = await client.files.getUploadURLExternal({
    filename: "switchboard-digest.png",
    length: png.length,
    alt_text: chart.altText,
    // Slack's docs name the argument alt_txt, the SDK sends alt_text: send both.
    ...({ alt_txt: chart.altText } as object),
  });
  if (!target.upload_url || !target.file_id) {
    throw new PermanentDeliveryError("files.getUploadURLExternal returned no upload_url");
  }
  await recordDigestChartUpload(deps.db.db, digestId, target.file_id);
  await postBytes(target.upload_url, png);
  await client.files.completeUploadExternal({
    files: [{ id: target.file_id, title: chart.title }],
    channel_id: channel,
  });
  return target.file_id;
}

async function postBytes(url: string, bytes: Buffer): Promise<void> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/octet-stream" },
    body: new Uint8Array(bytes),
    signal: AbortSignal.timeout(30_000),
  });
  await res.text();
  if (res.ok) return;
  const error = `upload_failed: HTTP ${res.status}`;
  // 4xx will fail the same way again; 5xx is Slack having trouble, retried by the outbox.
  if (res.status >= 400 && res.status < 500) throw new PermanentDeliveryError(error);
  throw new Error(error);
}

/**
 * Permalinks to the cards of the breaches and threads at risk the message lists. A card
 * someone deleted in Slack (message_not_found) or in a channel the bot can no longer see
 * (channel_not_found) has no link: the thread is listed without one, and the digest is sent.
 */
async function threadLinks(
  client: WebClient,
  figures: Figures,
): Promise<{ links: Map<string, string>; missingCards: Map<string, MissingCard> }> {
  const threads = [
    ...figures.breaches.slice(0, LISTED.breaches),
    ...figures.atRiskThreads.slice(0, LISTED.atRisk),
  ];
  const links = new Map<string, string>();
  const missingCards = new Map<string, MissingCard>();
  for (const t of threads) {
    if (links.has(t.threadId) || missingCards.has(t.threadId)) continue;
    if (!t.slackChannel || !t.slackTs) continue;
    const link = await cardPermalink(client, { channel: t.slackChannel, ts: t.slackTs });
    if (link.permalink) links.set(t.threadId, link.permalink);
    if (link.missing) missingCards.set(t.threadId, link.missing);
  }
  return { links, missingCards };
}
