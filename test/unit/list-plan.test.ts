// ListPlan.bounded: which public list pages go on the pipelined read connection (src/db/client.ts).
import t from 'tap';
import { parseListQuery } from '../../src/lib/list-query.js';
import { buildListPlan } from '../../src/lib/list-sql.js';
import { publicArticleListSpec as spec } from '../../src/modules/articles/article-reads.queries.js';

const bounded = async (query: Record<string, string>) => (await buildListPlan(parseListQuery(query, spec), spec)).bounded;

t.test('pages that cost the same whatever the data are bounded', async (t) => {
  t.equal(await bounded({}), true, 'page 1, default order');
  t.equal(await bounded({ _start: '960', _end: '1000' }), true, 'up to row 1,000');
  t.equal(await bounded({ _sort: 'publishedAt', _order: 'DESC' }), true, 'the default order, spelled out');
  t.equal(await bounded({ id: '3' }), true, 'equality');
  t.equal(await bounded({ publishedAt_gte: '2026-01-01T00:00:00Z', publishedAt_lte: '2026-02-01T00:00:00Z' }), true, 'a range');
  const first = await buildListPlan(parseListQuery({ _limit: '20' }, spec), spec);
  const cursor = first.cursorAfter!({ publishedAt: '2026-01-01T00:00:00.000Z', id: 5 });
  t.equal(await bounded({ _limit: '20', _cursor: cursor }), true, 'a keyset page, however deep');
});

t.test('pages whose cost grows with the data are not', async (t) => {
  t.equal(await bounded({ _start: '990', _end: '1010' }), false, 'past row 1,000');
  t.equal(await bounded({ q: 'tan hong' }), false, 'a search');
  t.equal(await bounded({ q: 'tan hong', _sort: 'publishedAt', _order: 'DESC' }), false, 'a search in date order');
  t.equal(await bounded({ title_like: 'tan' }), false, '_like');
  t.equal(await bounded({ id_ne: '3' }), false, '_ne');
  t.equal(await bounded({ _sort: 'title', _order: 'ASC' }), false, 'another order');
  t.equal(await bounded({ _sort: 'publishedAt', _order: 'ASC' }), false, 'the other direction');
});

// Each length of an id list used to be a statement of its own (`IN ($1, …, $n)`), so a client
// could fill the prepared-statement caches by counting up (issue 15, item 4).
t.test('an any-of filter is one statement shape whatever the number of values', async (t) => {
  const { PgDialect } = await import('drizzle-orm/pg-core');
  const dialect = new PgDialect();
  const where = async (query: Record<string, string | string[]>) => {
    const plan = await buildListPlan(parseListQuery(query, spec), spec);
    return dialect.sqlToQuery(plan.where!);
  };
  const ids = (n: number) => Array.from({ length: n }, (_, i) => String(i + 1));
  const two = await where({ id: ids(2) });
  for (const n of [3, 50, 100]) {
    const many = await where({ id: ids(n) });
    t.equal(many.sql, two.sql, `${n} ids`);
    t.equal(many.params.length, 1, 'one array parameter');
  }
  t.match(two.sql, /= ANY\(\$1::integer\[\]\)/);
  t.same((await where({ id: ids(3) })).params, ['{1,2,3}']);
  // Text values are quoted inside the array literal, whatever they hold.
  const titles = await where({ title: ['a"b', 'c\\d', 'NULL', '{x,y}'] });
  t.same(titles.params, ['{"a\\"b","c\\\\d","NULL","{x,y}"}']);
  t.equal((await where({ id_ne: ids(7) })).sql, (await where({ id_ne: ids(70) })).sql, '_ne too');
  t.equal((await where({ category: ['a', 'b'] })).sql, (await where({ category: ['a', 'b', 'c', 'd'] })).sql, 'the category filter too');
});
