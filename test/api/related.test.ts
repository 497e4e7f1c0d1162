// Related articles (API.md §10): ranked by shared tags, then the same category, then newest;
// never the article itself; only live articles; cached and evicted like other public reads.
import t from 'tap';
import { createTestApp } from '../helpers/app.js';
import { articleIn, transition } from '../helpers/articles.js';

const ta = await createTestApp({ SCHEDULER_INTERVAL_MS: '0' });
t.teardown(() => ta.close());
const get = (url: string) => ta.app.inject({ method: 'GET', url });
const ids = (res: { json(): Array<{ id: number }> }) => res.json().map((a) => a.id);

const [A, B, C] = ['Sen Đồng Tháp', 'Xoài Cao Lãnh', 'Lúa mùa nổi'];
const cat = async (name: string) => (await ta.req('editor', { method: 'POST', url: '/api/v1/categories', payload: { name } })).json().id as number;
const home = await cat('Nông nghiệp sạch');
const other = await cat('Du lịch sông nước');

// Published in this order, so each is newer than the one before.
const r1 = await articleIn(ta, 'published', { tags: [A, B, C], categoryId: other });
const r2 = await articleIn(ta, 'published', { tags: [A, B], categoryId: home });
const r2b = await articleIn(ta, 'published', { tags: [C, B], categoryId: home });
const r3 = await articleIn(ta, 'published', { tags: [A, B], categoryId: other });
const r4 = await articleIn(ta, 'published', { tags: [C], categoryId: home });
const r5 = await articleIn(ta, 'published', { tags: [A, 'Khác'], categoryId: other });
const r6 = await articleIn(ta, 'published', { tags: [], categoryId: home });
const unrelated = await articleIn(ta, 'published', { tags: ['Khác'], categoryId: other });
const draft = await articleIn(ta, 'approved', { tags: [A, B, C], categoryId: home });
const me = await articleIn(ta, 'published', { tags: [A, B, C], categoryId: home });

t.test('ranked by shared tags, then the same category, then newest; never itself, only live', async (t) => {
  const res = await get(`/api/v1/articles/${me.slug}/related?limit=20`);
  t.equal(res.statusCode, 200);
  t.same(ids(res), [r1.id, r2b.id, r2.id, r3.id, r4.id, r5.id, r6.id]);
  t.notOk(ids(res).includes(me.id), 'never itself');
  t.notOk(ids(res).includes(draft.id), 'not live: left out');
  t.notOk(ids(res).includes(unrelated.id), 'no shared tag, another category: not related');
  t.same(res.json()[0], (await get(`/api/v1/articles/${r1.id}`)).json(), 'the public article shape');
  t.match(res.headers['cache-control'], /public/);
  t.same(ids(await get(`/api/v1/articles/${me.id}/related?limit=3`)), [r1.id, r2b.id, r2.id], 'limit, by id too');
  t.equal(ids(await get(`/api/v1/articles/${me.id}/related`)).length, 5, 'five by default');
});

t.test('unknown or non-live → 404; a limit outside 1–20 → 400 keyed on query.limit', async (t) => {
  t.equal((await get('/api/v1/articles/khong-co-bai-nay/related')).statusCode, 404);
  t.equal((await get('/api/v1/articles/99999999/related')).statusCode, 404);
  t.equal((await get(`/api/v1/articles/${draft.id}/related`)).statusCode, 404);
  for (const limit of ['21', '0', 'abc']) {
    const res = await get(`/api/v1/articles/${me.id}/related?limit=${limit}`);
    t.equal(res.statusCode, 400, `limit=${limit}`);
    t.ok(res.json().errors && 'query.limit' in res.json().errors, JSON.stringify(res.json().errors));
  }
});

t.test('cached, and evicted when an article in the answer, a new candidate or the article itself changes', async (t) => {
  const url = `/api/v1/articles/${me.id}/related?limit=3`;
  await get(url);
  const hit = await get(url);
  t.equal(hit.headers['x-cache'], 'hit');
  t.match(hit.headers['surrogate-key'], new RegExp(`(^| )article-${r1.id}( |$)`));
  await transition(ta, 'editor', r1.id, 'unpublish');
  t.same(ids(await get(url)), [r2b.id, r2.id, r3.id], 'an article in the answer unpublished');
  await get(url);
  const fresh = await articleIn(ta, 'published', { tags: [B, C, A], categoryId: home });
  t.same(ids(await get(url)), [fresh.id, r2b.id, r2.id], 'a newly published article that ranks first');
  await get(url);
  await transition(ta, 'editor', me.id, 'archive');
  t.equal((await get(url)).statusCode, 404, 'the article itself archived');
});
