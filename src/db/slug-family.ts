// The slugs that clash with a base slug: the base itself and base-N. Written as a byte-wise range
// (~>=~ / ~<~, the text_pattern_ops operators) rather than LIKE 'base-%': a prepared statement
// with the pattern as a parameter cannot turn LIKE into an index range, and outside the "C"
// collation even a literal pattern cannot; with a million articles that was a full index scan
// on every create. Slugs are ASCII, so 'base-' <= s < 'base.' is exactly "starts with base-".
import { type SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';

export function slugFamily(column: PgColumn, base: string): SQL {
  return sql`(${column} = ${base} OR (${column} ~>=~ ${`${base}-`} AND ${column} ~<~ ${`${base}.`}))`;
}
