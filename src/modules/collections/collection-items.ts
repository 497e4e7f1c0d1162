// The rules of a collection's `items` (API.md §10), pure: no database, no Fastify.
import type { FieldError } from '../../lib/problem.js';

/** Ids a collection may hold (more than it shows: the next ones move up). */
export const MAX_ITEMS = 200;
/** Articles its public view may show (maxItems). */
export const MAX_SHOWN = 100;

/** The first id that appears twice, as an error keyed on `items`; null when each appears once. */
export function duplicateItem(items: readonly number[]): FieldError | null {
  const seen = new Set<number>();
  for (const id of items) {
    if (seen.has(id)) return { path: 'items', message: `holds article ${id} more than once` };
    seen.add(id);
  }
  return null;
}

/** The ids of `items` that name no article, as an error keyed on `items`; null when all exist. */
export function unknownItems(items: readonly number[], existing: ReadonlySet<number>): FieldError | null {
  const missing = items.filter((id) => !existing.has(id));
  if (missing.length === 0) return null;
  const shown = missing.slice(0, 10).join(', ');
  return { path: 'items', message: `names ${missing.length === 1 ? 'an article that does' : 'articles that do'} not exist: ${shown}${missing.length > 10 ? ', …' : ''}` };
}
