import { arrayOverlaps, type SQL, sql } from 'drizzle-orm';
import type { articleLive, articles } from '../../db/schema/index.js';
import { descendantIdsBySlug } from '../categories/categories.queries.js';

/** `category` (a slug: the category and its descendants) or `tag` filters, on the working copy or the live version. */
export function taxonomyFilter(field: string, values: string[], categoryCol: typeof articles.categoryId | typeof articleLive.categoryId, tagsCol: typeof articles.tags | typeof articleLive.tags): SQL {
  // = ANY(ARRAY(…)) runs the tree walk once, as an init plan, and lets the ids drive an index.
  if (field === 'category') return sql`${categoryCol} = ANY(ARRAY${descendantIdsBySlug(values)})`;
  return arrayOverlaps(tagsCol, values);
}
