// The public read path is index-backed: EXPLAIN the very queries the service runs, on a few
// thousand articles, and look for sequential scans of the article tables.
import { sql } from 'drizzle-orm';
import t from 'tap';
import type { PGliteWorkerClient } from '../../src/db/pglite-client.js';
import type postgres from 'postgres';
import { parseListQuery } from '../../src/lib/list-query.js';
import { buildListPlan } from '../../src/lib/list-sql.js';
import * as q from '../../src/modules/articles/articles.queries.js';
import * as reads from '../../src/modules/articles/article-reads.queries.js';
import { visibleAt } from '../../src/modules/articles/live.queries.js';
import { ensureBenchCategories, insertPublishedArticles } from '../../src/seed/bulk-articles.js';
import { createTestDatabase } from '../helpers/database.js';
import { articleLive, articles } from '../../src/db/schema/index.js';
import { slugFamily } from '../../src/db/slug-family.js';
import { shownArticlesQuery } from '../../src/modules/collections/collections.queries.js';
import { relatedTiers } from '../../src/modules/articles/related-tiers.js';
import { findLiveRefs, relatedTierQuery } from '../../src/modules/articles/related.queries.js';
import { parseConfig } from '../../src/config.js';
import type { PublicLinks } from '../../src/modules/articles/public-article.js';
import { listFeedArticles } from '../../src/modules/feeds/feeds.queries.js';
import * as sitemaps from '../../src/modules/sitemaps/sitemaps.queries.js';

const tdb = await createTestDatabase();
t.teardown(() => tdb.drop());
const { db } = tdb.database;
const leaves = await ensureBenchCategories(db);
await insertPublishedArticles(db, { from: 1, count: 5000, categoryIds: leaves, authorId: null, newest: new Date() });
// 200 collections of 50 articles each: the public view must walk one collection's items by index.
await db.execute(sql`INSERT INTO collections (name, slug) SELECT 'Bộ ' || g, 'bo-' || g FROM generate_series(1, 200) AS g`);
await db.execute(sql`INSERT INTO collection_items (collection_id, position, article_id)
  SELECT c.id, p, 1 + ((c.id * 97 + p * 13) % 5000) FROM collections c CROSS JOIN generate_series(0, 49) AS p`);
// VACUUM merges the GIN pending lists that a bulk insert leaves, as autovacuum would.
await db.execute(sql`VACUUM ANALYZE`);

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

async function explain(query: Built['query']): Promise<PlanNode> {
  const { sql: text, params } = query.toSQL();
  const stmt = `EXPLAIN (FORMAT JSON) ${text}`;
  const values = params.map((p) => (p instanceof Date ? p.toISOString() : p));
  const rows =
    tdb.database.kind === 'pglite'
      ? (await (tdb.database.raw as PGliteWorkerClient).query<Record<string, unknown>>(stmt, values)).rows
      : await (tdb.database.raw as postgres.Sql).unsafe(stmt, values as never[]);
  const cell = Object.values(rows[0] as Record<string, unknown>)[0];
  return (typeof cell === 'string' ? JSON.parse(cell) : cell)[0].Plan as PlanNode;
}

function indexesUsed(node: PlanNode & { 'Index Name'?: string }): string[] {
  const own = node['Index Name'] ? [node['Index Name']] : [];
  return [...own, ...(node.Plans ?? []).flatMap((n) => indexesUsed(n))];
}

function seqScans(node: PlanNode): string[] {
  const own = node['Node Type'] === 'Seq Scan' && node['Relation Name'] ? [node['Relation Name']] : [];
  return [...own, ...(node.Plans ?? []).flatMap(seqScans)];
}

const ARTICLE_TABLES = ['articles', 'article_live', 'collection_items'];
const links: PublicLinks = { filePrefix: '/media/', articleUrl: parseConfig({}).site.articleUrl, timeZone: 'Asia/Ho_Chi_Minh' };
const site = parseConfig({}).site;
const thisMonth = new Date().toISOString().slice(0, 7);
const publicPage = async (query: Record<string, string | string[]>, fields?: string[]) => {
  const plan = await buildListPlan(parseListQuery(query, reads.publicArticleListSpec), reads.publicArticleListSpec, visibleAt(new Date()));
  // Wrapped: a Drizzle query is a thenable, and awaiting it would run it.
  return { query: reads.livePageJsonQuery(db, plan, links, fields) };
};
const staffPage = async (query: Record<string, string | string[]>) => {
  const plan = await buildListPlan(parseListQuery(query, q.staffArticleListSpec), q.staffArticleListSpec);
  return { query: reads.workingPageJsonQuery(db, plan, new Date(), '/media/') };
};
type Built = { query: { toSQL(): { sql: string; params: unknown[] } } };

