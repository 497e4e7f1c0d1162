import { dbErrorCode } from '../plugins/errors.js';
import { conflict } from './problem.js';
import { nextFreeSlug } from './slug.js';

/**
 * Runs `write(slug)` with the first free slug of base, base-2, …; when a concurrent writer takes
 * the same slug first (unique violation), it looks again. An explicit slug is never renamed:
 * a clash is a 409.
 */
export async function writeWithFreeSlug<T>(
  base: string,
  explicit: boolean,
  takenLike: (base: string) => Promise<string[]>,
  write: (slug: string) => Promise<T>,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const taken = await takenLike(base);
    if (explicit && taken.includes(base)) throw conflict(`The slug "${base}" is already in use.`, [{ path: 'body.slug', message: 'is taken' }]);
    const slug = explicit ? base : nextFreeSlug(base, taken);
    try {
      return await write(slug);
    } catch (err) {
      if (dbErrorCode(err) !== '23505' || attempt >= 4) throw err;
    }
  }
}
