import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "./embedded-postgres.ts";

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
  const server = await startEmbeddedPostgres();
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
