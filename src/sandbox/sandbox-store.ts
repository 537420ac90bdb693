import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { DoubleSnapshot } from "../slack-double/index.ts";
import { SandboxStartError } from "./start-errors.ts";

/** Up to where each person has read each conversation: reads[userId][channelId] = ts. */
export type ReadMarkers = Record<string, Record<string, string>>;

/** What the sandbox keeps beside the database: the Slack workspace and who read what. */
export interface SavedSandbox {
  version: 1;
  savedAt: string;
  double: DoubleSnapshot;
  reads: ReadMarkers;
}

/** The file, inside the data folder, that holds the sandbox's Slack workspace. */
export const SANDBOX_STATE_FILE = "slack-workspace.json";

/** Reads a saved sandbox; undefined when there is none; SandboxStartError when it is unreadable. */
export function loadSavedSandbox(file: string): SavedSandbox | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const saved = JSON.parse(readFileSync(file, "utf8")) as SavedSandbox;
    if (saved.version !== 1 || typeof saved.double !== "object") throw new Error("unknown format");
    return saved;
  } catch (error) {
    throw new SandboxStartError(
      `Cannot start the sandbox: ${file} cannot be read (${(error as Error).message}); run npm run sandbox -- --reset to start from empty`,
    );
  }
}

/**
 * Saves the sandbox's Slack workspace shortly after each change (at most every
 * `debounceMs`), writing a new file and renaming it over the old one, so a crash mid-write
 * leaves the previous version rather than half a file.
 */
export class SandboxStore {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly file: string,
    private readonly collect: () => Omit<SavedSandbox, "version" | "savedAt">,
    private readonly onError: (error: unknown) => void,
    private readonly debounceMs = 300,
  ) {}

  /** Saves soon (changes within the window are saved together). */
  changed(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.saveNow();
    }, this.debounceMs);
    this.timer.unref();
  }

  /** Saves now if a save is pending (at shutdown). */
  flush(): void {
    if (!this.timer) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.saveNow();
  }

  /** Saves now. */
  saveNow(): void {
    try {
      const saved: SavedSandbox = {
        version: 1,
        savedAt: new Date().toISOString(),
        ...this.collect(),
      };
      mkdirSync(dirname(this.file), { recursive: true });
      const temp = `${this.file}.${process.pid}.tmp`;
      writeFileSync(temp, JSON.stringify(saved));
      renameSync(temp, this.file);
    } catch (error) {
      this.onError(error);
    }
  }
}
