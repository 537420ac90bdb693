import { findClosestMatch } from "./closest-match.ts";
import { ConfigError, type ConfigIssue } from "./config-error.ts";
import { readSlackCredentials, type SlackCredentials } from "./env-slack.ts";

/** Log levels, most verbose first. */
export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Validated process settings. Secrets live here; never log this object whole. */
export interface Env extends SlackCredentials {
  /** postgres:// URL; undefined means embedded PGlite stored under dataDir. */
  databaseUrl?: string | undefined;
  dataDir: string;
  /** Slack Web API base URL, always ending in "/" (tests point it at a local double). */
  slackApiUrl: string;
  port: number;
  /** Path of the workspace YAML file (SWITCHBOARD_CONFIG). */
  switchboardConfig: string;
  /** Bearer tokens accepted by the intake API. */
  intakeTokens: string[];
  logLevel: LogLevel;
}

type Report = (issue: Omit<ConfigIssue, "file">) => void;

const MIN_INTAKE_TOKEN_LENGTH = 16;

/**
 * Validates the environment (main passes process.env) and returns typed settings.
 * Empty values count as unset, so `FOO=` in an .env file falls back to the default.
 * Throws ConfigError listing every problem; secret values never appear in it.
 */
export function loadEnv(env: NodeJS.ProcessEnv | Record<string, string | undefined>): Env {
  const issues: ConfigIssue[] = [];
  const report: Report = (issue) => issues.push({ file: "environment", ...issue });
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === "" ? undefined : value;
  };
  const result: Env = {
    ...readSlackCredentials(read, report),
    databaseUrl: readDatabaseUrl(read("DATABASE_URL"), report),
    dataDir: read("DATA_DIR") ?? "./data",
    slackApiUrl: readSlackApiUrl(read("SLACK_API_URL"), report),
    port: readPort(read("PORT"), report),
    switchboardConfig: read("SWITCHBOARD_CONFIG") ?? "./switchboard.yaml",
    intakeTokens: readIntakeTokens(read("INTAKE_TOKENS"), report),
    logLevel: readLogLevel(read("LOG_LEVEL"), report),
  };
  if (issues.length > 0) throw new ConfigError(issues.map((issue) => withNearMiss(issue, env)));
  return result;
}

/**
 * "SLACK_BOT_TOKEN is not set" while SLACK_TOKEN is: say which variable was set instead, the
 * likeliest cause (a name from another tool's docs, a singular INTAKE_TOKEN). Only the name
 * is shown, never its value.
 */
function withNearMiss(
  issue: ConfigIssue,
  env: NodeJS.ProcessEnv | Record<string, string | undefined>,
): ConfigIssue {
  if (!issue.message.startsWith(`${issue.path} is not set`)) return issue;
  const near = Object.keys(env).filter(
    (key) =>
      key !== issue.path &&
      env[key]?.trim() &&
      (findClosestMatch(key, [issue.path], 2) !== undefined ||
        NEAR_NAMES[issue.path]?.includes(key.toUpperCase())),
  );
  if (near.length === 0) return issue;
  const names = near.map((key) => `${key} is set`).join(", ");
  return { ...issue, message: `${issue.message} (${names}: did you mean ${issue.path}?)` };
}

/** Names other tools use for the same setting, further than a typo from ours. */
const NEAR_NAMES: Record<string, string[]> = {
  SLACK_BOT_TOKEN: ["SLACK_TOKEN", "SLACK_API_TOKEN", "BOT_TOKEN", "SLACK_OAUTH_TOKEN"],
  SLACK_SIGNING_SECRET: ["SLACK_SECRET", "SIGNING_SECRET"],
  INTAKE_TOKENS: ["INTAKE_TOKEN", "API_TOKEN", "API_TOKENS"],
};

