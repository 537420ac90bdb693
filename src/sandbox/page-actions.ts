import { z } from "zod";
import { allElements, stateField } from "../slack-double/block-kit/interactive.ts";
import type { SlackDouble, SlackDriver } from "../slack-double/index.ts";
import type { LiveWorkspace } from "./live-workspace.ts";

/**
 * What the page asks for, turned into what Slack would send the bot through the double's
 * driver: a click or a choice is block_actions, a modal's Submit is view_submission, "/…" in
 * a message box is a slash command, opening the app's Home tab is app_home_opened. The bot
 * answers these exactly as it would answer Slack.
 */

/** A refusal the page shows as Slack's client would (a 4xx, never a crash). */
export class PageActionError extends Error {
  constructor(
    message: string,
    readonly status = 400,
    readonly blockId?: string,
  ) {
    super(message);
  }
}

const UserId = z.string().regex(/^[UW][A-Z0-9]+$/);
const Target = z.union(
  [
    z.object({ channel: z.string().min(1), ts: z.string().min(1) }),
    z.object({ viewId: z.string().min(1) }),
  ],
  { error: "Name the message (channel and ts) or the modal (viewId) the action is on" },
);
const ElementRef = z.object({
  as: UserId,
  actionId: z.string().min(1),
  blockId: z.string().optional(),
});

export const ButtonRequest = ElementRef.and(Target).and(z.object({ value: z.string().optional() }));
export const SelectRequest = ElementRef.and(Target).and(
  z.object({
    value: z.union([z.string(), z.array(z.string()), z.number(), z.null()], {
      error:
        "The picked option's value: a string, a list of strings (a multi-select), a number or null",
    }),
  }),
);
export const SubmitRequest = z.object({
  as: UserId,
  viewId: z.string().min(1),
  values: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
});
export const CloseRequest = z.object({ as: UserId, viewId: z.string().min(1) });
export const ComposeRequest = z.object({
  as: UserId,
  channel: z.string().min(1),
  text: z.string().min(1).max(40_000),
  threadTs: z.string().optional(),
});
export const HomeRequest = z.object({ as: UserId });

/** The slash commands the sandbox's app has (manifests/*.yaml). */
const COMMANDS = new Set(["/switchboard"]);

/** What the bot answered: the ack, and what Slack's client would say about it. */
export interface ActionResult {
  status: number;
  /** An error Slack's client would show: the bot did not ack in time, or failed. */
  problem?: string;
  outcome?: string;
}

function ackProblem(res: { status: number; late: boolean }, what: string): string | undefined {
  if (res.status === 0 || res.late) return `Switchboard did not respond in time to ${what}.`;
  if (res.status !== 200) return `Switchboard answered ${what} with an error (HTTP ${res.status}).`;
  return undefined;
}

function targetOf(userId: string, t: z.infer<typeof Target>) {
  return "viewId" in t
    ? { userId, viewId: t.viewId }
    : { userId, channelId: t.channel, messageTs: t.ts };
}

