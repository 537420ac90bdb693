import { type ChildProcess, spawn } from "node:child_process";
import { eventually } from "./e2e-harness.ts";

/** `npm run sandbox` as a real process, with its printed addresses once it is up. */
export interface SandboxProcess {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Runs `npm run sandbox`'s command with exactly the given environment (PORT=0: free ports). */
export function spawnSandbox(env: Record<string, string>, args: string[] = []): SandboxProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "src/sandbox/main.ts", ...args], {
    env: { PATH: process.env.PATH ?? "", PORT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d) => {
    stdout += d;
  });
  child.stderr?.on("data", (d) => {
    stderr += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** Waits for the banner; returns the page's and the bot's addresses it printed. */
export async function addressesOf(p: SandboxProcess): Promise<{ page: string; bot: string }> {
  const found = await eventually(
    () => {
      if (p.child.exitCode !== null) throw new Error(`the sandbox exited: ${p.stderr()}`);
      const page = /^ {2}Open (http:\/\/\S+) in your browser\.$/m.exec(p.stdout())?.[1];
      const bot = /the intake API is at (http:\/\/\S+) /.exec(p.stdout())?.[1];
      return page && bot ? { page, bot } : undefined;
    },
    "the sandbox to print its address",
    90_000,
  );
  return found;
}

/** Stops the process with Ctrl-C's signal and waits for its exit code. */
export async function stopSandbox(p: SandboxProcess): Promise<number | null> {
  if (p.child.exitCode === null) p.child.kill("SIGINT");
  return p.exited;
}

/** The first server-sent event of the page's stream for one person: everything they see. */
export async function pageSnapshot(pageUrl: string, as: string) {
  const controller = new AbortController();
  const res = await fetch(`${pageUrl}/events?as=${as}`, { signal: controller.signal });
  const reader = res.body?.getReader();
  if (!reader) throw new Error("no event stream");
  let text = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the stream ended before its first event: ${text}`);
      text += new TextDecoder().decode(value);
      const event = /^event: snapshot\ndata: (.*)\n\n/m.exec(text);
      if (event?.[1]) {
        return JSON.parse(event[1]) as {
          channels: Array<{ id: string; name: string }>;
          messages: Array<{
            channel: string;
            ts: string;
            threadTs?: string;
            text: string;
            html: string;
            ephemeralTo?: string;
          }>;
          views: Array<{ id: string; type: string; html: string }>;
          info: { people: Array<{ id: string }> };
        };
      }
    }
  } finally {
    controller.abort();
  }
}