const cases: Array<[string, () => Promise<Built>]> = [
  ['public list, page 1', () => publicPage({})],
  ['public category page', () => publicPage({ category: 'nong-nghiep', _start: '0', _end: '20' })],
  // The teaser page of API.md §10: only the fields it names (sparse-fields.ts).
  ['public category teaser page', () => publicPage({ category: 'nong-nghiep', _start: '0', _end: '20' }, ['id', 'title', 'slug', 'url', 'summary', 'category', 'cover', 'publishedAt'])],
  ['public second page by offset', () => publicPage({ _start: '20', _end: '40' })],
  // A place and a subject: a realistic search that matches a few dozen of the 5,000 articles.
  ['public tag', () => publicPage({ tag: 'Đồng Tháp' })],
  ['public search for a commune', () => publicPage({ q: 'tan hong' })],
  ['public article by slug', async () => ({ query: reads.liveArticlesJsonQuery(db, 'slug', ['some-article-42'], new Date(), links) })],
  ['public article by id', async () => ({ query: reads.liveArticlesJsonQuery(db, 'id', [42], new Date(), links) })],
  // Concurrent requests share one statement (batched-lookup.ts).
  ['public articles by slug, a batch', async () => ({ query: reads.liveArticlesJsonQuery(db, 'slug', ['a-1', 'b-2', 'c-3', 'd-4'], new Date(), links) })],
  ['public articles by id, a batch', async () => ({ query: reads.liveArticlesJsonQuery(db, 'id', [1, 2, 3, 4], new Date(), links) })],
  ['staff list, newest changes first', () => staffPage({ _start: '0', _end: '25', _sort: 'updatedAt', _order: 'DESC' })],
  // The benchmark's admin-UI list: a status and a category (with its subcategories) filter.
  ['staff list, status and category filter', () => staffPage({ _start: '0', _end: '25', _sort: 'updatedAt', _order: 'DESC', status: 'published', category: 'kinh-te' })],
  // An any-of list is one array parameter (= ANY($1::integer[])), not an IN list per length.
  ['public list, any of 40 ids', () => publicPage({ id: Array.from({ length: 40 }, (_, i) => String(i * 97 + 1)) })],
  ['staff list, any of 40 ids', () => staffPage({ id: Array.from({ length: 40 }, (_, i) => String(i * 97 + 1)) })],
  ['staff list, any of two categories', () => staffPage({ category: ['kinh-te', 'nong-nghiep'] })],
  ['public collection view', async () => ({ query: shownArticlesQuery(db, 7, 20, new Date(), links) })],
  // Feeds and sitemaps (issue 17): the newest of a filter, a month in keyset batches, 48 hours.
  // (A month's first batch is not here: the 5,000 articles above span two days, all in one month,
  // where reading the table and sorting is the right plan; at 1,000,000 a month is a range.)
  ['feed, site-wide', async () => ({ query: listFeedArticles(db, site, {}, 50, new Date()) })],
  ['feed of a category', async () => ({ query: listFeedArticles(db, site, { category: 'kinh-te' }, 50, new Date()) })],
  ['feed of a tag', async () => ({ query: listFeedArticles(db, site, { tag: 'Đồng Tháp' }, 50, new Date()) })],
  ['sitemap month, a later batch', async () => ({ query: sitemaps.listMonthArticles(db, site, thisMonth, { at: new Date(Date.now() - 3600_000).toISOString(), id: 10 }, 2000, new Date(), '/media/') })],
  ['google news sitemap', async () => ({ query: sitemaps.listNewsArticles(db, site, new Date(), 1000) })],
];

