import { ConfigError } from "../config/config-error.ts";

/**
 * Why the sandbox cannot start, in one line that says what to do (a port in use, a data
 * folder another sandbox holds, a mistake in a config file). `npm run sandbox` prints it and
 * exits with code 2, like `npm start` does for a bad configuration.
 */
export class SandboxStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SandboxStartError";
  }
}

/** A ConfigError (which lists every problem on several lines) as one line: the first problem. */
export function oneLineConfigError(error: ConfigError): SandboxStartError {
  const [first, ...rest] = error.issues;
  if (!first) return new SandboxStartError(error.message.split("\n")[0] ?? "Invalid configuration");
  const at = first.line === undefined ? first.file : `${first.file}:${first.line}`;
  const where = first.path === "" ? at : `${at} ${first.path}`;
  // YAML's own messages (syntax errors) end without a full stop; "Expected" starts a sentence.
  const message = /[.!?]$/.test(first.message) ? first.message : `${first.message}.`;
  const expected = first.expected ? ` Expected ${first.expected}.` : "";
  const more =
    rest.length > 0
      ? ` (and ${rest.length} more ${rest.length === 1 ? "problem" : "problems"})`
      : "";
  return new SandboxStartError(`Cannot start the sandbox: ${where}: ${message}${expected}${more}`);
}

/** True for the error startSwitchboard or a server gives when a port is taken. */
export function isPortInUse(error: unknown): boolean {
  const e = error as { code?: unknown; name?: unknown } | null;
  return e?.code === "EADDRINUSE" || e?.code === "EACCES" || e?.name === "PortUnavailableError";
}

export { ConfigError };
