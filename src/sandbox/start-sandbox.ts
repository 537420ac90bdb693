import { randomBytes } from "node:crypto";
import { existsSync, rmSync } from "node:fs";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { count } from "drizzle-orm";
import { oneLine } from "../cli-database.ts";
import { ConfigError } from "../config/config-error.ts";
import { DATABASE_URL_FIX, databaseUrlProblem, type Env } from "../config/env.ts";
import type { WorkspaceConfig } from "../config/workspace-types.ts";
import { openDatabase } from "../db/client.ts";
import { acquireDataDirLock, DataDirInUseError } from "../db/data-dir-lock.ts";
import { hasEmbeddedDatabase } from "../db/embedded-folder.ts";
import { DatabaseUnreachableError } from "../db/reachability.ts";
import { threads } from "../db/schema.ts";
import { MARKETING_CHANNEL_KEYS, MARKETING_CHANNELS } from "../domain/campaign.ts";
import type { Logger } from "../logger.ts";
import { appFromManifest, type SlackDouble, startSlackDouble } from "../slack-double/index.ts";
import { type RunningSwitchboard, startSwitchboard } from "../switchboard.ts";
import { FeedReplay, IntakeClient } from "./feed.ts";
import { LiveWorkspace } from "./live-workspace.ts";
import { PageActions } from "./page-actions.ts";
import { createPageApp, listenPage, portOf } from "./page-server.ts";
import { loadSampleFeed, type SampleEntry } from "./sample-feed.ts";
import { EXAMPLE_CONFIG_PATH, loadSandboxConfig, SANDBOX_DATA_DIR } from "./sandbox-config.ts";
import { sandboxInfo } from "./sandbox-info.ts";
import { findFreePortPair } from "./sandbox-port.ts";
import {
  loadSavedSandbox,
  SANDBOX_STATE_FILE,
  SandboxStore,
  type SavedSandbox,
} from "./sandbox-store.ts";
import {
  checkChannelsExist,
  checkPeopleExist,
  doubleSeed,
  loadSlackWorkspace,
  type SlackWorkspace,
} from "./slack-workspace.ts";
import { configStartError, isPortInUse, SandboxStartError } from "./start-errors.ts";

/** Everything `npm run sandbox` is started with (main.ts reads it from argv and the environment). */
export interface SandboxOptions {
  /** The sandbox's own sections of Switchboard's configuration (SWITCHBOARD_CONFIG). */
  configPath: string;
  /** The file whose routing, priority and kind rules the sandbox shows; default the example. */
  rulesPath?: string | undefined;
  /** The pretend Slack workspace: people and channels. */
  workspacePath: string;
  /** The sample feed the page replays. */
  samplePath: string;
  /** Holds the embedded database and the Slack workspace (DATA_DIR). */
  dataDir: string;
  /** A PostgreSQL server instead of the embedded database. */
  databaseUrl?: string | undefined;
  host: string;
  /** The page's port (0: any free one). */
  port: number;
  /** The bot's port (intake API, /slack/events); default port + 1, or any free one when port is 0. */
  botPort?: number | undefined;
  /** Start from an empty workspace and database. */
  reset: boolean;
  intakeToken: string;
  logger: Logger;
}

/** A running sandbox: the page, the bot and the Slack double. */
export interface RunningSandbox {
  /** The page to open. */
  url: string;
  /** The bot: intake API and /healthz. */
  botUrl: string;
  intakeToken: string;
  double: SlackDouble;
  bot: RunningSwitchboard;
  /** Whether the workspace was restored from an earlier run. */
  restored: boolean;
  /**
   * The database has threads but no Slack workspace was saved beside it (deleted, or a shared
   * DATABASE_URL): their cards are not in this Slack, so their follow-ups cannot be threaded.
   */
  orphanedThreads: number;
  /** Why the check that DATABASE_URL's database is the sandbox's own could not read it. */
  uncheckedReason: string | undefined;
  stop(): Promise<void>;
}

/** Team and bot ids of the sandbox's pretend workspace. */
const SANDBOX_TEAM = { teamId: "T0SANDBOX1", botUserId: "U0SBBOT001", botId: "B0SBBOT001" };

/** The app's manifest: the sandbox's bot holds its scopes and Home tab, as when installed from it. */
const MANIFEST = fileURLToPath(new URL("../../manifests/switchboard.http.yaml", import.meta.url));

interface Loaded {
  config: WorkspaceConfig;
  workspace: SlackWorkspace;
  sample: SampleEntry[];
}

