import { createServer } from "node:net";
import { SandboxStartError } from "./start-errors.ts";

/** The highest port there is; the sandbox needs the page's port and the next one. */
const HIGHEST_PORT = 65_535;

/**
 * The page's port when PORT is unset; the intake API takes the next one (3031). Both keep
 * clear of `npm start`'s 3000, so the sandbox and a bot started from the README run side by side.
 */
export const SANDBOX_DEFAULT_PORT = 3030;

/**
 * PORT: the page's port, default SANDBOX_DEFAULT_PORT. The bot's intake API takes the next
 * port, so the highest the page can have is 65534; 0 picks free ports for both.
 */
export function readPort(value: string | undefined): number {
  if (value === undefined || value.trim() === "") return SANDBOX_DEFAULT_PORT;
  const port = Number(value);
  if (!/^\d+$/.test(value.trim()) || port > HIGHEST_PORT) {
    throw new SandboxStartError(
      `Cannot start the sandbox: PORT "${value}" is not a port number; use a whole number from 0 to ${HIGHEST_PORT - 1}, such as ${SANDBOX_DEFAULT_PORT} (0 picks free ports)`,
    );
  }
  if (port === HIGHEST_PORT) {
    throw new SandboxStartError(
      `Cannot start the sandbox: PORT ${port} leaves no port for the bot's intake API, which takes the next one (${port + 1} does not exist); use ${port - 1} or lower, such as ${SANDBOX_DEFAULT_PORT} (0 picks free ports)`,
    );
  }
  return port;
}

/**
 * A port above `taken` that is free together with the next one (the page's and the intake
 * API's), for the "port in use" message: the port just above is usually the other sandbox's
 * intake API, so suggesting it would only fail again. Undefined when none of the next few is.
 */
export async function findFreePortPair(taken: number, host: string): Promise<number | undefined> {
  for (let port = taken + 1; port < Math.min(taken + 50, HIGHEST_PORT); port++) {
    if ((await canListen(port, host)) && (await canListen(port + 1, host))) return port;
  }
  return undefined;
}

function canListen(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}
