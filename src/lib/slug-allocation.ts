import { randomBytes } from 'node:crypto';
import type { Db } from '../db/client.js';
import { dbErrorCode } from '../plugins/errors.js';
import { conflict } from './problem.js';
import { nextFreeSlug } from './slug.js';

/**
 * Runs `write(slug)` with the first free slug of base, base-2, …; when a concurrent writer takes
 * the same slug first (unique violation), it looks again. An explicit slug is never renamed:
 * a clash is a 409.
 */
export async function writeWithFreeSlug<T>(
  db: Db,
  base: string,
  explicit: boolean,
  takenLike: (base: string) => Promise<string[]>,
  /** Must write through `sp`: on postgres.js a failed query through the outer transaction fails it at commit. */
  write: (slug: string, sp: Db) => Promise<T>,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const taken = await takenLike(base);
    if (explicit && taken.includes(base)) throw conflict(`The slug "${base}" is already in use.`, [{ path: 'slug', message: 'is taken' }]);
    let slug = explicit ? base : nextFreeSlug(base, taken);
    // Many writers racing for the same title: stop queueing for the next number.
    if (!explicit && attempt >= 3) slug = `${slug}-${randomBytes(3).toString('hex')}`;
    try {
      // A savepoint per attempt: a unique violation must not abort the caller's transaction.
      return await db.transaction((sp) => write(slug, sp));
    } catch (err) {
      if (dbErrorCode(err) !== '23505' || attempt >= 6) throw err;
    }
  }
}
