import { is, Param, Placeholder, SQL, sql } from "drizzle-orm";
import { PgDatabase, PgDialect, PgSession } from "drizzle-orm/pg-core";
import { type Database, type Executor, rowsOf } from "./client.ts";
import * as schema from "./schema.ts";

/**
 * Queries on hot paths (every complaint, every nudge) whose SQL drizzle builds
 * once instead of on every call. Building is most of drizzle's cost: a 12-row insert walks
 * a hundred parameters through its chunk checks, and `npm run bench -- intake --profile` put
 * query building at about a quarter of the bot's CPU per complaint.
 *
 * `compiled(build)` runs `build` once, against a database that captures what the query
 * builder would hand its session (the SQL text, its parameters with placeholders, and how to
 * map the rows back), and each call then hands that to the real executor's session with
 * the placeholders filled in. The statement, its parameters as the driver sees them and the
 * rows returned are the ones the builder itself would produce: values go through the same
 * column encoders, a null stays SQL NULL (drizzle's own `fillPlaceholders` would encode a
 * null, turning it into JSON 'null' in a jsonb column), and the rows through the same
 * mapping. Nothing in `build` may depend on a call's values except through placeholders.
 */
export function compiled<B extends { prepare(name: string): unknown; execute(): Promise<unknown> }>(
  build: (db: Database, p: (name: string) => Placeholder) => B,
): (executor: Executor, values: Record<string, unknown>) => ReturnType<B["execute"]> {
  let captured: Captured | undefined;
  return (executor, values) => {
    captured ??= capture(build);
    const session = (executor as unknown as { _: { session: PgSession } })._.session;
    const params = captured.query.params.map((p) => fill(p, values));
    const query = session.prepareQuery(
      { ...captured.query, params },
      captured.fields as never,
      undefined,
      captured.arrayMode,
      captured.mapper as never,
      captured.metadata as never,
    ) as unknown as { execute(): Promise<unknown>; joinsNotNullableMap?: unknown };
    if (captured.joinsNotNullableMap) query.joinsNotNullableMap = captured.joinsNotNullableMap;
    return query.execute() as ReturnType<B["execute"]>;
  };
}

/**
 * A statement the query builder cannot express (several inserts in one WITH), written with
 * drizzle's `sql` and `p(name)` placeholders and turned into its text once, as `compiled`
 * does for builders. Values reach the driver as given (no column encoders: cast them in the
 * SQL, pass JSON as text), and rows come back as PostgreSQL names their columns.
 */
export function compiledSql<Row>(
  build: (p: (name: string) => Placeholder) => SQL,
): (executor: Executor, values: Record<string, unknown>) => Promise<Row[]> {
  let query: Captured["query"] | undefined;
  return async (executor, values) => {
    query ??= new PgDialect().sqlToQuery(build((name) => sql.placeholder(name)));
    const session = (executor as unknown as { _: { session: PgSession } })._.session;
    const params = query.params.map((p) => fill(p, values));
    const prepared = session.prepareQuery({ ...query, params }, undefined, undefined, false);
    return rowsOf<Row>(await prepared.execute());
  };
}

interface Captured {
  query: { sql: string; params: unknown[]; typings?: unknown[] };
  fields: unknown;
  arrayMode: boolean;
  mapper: unknown;
  metadata: unknown;
  joinsNotNullableMap?: unknown;
}

/** A session that runs nothing: it keeps what a builder's prepare() gives it. */
class CapturingSession extends PgSession {
  last: Captured | undefined;

  prepareQuery(
    query: Captured["query"],
    fields: unknown,
    _name: unknown,
    arrayMode: boolean,
    mapper?: unknown,
    metadata?: unknown,
  ): never {
    const captured: Captured = { query, fields, arrayMode, mapper, metadata };
    this.last = captured;
    // The select builder sets these on the prepared query it gets back.
    const prepared = {
      setToken: () => prepared,
      set joinsNotNullableMap(map: unknown) {
        captured.joinsNotNullableMap = map;
      },
    };
    return prepared as never;
  }

  transaction(): never {
    throw new Error("a compiled query cannot open a transaction");
  }
}

function capture<B extends { prepare(name: string): unknown }>(
  build: (db: Database, p: (name: string) => Placeholder) => B,
): Captured {
  // The dialect drizzle() gives both drivers (no casing option), so the same SQL text.
  const dialect = new PgDialect();
  const session = new CapturingSession(dialect);
  const db = new PgDatabase(dialect, session as never, schema as never) as unknown as Database;
  build(db, (name) => sql.placeholder(name)).prepare("compiled");
  if (!session.last) throw new Error("compiled(): the builder prepared nothing");
  return session.last;
}

function fill(param: unknown, values: Record<string, unknown>): unknown {
  if (is(param, Placeholder)) return valueNamed(param.name, values);
  if (!is(param, Param) || !is(param.value, Placeholder)) return param;
  const value = valueNamed(param.value.name, values);
  if (value === null) return null;
  const mapped = param.encoder.mapToDriverValue(value);
  if (is(mapped, SQL)) throw new Error(`compiled(): "${param.value.name}" encodes to SQL`);
  return mapped;
}

function valueNamed(name: string, values: Record<string, unknown>): unknown {
  const value = values[name];
  if (value === undefined) throw new Error(`compiled(): no value for "${name}"`);
  return value;
}
