import { openDatabase } from "./client.ts";
import { migrateDatabase } from "./migrate.ts";

// `npm run db:migrate`: needs only the database settings, not Slack's.
const url = process.env.DATABASE_URL?.trim() || undefined;
const dataDir = process.env.DATA_DIR?.trim() || "./data";
try {
  const db = await openDatabase({ url, dataDir });
  await migrateDatabase(db);
  await db.close();
  console.log(
    `Migrations applied to ${url ? "the PostgreSQL database in DATABASE_URL" : `the embedded database in ${dataDir}`}.`,
  );
} catch (error) {
  console.error(`Migration failed: ${(error as Error).message}`);
  process.exit(1);
}
