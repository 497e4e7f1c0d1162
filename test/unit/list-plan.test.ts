// ListPlan.bounded: which public list pages go on the pipelined read connection (src/db/client.ts).
import t from 'tap';
import { parseListQuery } from '../../src/lib/list-query.js';
import { buildListPlan } from '../../src/lib/list-sql.js';
import { publicArticleListSpec as spec } from '../../src/modules/articles/articles.queries.js';

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
