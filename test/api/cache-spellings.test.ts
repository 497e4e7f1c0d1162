// API.md §5: once an article leaves the public, no spelling of any URL that showed it returns the
// old content from the cache. Each spelling is read (and cached) first, then the article is
// archived, then every spelling is read again: through inject (Fastify's routing) and through a
// real socket (the pre-routing fast path, which inject never takes).
import { request as httpRequest } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import t, { type Test } from 'tap';
import type { FastifyInstance } from 'fastify';
import { createTestApp } from '../helpers/app.js';
import { articleIn, transition } from '../helpers/articles.js';

const ta = await createTestApp({ SCHEDULER_INTERVAL_MS: '0' });
t.teardown(() => ta.close());

interface Answer {
  status: number;
  headers: Record<string, unknown>;
  body: string;
}
type Getter = (url: string) => Promise<Answer>;

const viaInject = (app: FastifyInstance): Getter => async (url) => {
  const res = await app.inject({ method: 'GET', url });
  return { status: res.statusCode, headers: res.headers, body: res.body };
};

/** The path exactly as written: fetch() and URL would normalise some spellings away. */
const viaSocket = (port: number): Getter => (path) =>
  new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end();
  });

/** `slug` with some letters percent-encoded, in either case of hex: 2^positions spellings. */
function spellingsOf(slug: string): string[] {
  const letters = [...slug].map((c, i) => (/[a-z]/.test(c) ? i : -1)).filter((i) => i >= 0).slice(0, 6);
  const out: string[] = [];
  for (let mask = 0; mask < 1 << letters.length; mask++) {
    const chars = [...slug];
    letters.forEach((pos, j) => {
      if (!(mask & (1 << j))) return;
      const hex = chars[pos].charCodeAt(0).toString(16);
      chars[pos] = `%${(mask + j) % 2 ? hex.toUpperCase() : hex}`;
    });
    out.push(chars.join(''));
  }
  return out;
}

/** Does this answer show the article? */
function shows(answer: Answer, id: number): boolean {
  if (answer.status !== 200) return false;
  const json = JSON.parse(answer.body) as { id?: number } | Array<{ id: number }>;
  return Array.isArray(json) ? json.some((a) => a.id === id) : json.id === id;
}

async function setUp(label: string) {
  const cat = (await ta.req('editor', { method: 'POST', url: '/api/v1/categories', payload: { name: `Nông nghiệp ${label}` } })).json() as { id: number; slug: string };
  const a = await articleIn(ta, 'published', { title: `Lúa mùa ở Long Khánh ${label}`, categoryId: cat.id, tags: ['Lúa gạo'] });
  const s = a.slug;
  const catSpelled = cat.slug.replace('n', '%6E').replace('g', '%67');
  // One request (the article by slug) spelled in 71 ways.
  const slugSpellings = [
    `/api/v1/%61rticles/${s}`, `/api/v1/artic%6Ces/${s}`, `/api/v1/artic%6ces/${s}`, `/api/v1/articles/${s}/`,
    `/api/v1/articles/${s.replace(/-/g, '%2D')}`, `/api/v1/articles/${s.replace(/-/g, '%2d')}`, `/api/v1/%61rticles/${s.replace(/-/g, '%2d')}/`,
    ...spellingsOf(s).map((sp) => `/api/v1/articles/${sp}`),
  ];
  const details = [
    ...slugSpellings, `/api/v1/articles/${a.id}`, `/api/v1/%61rticles/${a.id}/`, `/api/v1/articles/%3${String(a.id)[0]}${String(a.id).slice(1)}`,
    `/api/v1/articles/${s}?x=1`, `/api/v1/articles/${s}?%78=1`,
  ];
  const lists = [
    '/api/v1/articles', '/api/v1/articles/', '/api/v1/%61rticles', '/api/v1/%61rticles/', `/api/v1/articles?category=${cat.slug}`,
    `/api/v1/articles?category=${catSpelled}`, `/api/v1/articles?%63ategory=${cat.slug}`, `/api/v1/articles/?c%61tegory=${cat.slug}`,
    `/api/v1/articles?_sort=publishedAt&_order=DESC&category=${cat.slug}`, `/api/v1/articles?category=${cat.slug}&_order=DESC&_sort=publishedAt`,
    `/api/v1/articles?_order=%44ESC&category=${cat.slug}&%5Fsort=publishedAt`, '/api/v1/articles?_start=0&_end=10', '/api/v1/articles?_end=10&_start=0',
    `/api/v1/articles?id=${a.id}`, `/api/v1/articles?%69d=${a.id}`, `/api/v1/articles?tag=L%C3%BAa%20g%E1%BA%A1o`, '/api/v1/articles?tag=L%c3%baa+g%e1%ba%a1o',
    `/api/v1/articles?categoryId=${cat.id}`, `/api/v1/articles?categoryId=${cat.id}&_sort=id`, `/api/v1/articles?_sort=id&categoryId=${cat.id}`,
  ];
  // Spellings that reach no route (or not this one): whatever they answer, never the old article.
  const elsewhere = [
    `//api/v1/articles/${s}`, `/api/v1//articles/${s}`, `/api/v1/articles//${s}`, `/api/v1/articles%2F${s}`, `/api/v1/articles%2f${a.id}`,
    `/api/v1/Articles/${s}`, '//api/v1/articles', '/api/v1//articles',
  ];
  return { a, slugSpellings, details, lists, elsewhere };
}

