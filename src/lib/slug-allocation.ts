import type { Db } from '../db/client.js';
import { dbErrorCode } from '../db/errors.js';
import { conflict } from './problem.js';
import { nextFreeSlug } from './slug.js';

/**
 * Runs `write(slug)` with the first free slug of base, base-2, … (API.md §5: a clash gets the
 * next number). When a concurrent writer takes that slug first, the insert waits for its commit
 * and fails with a unique violation; the slugs are read again (READ COMMITTED: the winner's is
 * visible now) and the next free number is tried. Every retry follows another writer's commit,
 * so N writers of one title end with base … base-N and nobody retries more than N-1 times.
 * An explicit slug is never renamed: a clash is a 409.
 */
export async function writeWithFreeSlug<T>(
  db: Db,
  base: string,
  explicit: boolean,
  takenLike: (base: string) => Promise<string[]>,
  /** Must write through `sp`: on postgres.js a failed query through the outer transaction fails it at commit. */
  write: (slug: string, sp: Db) => Promise<T>,
): Promise<T> {
  let failed: { slug: string; err: unknown } | undefined;
  for (;;) {
    const taken = await takenLike(base);
    if (explicit && taken.includes(base)) throw conflict(`The slug "${base}" is already in use.`, [{ path: 'slug', message: 'is taken' }]);
    const slug = explicit ? base : nextFreeSlug(base, taken);
    // The same slug again: the violation was not about a slug taken meanwhile.
    if (slug === failed?.slug) throw failed.err;
    try {
      // A savepoint per attempt: a unique violation must not abort the caller's transaction.
      return await db.transaction((sp) => write(slug, sp));
    } catch (err) {
      if (dbErrorCode(err) !== '23505') throw err;
      failed = { slug, err };
    }
  }
}