// Related articles: every tier query (related-tiers.ts) of a seeded article, two tags and a category.
// The service plans these with their values (related.service.ts: force_custom_plan); a generic
// plan of a tier "these tags, in this category" may still AND the category's index with the
// tags': both are index lookups, which is what this file checks.
const BITMAP_AND_INTENDED = new Set<string>();
const relatedOf = (await findLiveRefs(db, { id: 42 }, new Date()))!;
for (const [i, tier] of relatedTiers(relatedOf.tags, relatedOf.categoryId).entries()) {
  const name = `related articles, tier ${i + 1} (${tier.shared} shared tags, ${tier.sameCategory ? 'same' : 'other'} category)`;
  if (tier.sameCategory && tier.shared > 0) BITMAP_AND_INTENDED.add(name);
  cases.push([name, async () => ({ query: relatedTierQuery(db, tier, relatedOf, 5, new Date(), links) })]);
}

function nodeTypes(node: PlanNode): string[] {
  return [node['Node Type'], ...(node.Plans ?? []).flatMap(nodeTypes)];
}

/**
 * The plan PostgreSQL reuses for a prepared statement after a few runs: planned without the
 * parameter values (postgres.js prepares every statement, see prepared-statements.ts).
 */
async function explainGeneric(query: Built['query']): Promise<PlanNode> {
  const { sql: text, params } = query.toSQL();
  const values = params.map((p) => (p instanceof Date ? p.toISOString() : p));
  const conn = await (tdb.database.raw as postgres.Sql).reserve();
  try {
    // The parameter types PostgreSQL infers for the statement, as postgres.js prepares it.
    const { types } = await conn.unsafe(text, values as never[]).describe();
    const names = await conn.unsafe('SELECT format_type(t, NULL) AS name FROM unnest($1::oid[]) WITH ORDINALITY AS u(t, i) ORDER BY i', [types as never]);
    await conn.unsafe('SET plan_cache_mode = force_generic_plan');
    const typeList = names.length ? `(${names.map((n) => n.name).join(', ')})` : '';
    await conn.unsafe(`PREPARE generic_plan${typeList} AS ${text}`);
    // EXECUTE takes no parameters of its own: the values go in as typed literals.
    const args: string[] = [];
    for (const [i, v] of values.entries()) {
      const [{ lit }] = await conn.unsafe(`SELECT quote_literal(($1::${names[i].name})::text) AS lit`, [v as never]);
      args.push(`${lit}::${names[i].name}`);
    }
    const rows = await conn.unsafe(`EXPLAIN (FORMAT JSON) EXECUTE generic_plan${args.length ? `(${args.join(', ')})` : ''}`);
    return (Object.values(rows[0] as Record<string, unknown>)[0] as Array<{ Plan: PlanNode }>)[0].Plan;
  } finally {
    await conn.unsafe('DEALLOCATE ALL');
    await conn.unsafe('RESET plan_cache_mode');
    conn.release();
  }
}

for (const [name, build] of cases) {
  t.test(name, async (t) => {
    const plan = await explain((await build()).query);
    const scans = seqScans(plan).filter((r) => ARTICLE_TABLES.includes(r));
    t.same(scans, [], `no sequential scan of the article tables (${JSON.stringify(plan).slice(0, 300)}…)`);
  });
  t.test(`${name}: the generic plan of the prepared statement`, { skip: tdb.database.kind !== 'postgres' && 'prepared statements are a PostgreSQL matter' }, async (t) => {
    const plan = await explainGeneric((await build()).query);
    t.same(seqScans(plan).filter((r) => ARTICLE_TABLES.includes(r)), [], `no sequential scan (${JSON.stringify(plan).slice(0, 300)}…)`);
    // "visible_from <= $1" looks selective without its value: an index on it must not be ANDed in.
    if (BITMAP_AND_INTENDED.has(name)) t.ok(indexesUsed(plan).includes('article_live_tags_idx'), `the tags' index (${indexesUsed(plan)})`);
    else t.notOk(nodeTypes(plan).includes('BitmapAnd'), `no BitmapAnd (${indexesUsed(plan)})`);
  });
}

t.test('an any-of id list is answered by the id index', async (t) => {
  const ids = Array.from({ length: 40 }, (_, i) => String(i * 97 + 1));
  for (const [name, build, index] of [
    ['public', () => publicPage({ id: ids }), 'article_live_article_id_idx'],
    ['staff', () => staffPage({ id: ids }), 'articles_pkey'],
  ] as const) {
    const query = (await build()).query;
    t.match(query.toSQL().sql, /= ANY\(\$\d+::integer\[\]\)/, `${name}: one array parameter`);
    const plans = [await explain(query)];
    if (tdb.database.kind === 'postgres') plans.push(await explainGeneric(query));
    for (const plan of plans) t.ok(indexesUsed(plan).includes(index), `${name}: ${indexesUsed(plan)}`);
  }
});

