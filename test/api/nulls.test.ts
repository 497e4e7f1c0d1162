// API.md §1: `null` for an optional field means "empty" (admin UIs send null for a cleared
// input): optional text is stored as "", a list as [], a reference or date as null; a required
// field sent as null is a 400 keyed on that field. The admin-UI side of it (the real data
// providers) is in test/api/data-providers-*.test.ts.
import t from 'tap';
import { createTestApp } from '../helpers/app.js';
import { articleIn } from '../helpers/articles.js';
import { jpegWithGps, upload } from '../helpers/media.js';

const ta = await createTestApp({ SCHEDULER_INTERVAL_MS: '0', WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' });
t.teardown(() => ta.close());

type Schema = { type?: string; anyOf?: Schema[]; properties?: Record<string, Schema>; required?: string[]; 'x-null-means'?: unknown };

// Optional fields where null is refused (400 "is required"): they name something a record
// cannot be without, or null would be a guess. Every other optional body field must say what
// its null means, in the schema.
const NULL_REFUSED = new Set([
  'articles title', 'articles status', 'categories name', 'collections name', 'users email', 'users password', 'users role', 'users disabled',
  'webhooks url', 'webhooks events', 'webhooks active',
]);
// A body `version` is a precondition (API.md §3): null would silently drop it.
const refused = (path: string, name: string) => name === 'version' || NULL_REFUSED.has(`${path.split('/')[3]} ${name}`);

t.test('every optional body field of every operation says what null means, in the OpenAPI document', async (t) => {
  const doc = (await ta.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
  let checked = 0;
  for (const [path, item] of Object.entries<Record<string, { requestBody?: { content: Record<string, { schema: Schema }> } }>>(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const schema = op.requestBody?.content['application/json']?.schema;
      if (!schema?.properties) continue;
      for (const [name, prop] of Object.entries(schema.properties)) {
        if (schema.required?.includes(name) || Object.keys(prop).length === 0) continue; // required, or read-only (ignored)
        checked++;
        const takesNull = prop.anyOf?.some((s) => s.type === 'null') ?? false;
        if (refused(path, name)) t.notOk(takesNull, `${method.toUpperCase()} ${path} ${name}: null is refused`);
        else t.ok(takesNull, `${method.toUpperCase()} ${path} ${name}: null is accepted (${'x-null-means' in prop ? `stored as ${JSON.stringify(prop['x-null-means'])}` : 'stored as null'})`);
      }
    }
  }
  t.ok(checked > 30, `${checked} optional fields checked`);
});

t.test('articles: cleared text is "", cleared lists are [], cleared references are null', async (t) => {
  const cover = (await upload(ta, 'editor', { filename: 'bia.jpg', data: await jpegWithGps(400, 300) })).json();
  const category = (await ta.req('editor', { method: 'POST', url: '/api/v1/categories', payload: { name: 'Xóa trắng' } })).json();
  const full = { title: 'Bài có đủ trường', summary: 'Tóm tắt', body: '<p>Nội dung</p>', categoryId: category.id, coverMediaId: cover.id, tags: ['Tân Hồng'], credits: [{ role: 'editor', name: 'Kim Lệ' }] };
  const created = (await ta.req('editor', { method: 'POST', url: '/api/v1/articles', payload: full })).json();
  const cleared = { summary: null, body: null, categoryId: null, coverMediaId: null, tags: null, credits: null };
  for (const method of ['PUT', 'PATCH'] as const) {
    const before = (await ta.req('editor', { method: 'GET', url: `/api/v1/articles/${created.id}` })).json();
    await ta.req('editor', { method: 'PATCH', url: `/api/v1/articles/${created.id}`, payload: full });
    const res = await ta.req('editor', { method, url: `/api/v1/articles/${created.id}`, payload: { ...cleared } });
    t.equal(res.statusCode, 200, `${method}: ${res.body}`);
    t.match(res.json(), { summary: '', body: '', categoryId: null, category: null, coverMediaId: null, cover: null, tags: [], credits: [], title: full.title });
    const stored = (await ta.req('editor', { method: 'GET', url: `/api/v1/articles/${created.id}` })).json();
    t.match(stored, { summary: '', body: '', categoryId: null, coverMediaId: null, tags: [], credits: [] }, 'read back as stored');
    t.ok(stored.version > before.version);
  }
  const fresh = await ta.req('editor', { method: 'POST', url: '/api/v1/articles', payload: { title: 'Tạo với null', ...cleared, slug: null } });
  t.equal(fresh.statusCode, 201, fresh.body);
  t.match(fresh.json(), { summary: '', body: '', categoryId: null, tags: [], credits: [], slug: 'tao-voi-null' }, 'on create too; a null slug is derived from the title');
});

t.test('a cleared slug is derived from the title again', async (t) => {
  const a = (await ta.req('editor', { method: 'POST', url: '/api/v1/articles', payload: { title: 'Tiêu đề gốc', slug: 'duong-dan-rieng' } })).json();
  const res = await ta.req('editor', { method: 'PATCH', url: `/api/v1/articles/${a.id}`, payload: { slug: null } });
  t.equal(res.statusCode, 200, res.body);
  t.equal(res.json().slug, 'tieu-de-goc');
  const taken = (await ta.req('editor', { method: 'POST', url: '/api/v1/articles', payload: { title: 'Tiêu đề gốc', slug: 'khac' } })).json();
  const again = await ta.req('editor', { method: 'PATCH', url: `/api/v1/articles/${taken.id}`, payload: { slug: null } });
  t.equal(again.json().slug, 'tieu-de-goc-2', 'numbered like any derived slug');
  const c = (await ta.req('editor', { method: 'POST', url: '/api/v1/categories', payload: { name: 'Tên mục', slug: 'muc-rieng' } })).json();
  const cat = await ta.req('editor', { method: 'PATCH', url: `/api/v1/categories/${c.id}`, payload: { slug: null } });
  t.equal(cat.json().slug, 'ten-muc');
});

t.test('categories, media, users, webhooks: null stores the empty value', async (t) => {
  const parent = (await ta.req('editor', { method: 'POST', url: '/api/v1/categories', payload: { name: 'Cha' } })).json();
  const c = (await ta.req('editor', { method: 'POST', url: '/api/v1/categories', payload: { name: 'Con', description: 'Mô tả', parentId: parent.id, position: 7 } })).json();
  const cat = await ta.req('editor', { method: 'PUT', url: `/api/v1/categories/${c.id}`, payload: { ...c, description: null, parentId: null, position: null } });
  t.equal(cat.statusCode, 200, cat.body);
  t.match(cat.json(), { description: '', parentId: null, position: 0, name: 'Con' });
  const made = await ta.req('editor', { method: 'POST', url: '/api/v1/categories', payload: { name: 'Mới', description: null, parentId: null, position: null, slug: null } });
  t.match(made.json(), { description: '', parentId: null, position: 0, slug: 'moi' });

  const m = (await upload(ta, 'editor', { filename: 'anh.jpg', data: await jpegWithGps(300, 200) }, { alt: 'Ảnh', caption: 'Chú thích', credit: 'Chí Dũng' })).json();
  await ta.req('editor', { method: 'PATCH', url: `/api/v1/media/${m.id}`, payload: { focalPoint: { x: 0.1, y: 0.9 } } });
  const media = await ta.req('editor', { method: 'PATCH', url: `/api/v1/media/${m.id}`, payload: { alt: null, caption: null, credit: null, focalPoint: null } });
  t.equal(media.statusCode, 200, media.body);
  t.match(media.json(), { alt: '', caption: '', credit: '', focalPoint: { x: 0.5, y: 0.5 } });

  const u = (await ta.req('admin', { method: 'POST', url: '/api/v1/users', payload: { email: 'null@toasoan.test', password: 'mat-khau-dai-123', role: 'author', name: 'Có tên' } })).json();
  const user = await ta.req('admin', { method: 'PATCH', url: `/api/v1/users/${u.id}`, payload: { name: null } });
  t.equal(user.statusCode, 200, user.body);
  t.equal(user.json().name, '');
  const user2 = await ta.req('admin', { method: 'POST', url: '/api/v1/users', payload: { email: 'null2@toasoan.test', password: 'mat-khau-dai-123', role: 'author', name: null } });
  t.equal(user2.json().name, '');

  const h = (await ta.req('admin', { method: 'POST', url: '/api/v1/webhooks', payload: { url: 'http://127.0.0.1:9/hook', events: ['media.created'], description: 'Mô tả' } })).json();
  const hook = await ta.req('admin', { method: 'PATCH', url: `/api/v1/webhooks/${h.id}`, payload: { description: null } });
  t.equal(hook.statusCode, 200, hook.body);
  t.equal(hook.json().description, '');
  const hook2 = await ta.req('admin', { method: 'POST', url: '/api/v1/webhooks', payload: { url: 'http://127.0.0.1:9/hook', events: ['media.created'], description: null } });
  t.equal(hook2.json().description, '');
  await ta.req('admin', { method: 'PATCH', url: `/api/v1/webhooks/${hook2.json().id}`, payload: { active: false } });
  await ta.req('admin', { method: 'PATCH', url: `/api/v1/webhooks/${h.id}`, payload: { active: false } });
});

t.test('preview-link and transition bodies: null is the default / empty', async (t) => {
  const a = await articleIn(ta, 'draft', { title: 'Xem trước null' });
  const link = await ta.req('author', { method: 'POST', url: `/api/v1/articles/${a.id}/preview-links`, payload: { expiresIn: null } });
  t.equal(link.statusCode, 201, link.body);
  const seconds = (Date.parse(link.json().expiresAt) - Date.parse(link.json().createdAt)) / 1000;
  t.equal(seconds, 3600, 'null expiresIn is the default hour');
  const submit = await ta.req('author', { method: 'POST', url: `/api/v1/articles/${a.id}/transitions`, payload: { action: 'submit', comment: null, publishAt: null } });
  t.equal(submit.statusCode, 200, submit.body);
  const reject = await ta.req('editor', { method: 'POST', url: `/api/v1/articles/${a.id}/transitions`, payload: { action: 'reject', comment: null } });
  t.equal(reject.statusCode, 400, 'a reject comment cleared to null is still missing');
  t.same(Object.keys(reject.json().errors), ['comment']);
});

t.test('a required field sent as null is a 400 keyed on that field', async (t) => {
  const a = await articleIn(ta, 'draft', { title: 'Bắt buộc' });
  const c = (await ta.req('editor', { method: 'POST', url: '/api/v1/categories', payload: { name: 'Bắt buộc' } })).json();
  const u = (await ta.req('admin', { method: 'GET', url: `/api/v1/users/${ta.users.author2.id}` })).json();
  const cases: Array<[string, string, string, object, string]> = [
    ['editor', 'POST', '/api/v1/articles', { title: null }, 'title'],
    ['editor', 'PATCH', `/api/v1/articles/${a.id}`, { title: null }, 'title'],
    ['editor', 'PUT', `/api/v1/articles/${a.id}`, { title: 'x', status: null }, 'status'],
    ['editor', 'PATCH', `/api/v1/articles/${a.id}`, { tags: [null] }, 'tags.0'],
    ['editor', 'PATCH', `/api/v1/articles/${a.id}`, { credits: [{ role: 'editor', name: null }] }, 'credits.0.name'],
    ['editor', 'POST', '/api/v1/categories', { name: null }, 'name'],
    ['editor', 'PATCH', `/api/v1/categories/${c.id}`, { name: null }, 'name'],
    ['admin', 'PATCH', `/api/v1/users/${u.id}`, { email: null }, 'email'],
    ['admin', 'PATCH', `/api/v1/users/${u.id}`, { role: null }, 'role'],
    ['admin', 'PATCH', `/api/v1/users/${u.id}`, { disabled: null }, 'disabled'],
    ['admin', 'POST', '/api/v1/webhooks', { url: null, events: ['ping'] }, 'url'],
    ['admin', 'POST', '/api/v1/webhooks', { url: 'http://127.0.0.1:9/x', events: null }, 'events'],
    ['editor', 'POST', `/api/v1/articles/${a.id}/transitions`, { action: null }, 'action'],
  ];
  for (const [as, method, url, payload, key] of cases) {
    const res = await ta.req(as as 'editor', { method: method as 'POST', url, payload });
    t.equal(res.statusCode, 400, `${method} ${url} ${JSON.stringify(payload)}`);
    t.equal(res.json().code, 'validation_failed');
    t.same(res.json().errors, { [key]: 'is required' }, `keyed on ${key}`);
  }
  t.equal((await ta.req('editor', { method: 'GET', url: `/api/v1/articles/${a.id}` })).json().title, 'Bắt buộc', 'nothing changed');
});

t.test('null does not leak into lists shared between requests', async (t) => {
  // The empty list stored for a null is a copy per request, not one array every body shares.
  const [x, y] = await Promise.all(
    ['Một', 'Hai'].map((title) => ta.req('editor', { method: 'POST', url: '/api/v1/articles', payload: { title, tags: null, credits: null } })),
  );
  const res = await ta.req('editor', { method: 'PATCH', url: `/api/v1/articles/${x.json().id}`, payload: { tags: ['Riêng'] } });
  t.same(res.json().tags, ['Riêng']);
  t.same((await ta.req('editor', { method: 'GET', url: `/api/v1/articles/${y.json().id}` })).json().tags, []);
});
