import { LogLevel } from "@slack/bolt";

/** A Bolt / web-api logger that prints nothing (keeps the client's "[ERROR] …" echoes out of test output). */
export const quietLogger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => LogLevel.ERROR,
  setName: () => {},
};
