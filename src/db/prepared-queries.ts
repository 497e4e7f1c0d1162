// Hot read paths build their Drizzle query once per database handle and run it with
// placeholders: building a select with joins costs more CPU than PostgreSQL spends running it.
import type { Db } from './client.js';

const built = new WeakMap<Db, Map<string, unknown>>();

/** The query `build` makes for `db`, built on first use and reused after. */
export function preparedOnce<T>(db: Db, name: string, build: (db: Db) => T): T {
  let queries = built.get(db);
  if (!queries) built.set(db, (queries = new Map()));
  let query = queries.get(name) as T | undefined;
  if (query === undefined) queries.set(name, (query = build(db)));
  return query;
}
