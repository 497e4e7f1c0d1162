// API.md §10: every public response names its surrogate keys (Surrogate-Key and Cache-Tag), hits
// replay them, and every webhook payload names the keys its event changed (purge.keys).
import t, { type Test } from 'tap';
import { createTestApp } from '../helpers/app.js';
import { articleIn, transition } from '../helpers/articles.js';
import { fetchUrl, png, upload } from '../helpers/media.js';
import { type Received, startReceiver } from '../helpers/webhook-receiver.js';
import { createHook, retire } from '../helpers/webhooks.js';

const ta = await createTestApp({ SCHEDULER_INTERVAL_MS: '0', WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true', WEBHOOK_POLL_MS: '50', WEBHOOK_TIMEOUT_MS: '2000' });
t.teardown(() => ta.close());
const get = (url: string) => ta.app.inject({ method: 'GET', url });

const keysOf = (res: { headers: Record<string, unknown> }) => String(res.headers['surrogate-key'] ?? '').split(' ').filter(Boolean).sort();

function sameKeys(t: Test, res: { headers: Record<string, unknown> }, expected: string[], what: string) {
  t.same(keysOf(res), [...expected].sort(), `${what}: Surrogate-Key`);
  t.equal(res.headers['cache-tag'], res.headers['surrogate-key'], `${what}: Cache-Tag is the same`);
}

const cat = (await ta.req('editor', { method: 'POST', url: '/api/v1/categories', payload: { name: 'Kinh tế' } })).json() as { id: number; slug: string };
const media = (await upload(ta, 'editor', { filename: 'bia.png', data: await png(), contentType: 'image/png' })).json() as { id: number; url: string };
const a = await articleIn(ta, 'published', { title: 'Giá lúa', categoryId: cat.id, coverMediaId: media.id });
const b = await articleIn(ta, 'published', { title: 'Giá cá' });

t.test('each public route names what it shows, and a hit says the same', async (t) => {
  const routes: Array<[string, string[]]> = [
    [`/api/v1/articles/${a.slug}`, [`article-${a.id}`, `category-${cat.id}`, `media-${media.id}`]],
    [`/api/v1/articles/${a.id}`, [`article-${a.id}`, `category-${cat.id}`, `media-${media.id}`]],
    [`/api/v1/articles/${b.id}`, [`article-${b.id}`]],
    ['/api/v1/articles', ['articles', `article-${a.id}`, `article-${b.id}`]],
    [`/api/v1/articles?category=${cat.slug}`, ['articles', `article-${a.id}`]],
    ['/api/v1/articles?category=nothing-here', ['articles']],
    ['/api/v1/categories', ['categories', `category-${cat.id}`]],
    [`/api/v1/categories/${cat.slug}`, ['categories', `category-${cat.id}`]],
  ];
  for (const [url, keys] of routes) {
    const miss = await get(url);
    t.equal(miss.statusCode, 200, url);
    sameKeys(t, miss, keys, url);
    const hit = await get(url);
    t.equal(hit.headers['x-cache'], 'hit', `${url}: cached`);
    sameKeys(t, hit, keys, `${url} (hit)`);
  }
  const file = await fetchUrl(ta, media.url);
  t.equal(file.statusCode, 200);
  sameKeys(t, file, [`media-${media.id}`], 'media file');
});

t.test('staff answers carry no public keys and are never cached', async (t) => {
  const staff = await ta.req('editor', { method: 'GET', url: '/api/v1/articles' });
  t.equal(staff.headers['surrogate-key'], undefined);
  t.equal(staff.headers['x-cache'], undefined);
});

t.test('a change evicts exactly what names its keys', async (t) => {
  for (const url of [`/api/v1/articles/${a.id}`, `/api/v1/articles/${b.id}`, '/api/v1/categories']) {
    await get(url);
    t.equal((await get(url)).headers['x-cache'], 'hit', url);
  }
  await ta.req('editor', { method: 'PATCH', url: `/api/v1/media/${media.id}`, payload: { alt: 'Ruộng lúa' } });
  const after = await get(`/api/v1/articles/${a.id}`);
  t.equal(after.headers['x-cache'], undefined, 'the article showing the cover is read again');
  t.equal(after.json().cover.alt, 'Ruộng lúa');
  t.equal((await get(`/api/v1/articles/${b.id}`)).headers['x-cache'], 'hit', 'another article stays cached');
  t.equal((await get('/api/v1/categories')).headers['x-cache'], 'hit', 'categories stay cached');
});

t.test('webhook payloads name the keys to purge', async (t) => {
  const receiver = await startReceiver();
  const hook = await createHook(ta, receiver.url, ['article.published', 'article.updated', 'article.archived', 'category.updated', 'media.updated']);
  t.teardown(async () => {
    await retire(ta, hook.id);
    await receiver.close();
  });
  const other = (await ta.req('editor', { method: 'POST', url: '/api/v1/categories', payload: { name: 'Xã hội' } })).json() as { id: number };
  const c = await articleIn(ta, 'approved', { title: 'Tin mới', categoryId: cat.id });
  await transition(ta, 'editor', c.id, 'publish');
  // Moved to another category and published again: both categories changed.
  await ta.req('editor', { method: 'PATCH', url: `/api/v1/articles/${c.id}`, payload: { categoryId: other.id } });
  for (const action of ['submit', 'approve', 'publish']) await transition(ta, 'editor', c.id, action);
  await transition(ta, 'editor', c.id, 'archive');
  await ta.req('editor', { method: 'PATCH', url: `/api/v1/categories/${cat.id}`, payload: { name: 'Kinh tế - Thị trường' } });
  await ta.req('editor', { method: 'PATCH', url: `/api/v1/media/${media.id}`, payload: { caption: 'Mùa gặt' } });

  const byType = (all: Received[], type: string) => all.find((r) => r.body.type === type);
  const all = await receiver.waitFor((got) => ['article.published', 'article.updated', 'article.archived', 'category.updated', 'media.updated'].every((ty) => byType(got, ty)));
  const purge = (type: string) => byType(all, type)!.body.purge.keys.slice().sort();
  t.same(purge('article.published'), ['articles', `article-${c.id}`, `category-${cat.id}`].sort());
  t.same(purge('article.updated'), ['articles', `article-${c.id}`, `category-${cat.id}`, `category-${other.id}`].sort(), 'old and new category');
  t.same(purge('article.archived'), ['articles', `article-${c.id}`, `category-${other.id}`].sort());
  t.same(purge('category.updated'), ['articles', 'categories', `category-${cat.id}`].sort(), 'article JSON embeds category names');
  t.same(purge('media.updated'), [`article-${a.id}`, `media-${media.id}`].sort(), 'the articles whose live version shows it as cover');
});
