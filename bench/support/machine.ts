import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** Resident memory of a process (VmRSS), in bytes; 0 when it is gone. */
export function residentBytes(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** CPU time a process has used (user + system), in ms; 0 when it is gone. */
export function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return 0;
  }
}

/** CPU time used by every process whose command line contains `needle` (e.g. a data dir). */
export function cpuMsOfProcessesMatching(needle: string): number {
  let total = 0;
  for (const pid of pids()) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8");
      if (cmd.includes(needle)) total += processCpuMs(Number(pid));
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

/** Children of the postgres postmaster `pid` plus itself: the whole server's CPU time. */
export function cpuMsOfTree(rootPid: number): number {
  let total = processCpuMs(rootPid);
  for (const pid of pids()) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === rootPid) total += processCpuMs(Number(pid));
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

function pids(): string[] {
  return execFileSync("ls", ["/proc"], { encoding: "utf8" })
    .split("\n")
    .filter((p) => /^\d+$/.test(p));
}

/** Busy and total CPU time of the whole machine (all cores), from /proc/stat, in ms. */
export function machineCpu(): { busyMs: number; totalMs: number } {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "";
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (values[3] ?? 0) + (values[4] ?? 0);
  const total = values.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busyMs: (total - idle) * TICK_MS, totalMs: total * TICK_MS };
}

/** Measures how busy the machine was, and what share of it one set of processes used. */
export class CpuWindow {
  private readonly startMachine = machineCpu();
  private readonly startProcesses: number[];
  private readonly started = performance.now();

  constructor(private readonly meters: ReadonlyArray<() => number>) {
    this.startProcesses = meters.map((m) => m());
  }

  /** Machine busy share (0–1 of all cores), wall seconds, and each meter's CPU ms since start. */
  end(): { machineBusy: number; seconds: number; cpuMs: number[] } {
    const m = machineCpu();
    const totalMs = m.totalMs - this.startMachine.totalMs;
    return {
      machineBusy: totalMs > 0 ? (m.busyMs - this.startMachine.busyMs) / totalMs : Number.NaN,
      seconds: (performance.now() - this.started) / 1000,
      cpuMs: this.meters.map((meter, i) => meter() - (this.startProcesses[i] ?? 0)),
    };
  }
}

/** The machine and the versions that produced a figure. */
export function describeMachine(postgresVersion?: string) {
  const cpu = cpus()[0]?.model ?? "unknown";
  const versionOf = (name: string) => {
    try {
      const json = readFileSync(
        new URL(`../../node_modules/${name}/package.json`, import.meta.url),
        "utf8",
      );
      return (JSON.parse(json) as { version: string }).version;
    } catch {
      return "absent";
    }
  };
  return {
    os: `${process.platform} ${readOsRelease()}`.trim(),
    cpu,
    cores: cpus().length,
    memoryGb: Math.round(totalmem() / 1024 ** 3),
    loadAverage: loadavg().map((l) => Number(l.toFixed(2))),
    node: process.version,
    postgres: postgresVersion ?? "unknown",
    packages: Object.fromEntries(
      [
        "postgres",
        "drizzle-orm",
        "express",
        "@slack/bolt",
        "@slack/web-api",
        "zod",
        "autocannon",
      ].map((n) => [n, versionOf(n)]),
    ),
  };
}

function readOsRelease(): string {
  try {
    const m = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(readFileSync("/etc/os-release", "utf8"));
    return m?.[1] ?? "";
  } catch {
    return "";
  }
}
