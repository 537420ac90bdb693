import { SandboxStartError } from "./start-errors.ts";

/** The highest port there is; the sandbox needs the page's port and the next one. */
const HIGHEST_PORT = 65_535;

/**
 * PORT: the page's port, default 3000. The bot's intake API takes the next port, so the
 * highest the page can have is 65534; 0 picks free ports for both.
 */
export function readPort(value: string | undefined): number {
  if (value === undefined || value.trim() === "") return 3000;
  const port = Number(value);
  if (!/^\d+$/.test(value.trim()) || port > HIGHEST_PORT) {
    throw new SandboxStartError(
      `Cannot start the sandbox: PORT "${value}" is not a port number; use a whole number from 0 to ${HIGHEST_PORT - 1}, such as 3000 (0 picks free ports)`,
    );
  }
  if (port === HIGHEST_PORT) {
    throw new SandboxStartError(
      `Cannot start the sandbox: PORT ${port} leaves no port for the bot's intake API, which takes the next one (${port + 1} does not exist); use ${port - 1} or lower, such as 3000 (0 picks free ports)`,
    );
  }
  return port;
}
