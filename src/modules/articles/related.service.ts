import { sql } from 'drizzle-orm';
import type { AppContext } from '../../context.js';
import { notFound } from '../../lib/problem.js';
import { isIdLike } from '../../lib/slug.js';
import { relatedKeys } from '../cache-keys.js';
import { publicLinks } from './public-article.js';
import { relatedTiers } from './related-tiers.js';
import { findLiveRefs, type RelatedRow, relatedTierQuery } from './related.queries.js';

export const DEFAULT_RELATED = 5;
export const MAX_RELATED = 20;

/** Related live articles as the JSON array to send (public shape), and its surrogate keys. */
export async function getRelatedArticles(ctx: AppContext, idOrSlug: string, limit: number): Promise<{ json: Buffer; keys: string[] }> {
  const now = ctx.now();
  const by = isIdLike(idOrSlug) ? { id: Number(idOrSlug) } : { slug: idOrSlug.normalize('NFC') };
  // One snapshot for the article and every tier. Each statement is planned for its values: the
  // generic plan that PostgreSQL switches a prepared statement to after five runs cannot know how
  // common the tags are, and ANDs the whole category's index into every lookup (3× slower
  // measured at 100,000 articles).
  return ctx.db.transaction(async (tx) => {
    await tx.execute(sql`SET LOCAL plan_cache_mode = force_custom_plan`);
    const found = await findLiveRefs(tx, by, now);
    if (!found) throw notFound('Article');
    // Tags written by other paths than the API (bulk seeds) may repeat one: the tiers count distinct tags.
    const article = { ...found, tags: [...new Set(found.tags)] };
    const rows: RelatedRow[] = [];
    for (const tier of relatedTiers(article.tags, article.categoryId)) {
      if (rows.length >= limit) break;
      rows.push(...((await relatedTierQuery(tx, tier, article, limit - rows.length, now, publicLinks(ctx))) as RelatedRow[]));
    }
    return { json: Buffer.from(`[${rows.map((r) => r.json).join(',')}]`), keys: relatedKeys(article, rows) };
  });
}