// Searching a word that few articles contain: the search index answers it. (For a word in
// every tenth article of a few thousand, reading the small table is cheaper and PostgreSQL
// rightly does that; at 100,000 articles the benchmark's search uses the index.)
t.test('public search uses the search index', async (t) => {
  await db.execute(sql`UPDATE article_live SET title = 'Khánh thành cầu Rạch Miễu' WHERE article_id IN (SELECT article_id FROM article_live ORDER BY article_id LIMIT 3)`);
  await db.execute(sql`VACUUM ANALYZE article_live`);
  const plan = await explain((await publicPage({ q: 'rach mieu' })).query);
  t.same(seqScans(plan).filter((r) => ARTICLE_TABLES.includes(r)), []);
  t.ok(indexesUsed(plan).includes('article_live_search_vector_idx'), `uses the search vector index: ${indexesUsed(plan)}`);
  const found = (await (await publicPage({ q: 'rach mieu' })).query) as Array<{ json: string }>;
  t.equal(found.length, 3, JSON.stringify(found.map((r) => JSON.parse(r.json).title)));
});

t.test('a batch of articles is one index lookup per key, in the plan the pipelined connection keeps', { skip: tdb.database.kind !== 'postgres' && 'prepared statements are a PostgreSQL matter' }, async (t) => {
  for (const [key, values, index] of [
    ['slug', ['a-1', 'b-2', 'c-3'], 'article_live_slug_idx'],
    ['id', [1, 2, 3], 'article_live_article_id_idx'],
  ] as const) {
    const plan = await explainGeneric(reads.liveArticlesJsonQuery(db, key, values as never, new Date(), links));
    t.ok(indexesUsed(plan).includes(index), `${key}: ${indexesUsed(plan)}`);
    // Each key drives its own lookup: a nested loop over the keys, no bitmap of all matches.
    t.equal(plan['Node Type'], 'Nested Loop', nodeTypes(plan).join());
    t.equal(plan.Plans?.[0]['Node Type'], 'Function Scan', nodeTypes(plan).join());
    t.notOk(nodeTypes(plan).some((n) => n.startsWith('Bitmap')), nodeTypes(plan).join());
  }
});

t.test('a deep keyset page uses the index in order, like page 1', async (t) => {
  const rows = await (await publicPage({ _limit: '20' })).query;
  const plan1 = await buildListPlan(parseListQuery({ _limit: '20' }, reads.publicArticleListSpec), reads.publicArticleListSpec, visibleAt(new Date()));
  const last = rows.at(-1)!;
  const cursor = plan1.cursorAfter!({ ...last, id: Number(last.id) });
  const deep = (await publicPage({ _limit: '20', _cursor: cursor })).query;
  t.same(seqScans(await explain(deep)).filter((r) => ARTICLE_TABLES.includes(r)), []);
});

// Creating an article looks up the slugs that clash with its base: a range of the slug index,
// also in the generic plan (a LIKE with the pattern as a parameter read the whole index).
t.test('the slug clash lookup is a range of the slug index, custom and generic plan', async (t) => {
  for (const [table, column] of [[articles, articles.slug], [articleLive, articleLive.slug]] as const) {
    const query = db.select({ slug: column }).from(table).where(slugFamily(column, 'ky-hop-hdnd-tan-hong'));
    const plans = [await explain(query)];
    if (tdb.database.kind === 'postgres') plans.push(await explainGeneric(query));
    for (const plan of plans) {
      const text = JSON.stringify(plan);
      t.same(seqScans(plan), []);
      t.match(text, /"Index Cond":"[^"]*~>=~/, `the range is an index condition: ${text.slice(0, 400)}`);
    }
  }
});

// Short queries, many at once: parallel workers would only compete for the same cores.
t.test('the service runs its queries without parallel workers', { skip: tdb.database.kind !== 'postgres' && 'a PostgreSQL setting' }, async (t) => {
  const [row] = await (tdb.database.raw as postgres.Sql).unsafe('SHOW max_parallel_workers_per_gather');
  t.equal(row.max_parallel_workers_per_gather, '0');
});