/** Reads everything twice (the second time from the cache), archives, and reads it all again. */
async function archiveAfterReading(t: Test, get: Getter, archive: (id: number) => Promise<void>, label: string) {
  const { a, details, lists, elsewhere } = await setUp(label);
  t.equal(details.length, 76);
  for (const url of [...details, ...lists]) {
    const first = await get(url);
    t.ok(shows(first, a.id), `before: ${url} shows it`);
    const again = await get(url);
    t.equal(again.headers['x-cache'], 'hit', `before: ${url} is cached`);
    t.equal(again.body, first.body);
  }
  for (const url of elsewhere) await get(url);

  await archive(a.id);
  for (const url of [...details, ...lists, ...elsewhere]) {
    const after = await get(url);
    t.notOk(shows(after, a.id), `after: ${url} does not show it (${after.status}, x-cache ${after.headers['x-cache']})`);
    if (details.includes(url)) t.equal(after.status, 404, `after: ${url} is 404`);
  }
  return a;
}

const archiveBy = (as: 'editor') => async (id: number) => {
  const res = await transition(ta, as, id, 'archive');
  if (res.statusCode !== 200) throw new Error(res.body);
};

t.test('through Fastify: no spelling serves an archived article', async (t) => {
  await archiveAfterReading(t, viaInject(ta.app), archiveBy('editor'), 'inject');
});

t.test('through a socket: every spelling is one entry, answered before routing, and none survives the archive', async (t) => {
  let routed = 0;
  const app = await ta.secondInstance({ SCHEDULER_INTERVAL_MS: '0' }, (b) => b.addHook('onRequest', async () => void routed++));
  await app.listen({ port: 0, host: '127.0.0.1' });
  t.teardown(() => app.close());
  const get = viaSocket((app.server.address() as { port: number }).port);

  const { a, slugSpellings } = await setUp('socket-fill');
  const canonical = await get(`/api/v1/articles/${a.slug}`);
  t.ok(shows(canonical, a.id));
  const before = routed;
  t.equal(slugSpellings.length, 71);
  for (const url of slugSpellings) {
    const hit = await get(url);
    t.equal(hit.headers['x-cache'], 'hit', `${url}: the entry of the canonical spelling`);
    t.equal(hit.body, canonical.body);
  }
  t.equal(routed, before, 'all answered before routing');

  // The archive goes through this instance, which applies its own change before answering.
  const archive = async (id: number) => {
    const res = await new Promise<number>((resolve, reject) => {
      const body = JSON.stringify({ action: 'archive' });
      const port = (app.server.address() as { port: number }).port;
      const req = httpRequest(
        { host: '127.0.0.1', port, path: `/api/v1/articles/${id}/transitions`, method: 'POST', headers: { authorization: `Bearer ${ta.users.editor.token}`, 'content-type': 'application/json' } },
        (r) => r.resume().on('end', () => resolve(r.statusCode ?? 0)),
      );
      req.on('error', reject);
      req.end(body);
    });
    if (res !== 200) throw new Error(`archive: ${res}`);
  };
  await archiveAfterReading(t, get, archive, 'socket');
});

t.test('another instance drops every spelling once the archive reaches it', async (t) => {
  const b = await ta.secondInstance({ SCHEDULER_INTERVAL_MS: '0' });
  const get = viaInject(b);
  const { a, slugSpellings, details, lists } = await setUp('two-instances');
  const urls = [...details.slice(-5), ...slugSpellings.slice(0, 7), ...lists];
  for (const url of urls) await get(url);
  for (const url of urls) t.equal((await get(url)).headers['x-cache'], 'hit', url);
  await archiveBy('editor')(a.id); // on instance A
  const deadline = Date.now() + 2000;
  let left = urls;
  while (left.length > 0 && Date.now() < deadline) {
    const still = [];
    for (const url of left) if (shows(await get(url), a.id)) still.push(url);
    left = still;
    if (left.length) await sleep(20);
  }
  t.same(left, [], 'every spelling stopped showing it within two seconds');
});