/** Escapes what a person typed the way Slack stores it (SLACK.md §8). */
function slackEscape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export class PageActions {
  constructor(
    private readonly double: SlackDouble,
    private readonly driver: SlackDriver,
    private readonly live: LiveWorkspace,
    private readonly people: ReadonlySet<string>,
  ) {}

  private person(id: string): string {
    if (!this.people.has(id))
      throw new PageActionError(`${id} is not a person of the sandbox workspace`);
    return id;
  }

  /** Runs a driver call; the driver's readable Errors (no such message, view…) become 400s. */
  private async drive<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof PageActionError) throw error;
      throw new PageActionError((error as Error).message);
    } finally {
      this.live.scan();
    }
  }

  async button(raw: unknown): Promise<ActionResult> {
    const req = ButtonRequest.parse(raw);
    const res = await this.drive(() =>
      this.driver.clickButton({
        ...targetOf(this.person(req.as), req),
        actionId: req.actionId,
        ...(req.blockId === undefined ? {} : { blockId: req.blockId }),
        ...(req.value === undefined ? {} : { value: req.value }),
      }),
    );
    return { status: res.status, problem: ackProblem(res, "the click") };
  }

  async select(raw: unknown): Promise<ActionResult> {
    const req = SelectRequest.parse(raw);
    const res = await this.drive(() =>
      this.driver.selectOption({
        ...targetOf(this.person(req.as), req),
        actionId: req.actionId,
        ...(req.blockId === undefined ? {} : { blockId: req.blockId }),
        value: req.value,
      }),
    );
    return { status: res.status, problem: ackProblem(res, "the choice") };
  }

  async submit(raw: unknown): Promise<ActionResult> {
    const req = SubmitRequest.parse(raw);
    const view = this.double.view(req.viewId);
    if (!view?.isOpen || view.userId !== this.person(req.as)) {
      throw new PageActionError("This form is no longer open.", 409);
    }
    const values = submissionStates(view.blocks, req.values);
    const res = await this.drive(async () => {
      try {
        return await this.driver.submitView({ viewId: req.viewId, userId: req.as, values });
      } catch (error) {
        // Slack's client refuses to submit an empty required field: say which one.
        const field = /required input "([^"]+)"/.exec((error as Error).message)?.[1];
        if (field) throw new PageActionError("Please complete this required field.", 400, field);
        throw error;
      }
    });
    this.live.setViewErrors(
      req.viewId,
      res.outcome.action === "errors" ? res.outcome.errors : undefined,
    );
    const problem = ackProblem(res, "the form") ?? res.outcome.problems[0];
    return { status: res.status, outcome: res.outcome.action, ...(problem ? { problem } : {}) };
  }

  async close(raw: unknown): Promise<ActionResult> {
    const req = CloseRequest.parse(raw);
    const res = await this.drive(() =>
      this.driver.closeView({ viewId: req.viewId, userId: this.person(req.as) }),
    );
    return { status: res?.status ?? 200 };
  }

  /**
   * Closes the modals a person has open, as their Slack client does when it is reloaded: a
   * modal lives in the client that opened it, not in the conversation. Closed the way a
   * person closes one (view_closed when the app asked for it with notify_on_close).
   */
  async closeModalsOf(userId: string): Promise<void> {
    const roots = this.double.views.filter(
      (v) => v.type === "modal" && v.isOpen && v.userId === userId && v.id === v.root_view_id,
    );
    for (const root of roots) {
      await this.drive(() => this.driver.closeView({ viewId: root.id, userId }));
    }
  }

  /** A message box: "/command …" is a slash command, anything else a message from the person. */
  async compose(raw: unknown): Promise<ActionResult> {
    const req = ComposeRequest.parse(raw);
    const userId = this.person(req.as);
    const channel = this.double.conversations().find((c) => c.id === req.channel);
    if (!channel) throw new PageActionError(`No conversation ${req.channel}`, 404);
    const command = /^\/(\S+)\s*([\s\S]*)$/.exec(req.text.trim());
    if (command) {
      const name = `/${command[1] ?? ""}`;
      if (!COMMANDS.has(name)) {
        throw new PageActionError(
          `${name} is not a valid command. In Slack, all messages that start with the "/" character are interpreted as commands.`,
        );
      }
      // Slack does not run an app's slash commands from a thread's reply box.
      if (req.threadTs) throw new PageActionError(`${name} is not supported in threads. Sorry!`);
      const res = await this.drive(() =>
        this.driver.slashCommand({
          command: name,
          text: command[2] ?? "",
          userId,
          channelId: channel.id,
        }),
      );
      return { status: res.status, problem: ackProblem(res, name) };
    }
    if (!channel.isIm && !channel.members.includes(userId)) {
      throw new PageActionError(
        `You are not a member of #${channel.name}, so you cannot post there.`,
        403,
      );
    }
    const res = await this.drive(() =>
      this.driver.userMessage({
        channelId: channel.id,
        userId,
        text: slackEscape(req.text),
        ...(req.threadTs ? { threadTs: req.threadTs } : {}),
      }),
    );
    // Posted either way; Slack sends the bot the event only if its manifest subscribes to it.
    return { status: "notDelivered" in res ? 200 : res.status };
  }

  /** The person opens the app's Home tab: Slack sends app_home_opened with their current Home view. */
  async openHome(raw: unknown): Promise<ActionResult> {
    const { as } = HomeRequest.parse(raw);
    const userId = this.person(as);
    this.double.directMessage(userId); // the event names the app's DM with them
    const res = await this.drive(() => this.driver.appHomeOpened({ userId, tab: "home" }));
    return { status: res.status, problem: ackProblem(res, "opening the Home tab") };
  }
}

type Obj = Record<string, unknown>;

/**
 * The state objects Slack's client sends for what the page read from each input: a string
 * (text, date, time, an option's value, a person or channel id), a list of them, a number
 * (a datetimepicker's UNIX seconds) or null for an empty field.
 */
export function submissionStates(
  blocks: unknown[],
  given: Record<string, Record<string, unknown>>,
): Record<string, Record<string, unknown>> {
  const refs = allElements(blocks);
  const out: Record<string, Record<string, unknown>> = {};
  for (const [blockId, actions] of Object.entries(given)) {
    for (const [actionId, value] of Object.entries(actions)) {
      const ref = refs.find((r) => r.blockId === blockId && r.element.action_id === actionId);
      if (!ref) continue; // a field the view no longer has
      const state = stateFor(ref.element, value);
      out[blockId] = { ...out[blockId], [actionId]: state };
    }
  }
  return out;
}

function stateFor(el: Obj, value: unknown): unknown {
  const type = String(el.type);
  if (type === "rich_text_input") {
    const text = typeof value === "string" ? value : "";
    return {
      type,
      rich_text_value: {
        type: "rich_text",
        elements: text ? [{ type: "rich_text_section", elements: [{ type: "text", text }] }] : [],
      },
    };
  }
  const field = stateField(type);
  const empty =
    value === null ||
    value === undefined ||
    value === "" ||
    (Array.isArray(value) && value.length === 0);
  if (field && empty) return { type, [field]: field.endsWith("s") ? [] : null };
  if (type === "number_input" && typeof value === "number") return String(value);
  return value;
}
