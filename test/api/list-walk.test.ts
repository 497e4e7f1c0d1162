// Following rel="next" from the first page reaches the end of every list, each record once
// (issue 16, item 3): every list resource, both dialects, by offset and by keyset cursor.
import t from 'tap';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { articleIn, transition } from '../helpers/articles.js';
import { png, upload } from '../helpers/media.js';
import { createHook } from '../helpers/webhooks.js';

// No dispatcher: the deliveries stay as they are while the list is walked.
const ta = await createTestApp({ WEBHOOK_POLL_MS: '0' });
t.teardown(() => ta.close());

const N = 7; // with pages of 3: pages of 3, 3 and 1 (more for the staff articles)
const ok = async (res: Promise<{ statusCode: number; body: string; json(): { id: number } }>) => {
  const r = await res;
  if (r.statusCode >= 300) throw new Error(r.body);
  return r.json();
};

for (let i = 0; i < N; i++) await articleIn(ta, 'published', { title: `Tin số ${i}` });
for (let i = 0; i < N; i++) await ok(ta.req('editor', { method: 'POST', url: '/api/v1/categories', payload: { name: `Mục ${i}`, position: i % 2 } }));
for (let i = 0; i < N - 4; i++) await ok(ta.req('admin', { method: 'POST', url: '/api/v1/users', payload: { email: `u${i}@toasoan.test`, name: `U ${i}`, role: 'author', password: 'a-long-password-1' } }));
for (let i = 0; i < N; i++) await ok(upload(ta, 'editor', { filename: `anh-${i}.png`, data: await png(20 + i, 10) }));
const hooks = [];
for (let i = 0; i < N; i++) hooks.push(await createHook(ta, `https://hooks.example.invalid/${i}`));
// Deliveries made in one burst share timestamps: the id breaks the ties.
for (let i = 0; i < N; i++) await ok(ta.req('admin', { method: 'POST', url: `/api/v1/webhooks/${hooks[0].id}/ping` }));
const article = await articleIn(ta, 'draft', { title: 'Bài có lịch sử' });
for (let i = 0; i < N; i++) await ok(ta.req('author', { method: 'PATCH', url: `/api/v1/articles/${article.id}`, payload: { summary: `Tóm tắt ${i}` } }));
for (let i = 0; i < 4; i++) {
  await ok(transition(ta, 'author', article.id, 'submit'));
  await ok(transition(ta, 'editor', article.id, 'reject', { comment: `Sửa lần ${i}` }));
}
for (let i = 0; i < N; i++) await ok(ta.req('editor', { method: 'POST', url: `/api/v1/articles/${article.id}/preview-links`, payload: {} }));

interface Resource {
  name: string;
  url: string;
  as: keyof TestApp['users'] | null;
  /** Whether `id` is sortable (a keyset cursor then carries the next page). */
  byId: boolean;
}

const resources: Resource[] = [
  { name: 'articles (staff)', url: '/api/v1/articles', as: 'editor', byId: true },
  { name: 'articles (public)', url: '/api/v1/articles', as: null, byId: true },
  { name: 'categories', url: '/api/v1/categories', as: null, byId: true },
  { name: 'users', url: '/api/v1/users', as: 'admin', byId: true },
  { name: 'media', url: '/api/v1/media', as: 'editor', byId: true },
  { name: 'webhooks', url: '/api/v1/webhooks', as: 'admin', byId: true },
  { name: 'deliveries', url: `/api/v1/webhooks/${hooks[0].id}/deliveries`, as: 'admin', byId: false },
  { name: 'revisions', url: `/api/v1/articles/${article.id}/revisions`, as: 'editor', byId: true },
  { name: 'history', url: `/api/v1/articles/${article.id}/history`, as: 'editor', byId: true },
  { name: 'preview-links', url: `/api/v1/articles/${article.id}/preview-links`, as: 'editor', byId: true },
];

const enc = encodeURIComponent;
const nextOf = (link: unknown) => /<([^>]+)>; rel="next"/.exec(String(link ?? ''))?.[1];

t.test('rel="next" walks every list to its end, each record once', async (t) => {
  for (const r of resources) {
    // [dialect, first page, the same sort in one page of 100]
    const walks: Array<[string, string, string]> = [
      ['json-server _start/_end, default sort', '_start=0&_end=3', '_start=0&_end=100'],
      ['simple-rest range, default sort', `range=${enc('[0,2]')}&filter=${enc('{}')}`, `range=${enc('[0,99]')}`],
    ];
    if (r.byId) {
      walks.push(
        ['json-server _page/_limit, by id descending', '_page=1&_limit=3&_sort=id&_order=DESC', '_start=0&_end=100&_sort=id&_order=DESC'],
        ['simple-rest range, by id ascending', `range=${enc('[0,2]')}&sort=${enc('["id","ASC"]')}&filter=${enc('{}')}`, `range=${enc('[0,99]')}&sort=${enc('["id","ASC"]')}`],
      );
    }
    for (const [dialect, first, whole] of walks) {
      const what = `${r.name}, ${dialect}`;
      const all = await ta.req(r.as, { method: 'GET', url: `${r.url}?${whole}` });
      t.equal(all.statusCode, 200, `${what}: ${all.body.slice(0, 200)}`);
      const expected = (all.json() as Array<{ id: unknown }>).map((x) => x.id);
      const total = Number(all.headers['x-total-count']);
      t.equal(expected.length, total, `${what}: one page holds them all`);
      t.ok(total > 6, `${what}: enough records for three pages (${total})`);

      const seen: unknown[] = [];
      let url: string | undefined = `${r.url}?${first}`;
      let pages = 0;
      let last: { headers: Record<string, unknown> } | undefined;
      while (url && pages < 20) {
        const res = await ta.req(r.as, { method: 'GET', url });
        t.equal(res.statusCode, 200, `${what}: ${url} ${res.body.slice(0, 200)}`);
        const ids = (res.json() as Array<{ id: unknown }>).map((x) => x.id);
        t.equal(res.headers['content-range'], `${r.url.split('/').pop()} ${seen.length}-${seen.length + ids.length - 1}/${total}`, `${what}: page ${pages + 1}`);
        seen.push(...ids);
        last = res;
        url = nextOf(res.headers.link);
        pages++;
      }
      t.ok(pages >= 3, `${what}: ${pages} pages`);
      t.same(seen, expected, `${what}: every record once, in the list's order`);
      t.equal(new Set(seen).size, seen.length, `${what}: no record twice`);
      t.equal(nextOf(last?.headers.link), undefined, `${what}: the last page has no next`);
    }
  }
});
