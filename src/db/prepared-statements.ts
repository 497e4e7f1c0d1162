// Drizzle runs every query through postgres.js's `unsafe()` with `prepare: false` unless the
// query was built with `.prepare(name)`. An unprepared query with parameters costs postgres.js
// two round trips (Parse/Describe, then Bind/Execute) and PostgreSQL a parse and a plan every
// time. Drizzle's SQL text is stable for a given query shape (values travel as $n parameters), so
// asking postgres.js to prepare everything lets each connection parse a shape once and then run it
// in one round trip: on the public read path this halves the database's CPU per request.
// postgres.js keeps the statements per connection and recycles connections (max_lifetime), which
// bounds the cache; a statement invalidated by a migration is re-prepared by postgres.js itself.
//
// This leans on how drizzle's postgres-js driver calls postgres.js (unsafe with prepare: false,
// begin, savepoint), which is no public contract: postgres.js's `prepare` option can only turn
// preparing off, and drizzle's `.prepare(name)` would have to be written on every query. So
// drizzle-orm is pinned to an exact version in package.json, and test/db/prepared-statements.test.ts
// fails on PostgreSQL if queries stop being prepared (or if drizzle starts preparing by itself).
import type postgres from 'postgres';

type Fn = (...args: unknown[]) => unknown;

/** The same client, whose queries (in transactions and savepoints too) are prepared statements. */
export function preparingStatements<T extends postgres.Sql | postgres.TransactionSql>(client: T): T {
  return new Proxy(client, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      const fn = value as Fn;
      if (prop === 'unsafe') {
        return (query: string, args: unknown[] = [], options: Record<string, unknown> = {}) =>
          fn.call(target, query, args, { ...options, prepare: true });
      }
      if (prop === 'begin' || prop === 'savepoint') {
        // The callback receives the transaction's own client: it must prepare too.
        return (...args: unknown[]) => {
          const body = args[args.length - 1] as Fn;
          args[args.length - 1] = (tx: postgres.TransactionSql) => body(preparingStatements(tx));
          return fn.apply(target, args);
        };
      }
      return fn.bind(target);
    },
  });
}