function readDatabaseUrl(value: string | undefined, report: Report): string | undefined {
  if (value === undefined) return undefined;
  const problem = databaseUrlProblem(value);
  if (problem === undefined) return value;
  report({ path: "DATABASE_URL", message: problem, ...DATABASE_URL_FIX });
  return undefined;
}

/** What to set DATABASE_URL to, for messages about it. */
export const DATABASE_URL_FIX = {
  expected: "a postgres:// or postgresql:// URL, or unset to use the embedded database in DATA_DIR",
  example: "DATABASE_URL=postgres://switchboard:secret@localhost:5432/switchboard",
};

/** Why DATABASE_URL cannot be used, or undefined when it is a Postgres URL. */
export function databaseUrlProblem(value: string): string | undefined {
  // The URL usually carries a password, so the message names the scheme at most.
  const scheme = URL.canParse(value) ? new URL(value).protocol : undefined;
  if (scheme === "postgres:" || scheme === "postgresql:") return undefined;
  // Without "//", what URL reads as a scheme is the user or host ("localhost:5432/db").
  if (!value.includes("://")) {
    return "DATABASE_URL does not start with postgres:// or postgresql://; add it in front of the host (and user).";
  }
  return scheme === undefined
    ? "DATABASE_URL is not a valid URL."
    : `DATABASE_URL uses the scheme "${scheme}", which is not Postgres.`;
}

function readSlackApiUrl(value: string | undefined, report: Report): string {
  const url = value ?? "https://slack.com/api/";
  const protocol = URL.canParse(url) ? new URL(url).protocol : undefined;
  if (protocol !== "http:" && protocol !== "https:") {
    report({
      path: "SLACK_API_URL",
      message: `SLACK_API_URL "${url}" is not an http(s) URL.`,
      expected: "an http:// or https:// URL; leave unset for Slack itself",
      example: "SLACK_API_URL=https://slack.com/api/",
    });
  }
  return url.endsWith("/") ? url : `${url}/`;
}

/** `npm start`'s port when PORT is unset; the sandbox keeps clear of it (sandbox-port.ts). */
export const DEFAULT_PORT = 3000;

function readPort(value: string | undefined, report: Report): number {
  if (value === undefined) return DEFAULT_PORT;
  const port = Number(value);
  if (/^\d+$/.test(value) && port <= 65_535) return port;
  report({
    path: "PORT",
    message: `PORT "${value}" is not a port number.`,
    expected: "a whole number from 0 to 65535 (0 picks a free port)",
    example: `PORT=${DEFAULT_PORT}`,
  });
  return DEFAULT_PORT;
}

function readIntakeTokens(value: string | undefined, report: Report): string[] {
  const tokens = (value ?? "")
    .split(",")
    .map((token) => token.trim())
    .filter((token) => token !== "");
  const expected = `one or more comma-separated bearer tokens, each at least ${MIN_INTAKE_TOKEN_LENGTH} characters; generate one with \`openssl rand -hex 32\``;
  const example = "INTAKE_TOKENS=<output of openssl rand -hex 32>,<another for a second sender>";
  if (tokens.length === 0) {
    report({ path: "INTAKE_TOKENS", message: "INTAKE_TOKENS is not set.", expected, example });
  }
  // Position and length identify the bad token without printing any of it.
  tokens.forEach((token, index) => {
    if (token.length >= MIN_INTAKE_TOKEN_LENGTH) return;
    report({
      path: "INTAKE_TOKENS",
      message: `Token ${index + 1} of ${tokens.length} in INTAKE_TOKENS is only ${token.length} characters long.`,
      expected,
      example,
    });
  });
  return tokens;
}

function readLogLevel(value: string | undefined, report: Report): LogLevel {
  const level = (value ?? "info").toLowerCase();
  if (isLogLevel(level)) return level;
  report({
    path: "LOG_LEVEL",
    message: `LOG_LEVEL "${value}" is not a log level.`,
    expected: `one of ${LOG_LEVELS.join(", ")}`,
    example: "LOG_LEVEL=info",
  });
  return "info";
}

function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}