/** Reads the three files; any mistake is a SandboxStartError. */
function loadFiles(opts: SandboxOptions): Loaded {
  let config: WorkspaceConfig;
  const rules = opts.rulesPath ?? EXAMPLE_CONFIG_PATH;
  try {
    config = loadSandboxConfig({ sandbox: opts.configPath, rules });
  } catch (error) {
    if (error instanceof ConfigError) throw configStartError(error);
    throw error;
  }
  const workspace = loadSlackWorkspace(opts.workspacePath);
  const files = {
    config: `${opts.configPath} (with the rules of ${rules})`,
    workspace: opts.workspacePath,
  };
  checkChannelsExist(workspace, config, files);
  checkPeopleExist(workspace, config, files);
  let sample: SampleEntry[];
  try {
    sample = loadSampleFeed(opts.samplePath);
  } catch (error) {
    throw new SandboxStartError(
      `Cannot start the sandbox: ${opts.samplePath}: ${(error as Error).message.split("\n")[0]}`,
    );
  }
  return { config, workspace, sample };
}

function takeLock(dataDir: string): () => void {
  try {
    return acquireDataDirLock(dataDir, "sandbox.lock");
  } catch (error) {
    if (!(error instanceof DataDirInUseError)) throw error;
    throw new SandboxStartError(
      `Cannot start the sandbox: its data folder ${dataDir} is in use by process ${error.pid} (another npm run sandbox?). Stop that one, or set DATA_DIR to another folder.`,
    );
  }
}

/**
 * A database in DATA_DIR with no sandbox workspace saved beside it is not the sandbox's: most
 * likely DATA_DIR is still set for npm start. Started there, the sandbox would file its
 * airline's posts into the bot's database and deliver the bot's queued Slack messages to its
 * stand-in for Slack (marked sent, never reaching Slack), and --reset would delete it.
 */
function refuseForeignDatabase(dataDir: string): void {
  if (!hasEmbeddedDatabase(dataDir) || existsSync(join(dataDir, SANDBOX_STATE_FILE))) return;
  throw new SandboxStartError(
    `Cannot start the sandbox: DATA_DIR ${dataDir} holds a database the sandbox did not make (no ${SANDBOX_STATE_FILE} beside it), such as your bot's if DATA_DIR is set for npm start; the sandbox would deliver its queued Slack messages to its stand-in for Slack. Unset DATA_DIR (the sandbox's default is ${SANDBOX_DATA_DIR}) or set it to a folder of its own; if it is an old sandbox's whose ${SANDBOX_STATE_FILE} was deleted, delete ${join(dataDir, "pglite")} to start afresh`,
  );
}

/**
 * refuseForeignDatabase for DATABASE_URL: threads in it with no sandbox workspace saved in
 * DATA_DIR are most likely the bot's (DATABASE_URL exported for npm start). Any error reading
 * them (no threads table yet, the server down) is left to the bot's start, which reports it;
 * its message is returned, for the banner to explain threads found once the bot has started.
 */
async function refuseForeignPostgres(url: string, stateFile: string): Promise<string | undefined> {
  let threadCount = 0;
  try {
    const db = await openDatabase({ url, dataDir: "unused", maxConnections: 1 });
    try {
      threadCount = (await db.db.select({ n: count() }).from(threads))[0]?.n ?? 0;
    } finally {
      await db.close(0);
    }
  } catch (error) {
    return oneLine(error);
  }
  if (threadCount === 0) return undefined;
  throw new SandboxStartError(
    `Cannot start the sandbox: the database in DATABASE_URL already holds ${threadCount} ${threadCount === 1 ? "thread" : "threads"} and ${stateFile} has no sandbox workspace for them: it may be your bot's, if DATABASE_URL is set for npm start; the sandbox would deliver its queued Slack messages to its stand-in for Slack. Unset DATABASE_URL (the sandbox then keeps an embedded database in DATA_DIR) or give the sandbox an empty database of its own`,
  );
}

/** Binds the page's port first, so a port in use stops the start before anything is created. */
async function bindPage(opts: SandboxOptions) {
  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => {
    res
      .writeHead(503, { "content-type": "text/plain", "retry-after": "1" })
      .end("The sandbox is starting");
  };
  try {
    const server = await listenPage((req, res) => handler(req, res), opts.port, opts.host);
    const setHandler = (h: typeof handler) => {
      handler = h;
    };
    return { server, setHandler };
  } catch (error) {
    if (!isPortInUse(error)) throw error;
    throw new SandboxStartError(
      `Cannot start the sandbox: port ${opts.port} is in use (another sandbox, or another program). Stop it, or choose another port: ${await suggestPort(opts)}`,
    );
  }
}

