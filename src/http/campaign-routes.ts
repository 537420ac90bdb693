import express, { type Request, type Router } from "express";
import type { WorkspaceConfig } from "../config/workspace-types.ts";
import { loadCampaignView, pageCampaignViews } from "../db/campaign-store.ts";
import { NotFoundError, ValidationError } from "../domain/errors.ts";
import { announceCampaign } from "../services/announce-campaign.ts";
import { SLACK_USER_ID } from "../services/campaign-input.ts";
import { requireCampaignSettings } from "../services/campaign-outbox.ts";
import { cancelCampaign } from "../services/cancel-campaign.ts";
import type { ServiceContext } from "../services/context.ts";
import { editCampaign } from "../services/edit-campaign.ts";
import { bearerAuth } from "./bearer-auth.ts";
import { campaignJson } from "./campaign-json.ts";
import { encodeCursor, parseCampaignListQuery, unknownCursor } from "./campaign-list-query.ts";
import { requireJson } from "./intake-routes.ts";
import { jsonBody } from "./json-body.ts";

export interface CampaignRoutesDeps {
  intakeTokens: readonly string[];
  config: WorkspaceConfig;
  /** Builds the service context for a request made with the given token label. */
  context(tokenLabel: string): ServiceContext;
  /** Called after a change queued Slack messages, so delivery starts at once. */
  onQueued(): void;
  /**
   * False when Slack says there is no such member (see slack/member-check.ts); without it,
   * owners are not checked.
   */
  memberExists?: (userId: string) => Promise<boolean>;
}

/**
 * The campaigns API for marketing tools, with the intake API's bearer tokens:
 * POST /api/v1/campaigns (announce), GET /api/v1/campaigns[?status=…&limit=…&cursor=…] (a
 * page, in the order announced), GET, PATCH
 * /api/v1/campaigns/{id}, POST /api/v1/campaigns/{id}/cancel. Bodies are checked by the same
 * rules as the heads-up modal; a bad one gets 400 naming every field, and nothing is stored.
 */
export function campaignRoutes(deps: CampaignRoutesDeps): Router {
  const router = express.Router();
  const auth = bearerAuth(deps.intakeTokens);
  const body = [auth, requireJson, jsonBody()];
  const ctx = (req: Request) => deps.context(String(req.res?.locals.tokenLabel ?? "token"));
  const find = async (req: Request) => {
    requireCampaignSettings(deps.config);
    const view = await loadCampaignView(ctx(req).db.db, String(req.params.id));
    if (!view) throw new NotFoundError(`No campaign ${String(req.params.id)}`);
    return view;
  };
  const json = (view: Parameters<typeof campaignJson>[0], req: Request) =>
    campaignJson(view, deps.config, ctx(req).clock.now());
  // Before anything is written: an owner Slack does not know could never get the launch
  // report or spike alerts. The modal's people picker offers only members; a tool may not.
  const requireKnownOwner = async (body: unknown, current?: string) => {
    const owner = (body as { owner?: unknown } | null)?.owner;
    if (typeof owner !== "string" || owner === current || !SLACK_USER_ID.test(owner)) return;
    if (deps.memberExists && !(await deps.memberExists(owner)))
      throw new ValidationError([
        { path: "owner", message: `there is no Slack member ${owner} in this workspace` },
      ]);
  };

  router.post("/api/v1/campaigns", ...body, async (req, res, next) => {
    try {
      requireCampaignSettings(deps.config);
      await requireKnownOwner(req.body);
      const result = await announceCampaign(ctx(req), deps.config, { raw: req.body });
      deps.onQueued();
      res.status(201).json({
        campaignId: result.campaignId,
        status: result.status,
        late: result.late,
        ...(result.late
          ? {
              warning: `Announced with less than the minimum notice before launch; the affected departments' leads were alerted.`,
            }
          : {}),
      });
    } catch (error) {
      next(error);
    }
  });

  router.get("/api/v1/campaigns", auth, async (req, res, next) => {
    try {
      requireCampaignSettings(deps.config);
      const query = parseCampaignListQuery(req.query);
      const now = ctx(req).clock.now();
      const page = await pageCampaignViews(ctx(req).db.db, {
        limit: query.limit,
        after: query.after,
        ...(query.status ? { status: { is: query.status, now } } : {}),
      });
      if (!page) throw unknownCursor();
      res.status(200).json({
        campaigns: page.views.map((v) => json(v, req)),
        nextCursor: page.continueAfter ? encodeCursor(page.continueAfter) : null,
      });
    } catch (error) {
      next(error);
    }
  });

  router.get("/api/v1/campaigns/:id", auth, async (req, res, next) => {
    try {
      res.status(200).json(json(await find(req), req));
    } catch (error) {
      next(error);
    }
  });

  router.patch("/api/v1/campaigns/:id", ...body, async (req, res, next) => {
    try {
      const { campaign } = await find(req);
      await requireKnownOwner(req.body, campaign.owner);
      const result = await editCampaign(ctx(req), deps.config, {
        campaignId: campaign.id,
        raw: req.body,
      });
      if (result.changes.length > 0) deps.onQueued();
      res.status(200).json({
        campaign: json(await find(req), req),
        changed: result.changes.map((c) => c.field),
        freshAcknowledgement: result.freshAcknowledgement,
        late: result.late,
      });
    } catch (error) {
      next(error);
    }
  });

  router.post("/api/v1/campaigns/:id/cancel", auth, async (req, res, next) => {
    try {
      const { campaign } = await find(req);
      await cancelCampaign(ctx(req), deps.config, { campaignId: campaign.id });
      deps.onQueued();
      res.status(200).json(json(await find(req), req));
    } catch (error) {
      next(error);
    }
  });
  return router;
}
