// The related-articles reads (related-tiers.ts): the article, then one query per tier.
import { and, arrayContains, arrayOverlaps, desc, eq, isNull, ne, not, or, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { PublicLinks } from './public-article.js';
import { articleLive } from '../../db/schema/index.js';
import { selectLiveJson } from './article-reads.queries.js';
import { visibleAt } from './live.queries.js';
import type { RelatedTier } from './related-tiers.js';

export interface LiveRefs {
  id: number;
  categoryId: number | null;
  coverMediaId: number | null;
  tags: string[];
}

/** The live article by id or slug, with what related articles are found by. */
export async function findLiveRefs(db: Db, by: { id: number } | { slug: string }, now: Date): Promise<LiveRefs | undefined> {
  const [row] = await db
    .select({ id: articleLive.articleId, categoryId: articleLive.categoryId, coverMediaId: articleLive.coverMediaId, tags: articleLive.tags })
    .from(articleLive)
    .where(and('id' in by ? eq(articleLive.articleId, by.id) : eq(articleLive.slug, by.slug), visibleAt(now)))
    .limit(1);
  return row;
}

/** How many of `tags` a row's tags hold. */
const sharedCount = (tags: string[]) => sql`(SELECT count(DISTINCT t) FROM unnest(${articleLive.tags}) AS t WHERE t = ANY(${sql.param(tags)}::text[]))`;

function tierCondition(tier: RelatedTier, article: LiveRefs): SQL {
  const tags = article.tags;
  const category = tier.sameCategory ? eq(articleLive.categoryId, article.categoryId!) : article.categoryId === null ? sql`true` : or(isNull(articleLive.categoryId), ne(articleLive.categoryId, article.categoryId));
  let byTags: SQL | undefined;
  if (tier.shared === 0) byTags = tags.length > 0 ? not(arrayOverlaps(articleLive.tags, tags)) : undefined;
  else if (tier.shared === tags.length) byTags = arrayContains(articleLive.tags, tags);
  else {
    const contains = tier.containsOneOf ? or(...tier.containsOneOf.map((s) => arrayContains(articleLive.tags, s))) : arrayOverlaps(articleLive.tags, tags);
    byTags = and(contains, sql`${sharedCount(tags)} = ${tier.shared}`);
  }
  return and(category, byTags) as SQL;
}

/** One tier's newest `limit` live articles (not the article itself), as public JSON and refs. */
export function relatedTierQuery(db: Db, tier: RelatedTier, article: LiveRefs, limit: number, now: Date, links: PublicLinks) {
  return selectLiveJson(db, links, { id: articleLive.articleId, categoryId: articleLive.categoryId, coverMediaId: articleLive.coverMediaId })
    .where(and(visibleAt(now), ne(articleLive.articleId, article.id), tierCondition(tier, article)))
    .orderBy(desc(articleLive.publishedAt), desc(articleLive.articleId))
    .limit(limit);
}

export interface RelatedRow {
  json: string;
  id: number;
  categoryId: number | null;
  coverMediaId: number | null;
}