/** A command that starts the sandbox on ports free now: both the page's and the intake API's. */
async function suggestPort(opts: SandboxOptions): Promise<string> {
  const port = await findFreePortPair(opts.port, opts.host);
  return `PORT=${port ?? 0} npm run sandbox${port === undefined ? " (0 picks free ports)" : ""}`;
}

function closeServer(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections(); // the page's event streams never end by themselves
  return closed;
}

async function startBot(
  opts: SandboxOptions,
  config: WorkspaceConfig,
  double: SlackDouble,
  botPort: number,
) {
  const signingSecret = randomBytes(16).toString("hex");
  const env: Env = {
    slackMode: "http",
    slackBotToken: double.config.botToken,
    slackSigningSecret: signingSecret,
    slackApiUrl: double.apiUrl,
    databaseUrl: opts.databaseUrl,
    dataDir: opts.dataDir,
    port: botPort,
    switchboardConfig: opts.configPath,
    intakeTokens: [opts.intakeToken],
    logLevel: "warn",
  };
  try {
    const bot = await startSwitchboard({
      env,
      workspace: config,
      logger: opts.logger,
      host: opts.host,
    });
    return { bot, driver: double.driver(`${bot.url}/slack/events`, signingSecret) };
  } catch (error) {
    if (isPortInUse(error)) {
      throw new SandboxStartError(
        `Cannot start the sandbox: port ${botPort} (the bot's intake API, next to the page's) is in use. Stop what uses it, or choose another port: ${await suggestPort(opts)}`,
      );
    }
    if (error instanceof DataDirInUseError) {
      throw new SandboxStartError(
        `Cannot start the sandbox: the database in ${opts.dataDir} is in use by process ${error.pid}. Stop it, or set DATA_DIR to another folder.`,
      );
    }
    // Its message names DATABASE_URL's host and port, never the user or password.
    if (error instanceof DatabaseUnreachableError) {
      throw new SandboxStartError(`Cannot start the sandbox: ${error.message}`);
    }
    throw error;
  }
}

/** The double, with the workspace the last run saved (unless reset) and everyone's app DM. */
async function startDouble(
  workspace: SlackWorkspace,
  saved: SavedSandbox | undefined,
  stateFile: string,
) {
  let double: SlackDouble;
  try {
    double = await startSlackDouble({
      ...SANDBOX_TEAM,
      ...appFromManifest(MANIFEST),
      ...doubleSeed(workspace),
      ...(saved ? { restore: saved.double } : {}),
    });
  } catch (error) {
    throw new SandboxStartError(
      `Cannot start the sandbox: the Slack workspace saved in ${stateFile} cannot be restored (${(error as Error).message}); run npm run sandbox -- --reset`,
    );
  }
  // Everyone has the app's Messages tab, as in a workspace where the app is installed.
  for (const person of workspace.people) double.directMessage(person.id);
  return double;
}

/**
 * What the page shows, kept live from the double's changes and saved beside the database
 * after each; a problem the double records (something Slack accepts but the bot should not
 * send) is logged.
 */
function watchWorkspace(p: {
  double: SlackDouble;
  workspace: SlackWorkspace;
  saved: SavedSandbox | undefined;
  stateFile: string;
  logger: Logger;
}) {
  const { double, workspace } = p;
  let store: SandboxStore | undefined;
  const live = new LiveWorkspace({
    double,
    people: workspace.people,
    reads: p.saved?.reads ?? {},
    topics: Object.fromEntries(workspace.channels.map((c) => [c.id, c.topic ?? ""])),
    usergroups: Object.fromEntries(workspace.usergroups.map((g) => [g.id, g.handle])),
    onChange: () => store?.changed(),
  });
  store = new SandboxStore(
    p.stateFile,
    () => ({ double: double.snapshot(), reads: live.reads }),
    (error) => p.logger.error("sandbox.save_failed", { error }),
  );
  let problemsSeen = 0;
  double.onChange(() => {
    live.scheduleScan();
    for (const problem of double.problems.slice(problemsSeen)) {
      p.logger.error("sandbox.slack_problem", { problem });
    }
    problemsSeen = double.problems.length;
  });
  return { live, store };
}

