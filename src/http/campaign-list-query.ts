/**
 * The query of `GET /api/v1/campaigns`: an optional `status`, a page size (`limit`) and the
 * opaque `cursor` a previous page's `nextCursor` gave. Parsed with zod; a bad one is a 400
 * naming the parameter.
 */
import * as z from "zod";
import { CAMPAIGN_STATUSES, type CampaignStatus } from "../domain/campaign.ts";
import { ValidationError } from "../domain/errors.ts";
import { issueMessage } from "../services/issue-message.ts";

/** Campaigns on a page when the client names no `limit`, and the most it may ask for. */
export const CAMPAIGN_PAGE = { defaultLimit: 100, maxLimit: 500 } as const;

const LIMIT_WORDS = `must be a whole number from 1 to ${CAMPAIGN_PAGE.maxLimit}`;

const ListQuery = z.object({
  status: z
    .enum(CAMPAIGN_STATUSES, { error: `must be one of ${CAMPAIGN_STATUSES.join(", ")}` })
    .optional(),
  limit: z
    .string({ error: LIMIT_WORDS })
    .regex(/^\d{1,6}$/, LIMIT_WORDS)
    .transform(Number)
    .pipe(z.number().min(1, LIMIT_WORDS).max(CAMPAIGN_PAGE.maxLimit, LIMIT_WORDS))
    .default(CAMPAIGN_PAGE.defaultLimit),
  cursor: z
    .string({ error: "must be the nextCursor of a previous page" })
    .transform((cursor, ctx) => {
      const after = decodeCursor(cursor);
      if (after === undefined)
        ctx.addIssue({ code: "custom", message: "must be the nextCursor of a previous page" });
      return after ?? "";
    })
    .optional(),
});

/** What a list request asks for: a status, a page size, and the campaign to continue after. */
export interface CampaignListQuery {
  status?: CampaignStatus | undefined;
  limit: number;
  after?: string | undefined;
}

/** Parses the query; throws ValidationError naming each bad parameter. */
export function parseCampaignListQuery(query: unknown): CampaignListQuery {
  const parsed = ListQuery.safeParse(query);
  if (!parsed.success)
    throw new ValidationError(
      parsed.error.issues.map((i) => ({
        path: String(i.path[0] ?? "query"),
        message: issueMessage(i),
      })),
    );
  const { status, limit, cursor } = parsed.data;
  return { status, limit, after: cursor };
}

/** The error for a cursor that decodes but names no campaign (not one this API gave). */
export function unknownCursor(): ValidationError {
  return new ValidationError([
    { path: "cursor", message: "must be the nextCursor of a previous page" },
  ]);
}

// Opaque to clients, so the order's key can change without breaking them: today the id of
// the last campaign of the page.
const CURSOR_VERSION = "c1";

/** The `nextCursor` that continues after this campaign. */
export function encodeCursor(campaignId: string): string {
  return Buffer.from(`${CURSOR_VERSION}:${campaignId}`, "utf8").toString("base64url");
}

function decodeCursor(cursor: string): string | undefined {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) return undefined;
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  const [version, id, ...rest] = text.split(":");
  return version === CURSOR_VERSION && id && rest.length === 0 ? id : undefined;
}
