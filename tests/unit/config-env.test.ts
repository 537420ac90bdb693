import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config/config-error.ts";
import { loadEnv } from "../../src/config/env.ts";

const TOKEN_A = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
const TOKEN_B = "0f9e8d7c6b5a49382716e5d4c3b2a190";
const BOT_TOKEN = "xoxb-111-222-secretbotpart";
const SIGNING_SECRET = "8f14e45fceea167a5a36dedd4bea2543";

const HTTP_ENV = {
  SLACK_BOT_TOKEN: BOT_TOKEN,
  SLACK_SIGNING_SECRET: SIGNING_SECRET,
  INTAKE_TOKENS: TOKEN_A,
};

function envError(env: Record<string, string | undefined>): ConfigError {
  try {
    loadEnv(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("loadEnv", () => {
  it("names a variable set under a near name when ours is missing, never its value", () => {
    const error = envError({
      SLACK_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      INTAKE_TOKEN: TOKEN_A,
      PATH: "/usr/bin",
    });
    expect(
      error.issues.map((i) => [i.path, i.message.replace(/\. Create .*\.( \()/, ".$1")]),
    ).toEqual([
      [
        "SLACK_BOT_TOKEN",
        "SLACK_BOT_TOKEN is not set. (SLACK_TOKEN is set: did you mean SLACK_BOT_TOKEN?)",
      ],
      [
        "INTAKE_TOKENS",
        "INTAKE_TOKENS is not set. (INTAKE_TOKEN is set: did you mean INTAKE_TOKENS?)",
      ],
    ]);
    expect(error.message).not.toContain(BOT_TOKEN);
    expect(error.message).not.toContain(TOKEN_A);
    // Nothing near: the message is as it was.
    expect(envError({ ...HTTP_ENV, INTAKE_TOKENS: undefined }).issues[0]?.message).toBe(
      "INTAKE_TOKENS is not set.",
    );
  });

  it("applies defaults for everything optional", () => {
    expect(loadEnv(HTTP_ENV)).toEqual({
      slackMode: "http",
      slackBotToken: BOT_TOKEN,
      slackSigningSecret: SIGNING_SECRET,
      slackAppToken: undefined,
      databaseUrl: undefined,
      dataDir: "./data",
      slackApiUrl: "https://slack.com/api/",
      port: 3000,
      switchboardConfig: "./switchboard.yaml",
      intakeTokens: [TOKEN_A],
      logLevel: "info",
    });
  });

  it("reads every variable when set, normalising the Slack API URL", () => {
    const env = loadEnv({
      ...HTTP_ENV,
      DATABASE_URL: "postgresql://sb:pw@db.internal:5432/switchboard",
      DATA_DIR: "/var/lib/switchboard",
      SLACK_API_URL: "http://127.0.0.1:4010/api",
      PORT: "0",
      SWITCHBOARD_CONFIG: "/etc/switchboard.yaml",
      INTAKE_TOKENS: ` ${TOKEN_A} , ${TOKEN_B},`,
      LOG_LEVEL: "DEBUG",
    });
    expect(env).toMatchObject({
      databaseUrl: "postgresql://sb:pw@db.internal:5432/switchboard",
      dataDir: "/var/lib/switchboard",
      slackApiUrl: "http://127.0.0.1:4010/api/",
      port: 0,
      switchboardConfig: "/etc/switchboard.yaml",
      intakeTokens: [TOKEN_A, TOKEN_B],
      logLevel: "debug",
    });
  });

  it("treats empty values as unset", () => {
    const env = loadEnv({ ...HTTP_ENV, DATABASE_URL: "", PORT: " ", SLACK_APP_TOKEN: "" });
    expect(env).toMatchObject({ databaseUrl: undefined, port: 3000, slackMode: "http" });
  });

  it("switches to Socket Mode when SLACK_APP_TOKEN is set, without a signing secret", () => {
    const env = loadEnv({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_APP_TOKEN: "xapp-1-A1-123-abc",
      INTAKE_TOKENS: TOKEN_A,
    });
    expect(env.slackMode).toBe("socket");
    expect(env.slackAppToken).toBe("xapp-1-A1-123-abc");
    expect(env.slackSigningSecret).toBeUndefined();
  });

  it("names the missing Slack variables, the manifest and where to find each value", () => {
    const error = envError({ INTAKE_TOKENS: TOKEN_A });
    expect(error.issues.map((issue) => issue.path)).toEqual([
      "SLACK_BOT_TOKEN",
      "SLACK_SIGNING_SECRET",
    ]);
    expect(error.message).toContain("manifests/switchboard.http.yaml");
    expect(error.message).toContain("OAuth & Permissions → Bot User OAuth Token");
    expect(error.message).toContain("Basic Information → App Credentials → Signing Secret");
    expect(error.message).toContain("environment  SLACK_BOT_TOKEN");
  });

  it("points Socket Mode users at the socket manifest", () => {
    const error = envError({ SLACK_APP_TOKEN: "xapp-1-A1-123-abc", INTAKE_TOKENS: TOKEN_A });
    expect(error.issues.map((issue) => issue.path)).toEqual(["SLACK_BOT_TOKEN"]);
    expect(error.message).toContain("manifests/switchboard.socket.yaml");
  });

  it("rejects tokens of the wrong kind without echoing them", () => {
    const error = envError({
      ...HTTP_ENV,
      SLACK_BOT_TOKEN: "xoxp-user-token-secret",
      SLACK_APP_TOKEN: "not-an-app-token-secret",
    });
    expect(error.issues.map((issue) => issue.path)).toEqual(["SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"]);
    expect(error.message).toContain("it starts with xoxp-");
    expect(error.message).not.toContain("secret");
  });

  it("asks for INTAKE_TOKENS and suggests openssl when they are missing", () => {
    const error = envError({ ...HTTP_ENV, INTAKE_TOKENS: " , " });
    expect(error.issues).toHaveLength(1);
    expect(error.message).toContain("INTAKE_TOKENS is not set");
    expect(error.message).toContain("openssl rand -hex 32");
  });

  it("never prints intake token values, even the short ones it rejects", () => {
    const error = envError({ ...HTTP_ENV, INTAKE_TOKENS: `${TOKEN_A},tooShort123`, PORT: "http" });
    expect(error.message).toContain("Token 2 of 2 in INTAKE_TOKENS is only 11 characters long");
    expect(error.message).toContain("openssl rand -hex 32");
    expect(error.message).not.toContain("tooShort123");
    expect(error.message).not.toContain(TOKEN_A);
    expect(error.message).not.toContain(BOT_TOKEN);
    expect(error.message).not.toContain(SIGNING_SECRET);
  });

  it("says DATABASE_URL lacks postgres:// rather than naming its host or user as a scheme", () => {
    for (const url of ["localhost:5432/switchboard", "sb:hunter2@db.internal:5432/switchboard"]) {
      const error = envError({ ...HTTP_ENV, DATABASE_URL: url });
      expect(error.issues).toEqual([
        expect.objectContaining({
          path: "DATABASE_URL",
          message:
            "DATABASE_URL does not start with postgres:// or postgresql://; add it in front of the host (and user).",
        }),
      ]);
      expect(error.message).not.toContain("scheme");
      expect(error.message).not.toContain("hunter2");
    }
  });

  it("lists every problem at once and keeps the database password out of it", () => {
    const error = envError({
      INTAKE_TOKENS: TOKEN_A,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      DATABASE_URL: "mysql://root:hunter2@db/switchboard",
      SLACK_API_URL: "ftp://slack.example",
      PORT: "70000",
      LOG_LEVEL: "verbose",
    });
    expect(error.issues.map((issue) => issue.path)).toEqual([
      "DATABASE_URL",
      "SLACK_API_URL",
      "PORT",
      "LOG_LEVEL",
    ]);
    expect(error.message).toMatch(/^Invalid configuration in environment \(4 problems\):/);
    expect(error.message).toContain('scheme "mysql:"');
    expect(error.message).not.toContain("hunter2");
    expect(error.message).toContain("one of debug, info, warn, error");
  });
});