async function countThreads(bot: RunningSwitchboard): Promise<number> {
  const [row] = await bot.db.db.select({ n: count() }).from(threads);
  return row?.n ?? 0;
}

/**
 * Starts the sandbox: the Slack double (with the workspace saved by the last run, unless
 * reset), the real bot through startSwitchboard (the code path `npm start` takes) against
 * it, and the page. Throws SandboxStartError for anything the person must fix.
 */
export async function startSandbox(opts: SandboxOptions): Promise<RunningSandbox> {
  const { config, workspace, sample } = loadFiles(opts);
  if (opts.reset && opts.databaseUrl) {
    throw new SandboxStartError(
      "Cannot start the sandbox: --reset only empties the embedded database; with DATABASE_URL set, empty that database yourself, or unset DATABASE_URL",
    );
  }
  const urlProblem = opts.databaseUrl ? databaseUrlProblem(opts.databaseUrl) : undefined;
  if (urlProblem) {
    throw new SandboxStartError(
      `Cannot start the sandbox: ${urlProblem} Set it to ${DATABASE_URL_FIX.expected}.`,
    );
  }
  if (!opts.databaseUrl) refuseForeignDatabase(opts.dataDir);
  const releaseLock = takeLock(opts.dataDir);
  const cleanups: Array<() => Promise<void> | void> = [releaseLock];
  try {
    const page = await bindPage(opts);
    cleanups.push(() => closeServer(page.server));
    const stateFile = join(opts.dataDir, SANDBOX_STATE_FILE);
    if (opts.reset) {
      rmSync(join(opts.dataDir, "pglite"), { recursive: true, force: true });
      rmSync(stateFile, { force: true });
    }
    const saved = loadSavedSandbox(stateFile);
    const uncheckedReason =
      !saved && opts.databaseUrl
        ? await refuseForeignPostgres(opts.databaseUrl, stateFile)
        : undefined;
    const double = await startDouble(workspace, saved, stateFile);
    cleanups.push(() => double.stop());
    // Saved before the bot creates its database, so the sandbox's database always has its
    // workspace beside it, which is how refuseForeignDatabase tells it from a bot's.
    if (!saved) {
      const first = { double: double.snapshot(), reads: {} };
      new SandboxStore(
        stateFile,
        () => first,
        (error) => {
          throw new SandboxStartError(
            `Cannot start the sandbox: cannot write ${stateFile} (${(error as Error).message}); set DATA_DIR to a folder it may write to`,
          );
        },
      ).saveNow();
    }
    const botPort = opts.botPort ?? (opts.port === 0 ? 0 : opts.port + 1);
    const { bot, driver } = await startBot(opts, config, double, botPort);
    cleanups.push(() => bot.stop());
    const orphanedThreads = saved ? 0 : await countThreads(bot);
    const { live, store } = watchWorkspace({
      double,
      workspace,
      saved,
      stateFile,
      logger: opts.logger,
    });
    const intake = new IntakeClient(bot.url, opts.intakeToken);
    const replay = new FeedReplay(intake, sample, (status) =>
      live.broadcast({ type: "replay", status }),
    );
    const info = sandboxInfo({
      config,
      workspace,
      botUserId: double.config.botUserId,
      botUrl: bot.url,
      token: opts.intakeToken,
      campaigns: config.campaigns
        ? {
            channels: MARKETING_CHANNEL_KEYS.map((key) => ({
              key,
              label: MARKETING_CHANNELS[key],
            })),
          }
        : null,
    });
    const people = new Set(workspace.people.map((p) => p.id));
    page.setHandler(
      createPageApp({
        double,
        live,
        actions: new PageActions(double, driver, live, people),
        intake,
        replay,
        info: () => info,
        logger: opts.logger,
        ...(config.campaigns
          ? {
              announceCampaign: (body: unknown) =>
                intake.post(body as Record<string, unknown>, "/api/v1/campaigns"),
            }
          : {}),
      }),
    );
    return {
      url: `http://${opts.host === "0.0.0.0" ? "localhost" : opts.host}:${portOf(page.server)}`,
      botUrl: bot.url,
      intakeToken: opts.intakeToken,
      double,
      bot,
      restored: saved !== undefined,
      orphanedThreads,
      uncheckedReason,
      async stop() {
        replay.stop();
        await closeServer(page.server);
        await bot.stop();
        store.saveNow(); // after the bot's last calls
        await double.stop();
        releaseLock();
      },
    };
  } catch (error) {
    for (const cleanUp of cleanups.reverse()) await cleanUp();
    throw error;
  }
}
