import t from 'tap';
import { createTestApp } from '../helpers/app.js';

const ta = await createTestApp();
t.teardown(() => ta.close());

const post = (as: 'admin' | 'editor' | 'author' | null, payload: object) => ta.req(as, { method: 'POST', url: '/api/v1/categories', payload });

t.test('role matrix: read public, write editor/admin', async (t) => {
  const seed = (await post('admin', { name: 'Ma trận' })).json();
  for (const as of [null, 'author', 'editor', 'admin'] as const) {
    const list = await ta.req(as, { method: 'GET', url: '/api/v1/categories' });
    t.equal(list.statusCode, 200, `${as} lists`);
    t.equal((await ta.req(as, { method: 'GET', url: `/api/v1/categories/${seed.id}` })).statusCode, 200, `${as} reads`);
  }
  const expectWrite = { null: 401, author: 403, editor: 'ok', admin: 'ok' } as const;
  for (const as of [null, 'author', 'editor', 'admin'] as const) {
    const want = expectWrite[String(as) as keyof typeof expectWrite];
    const c = await post(as, { name: `Mục ${as}` });
    t.equal(c.statusCode, want === 'ok' ? 201 : want, `${as} creates`);
    const target = want === 'ok' ? c.json().id : seed.id;
    const u = await ta.req(as, { method: 'PATCH', url: `/api/v1/categories/${target}`, payload: { description: 'mô tả' } });
    t.equal(u.statusCode, want === 'ok' ? 200 : want, `${as} updates`);
    const p = await ta.req(as, { method: 'PUT', url: `/api/v1/categories/${target}`, payload: { description: 'mô tả 2' } });
    t.equal(p.statusCode, want === 'ok' ? 200 : want, `${as} puts`);
    const d = await ta.req(as, { method: 'DELETE', url: `/api/v1/categories/${target}` });
    t.equal(d.statusCode, want === 'ok' ? 200 : want, `${as} deletes`);
  }
  const anon = await ta.req(null, { method: 'GET', url: '/api/v1/categories' });
  t.equal(anon.headers['cache-control'], 'public, max-age=60, stale-while-revalidate=300');
  const staff = await ta.req('editor', { method: 'GET', url: '/api/v1/categories' });
  t.equal(staff.headers['cache-control'], 'private, no-store');
});

t.test('Vietnamese slugs, uniqueness, lookup by slug', async (t) => {
  const a = await post('editor', { name: 'Tin hoạt động' });
  t.equal(a.json().slug, 'tin-hoat-dong');
  const b = await post('editor', { name: 'Tin Hoạt Động' });
  t.equal(b.json().slug, 'tin-hoat-dong-2');
  const c = await post('editor', { name: 'Tin hoạt động!' });
  t.equal(c.json().slug, 'tin-hoat-dong-3');
  const explicit = await post('editor', { name: 'Khác', slug: 'tin-hoat-dong' });
  t.equal(explicit.statusCode, 409, 'an explicit slug is never renamed');
  const folded = await post('editor', { name: 'Khác', slug: 'Văn Hóa' });
  t.equal(folded.json().slug, 'van-hoa');
  const bySlug = await ta.req(null, { method: 'GET', url: '/api/v1/categories/tin-hoat-dong' });
  t.equal(bySlug.statusCode, 200);
  t.equal(bySlug.json().id, a.json().id);
  t.equal(bySlug.json().name, 'Tin hoạt động');
  t.equal((await ta.req(null, { method: 'GET', url: '/api/v1/categories/khong-co' })).statusCode, 404);
  t.equal((await ta.req(null, { method: 'GET', url: '/api/v1/categories/999999' })).statusCode, 404);
});

t.test('the tree: no cycles, no orphans', async (t) => {
  const root = (await post('editor', { name: 'Gốc' })).json();
  const child = (await post('editor', { name: 'Con', parentId: root.id })).json();
  const grandchild = (await post('editor', { name: 'Cháu', parentId: child.id })).json();
  t.equal(child.parentId, root.id);

  const self = await ta.req('editor', { method: 'PATCH', url: `/api/v1/categories/${root.id}`, payload: { parentId: root.id } });
  t.equal(self.statusCode, 409);
  const cycle = await ta.req('editor', { method: 'PATCH', url: `/api/v1/categories/${root.id}`, payload: { parentId: grandchild.id } });
  t.equal(cycle.statusCode, 409);
  t.equal(cycle.json().code, 'conflict');
  const missing = await post('editor', { name: 'Mồ côi', parentId: 999999 });
  t.equal(missing.statusCode, 400);

  const delParent = await ta.req('editor', { method: 'DELETE', url: `/api/v1/categories/${child.id}` });
  t.equal(delParent.statusCode, 409, 'a category with children cannot be deleted');
  const roots = await ta.req(null, { method: 'GET', url: `/api/v1/categories?parentId=${root.id}` });
  t.same(roots.json().map((c: { id: number }) => c.id), [child.id]);

  const moved = await ta.req('editor', { method: 'PATCH', url: `/api/v1/categories/${grandchild.id}`, payload: { parentId: null } });
  t.equal(moved.statusCode, 200);
  t.equal(moved.json().parentId, null);
  t.equal((await ta.req('editor', { method: 'DELETE', url: `/api/v1/categories/${child.id}` })).statusCode, 200);
});

t.test('concurrent moves cannot make a cycle together', async (t) => {
  const a = (await post('editor', { name: 'Vòng A' })).json();
  const b = (await post('editor', { name: 'Vòng B' })).json();
  const [r1, r2] = await Promise.all([
    ta.req('editor', { method: 'PATCH', url: `/api/v1/categories/${a.id}`, payload: { parentId: b.id } }),
    ta.req('editor', { method: 'PATCH', url: `/api/v1/categories/${b.id}`, payload: { parentId: a.id } }),
  ]);
  t.same([r1.statusCode, r2.statusCode].sort(), [200, 409]);
});

t.test('a category with articles cannot be deleted', async (t) => {
  const cat = (await post('editor', { name: 'Có bài' })).json();
  const art = await ta.req('author', { method: 'POST', url: '/api/v1/articles', payload: { title: 'Bài trong mục', categoryId: cat.id } });
  t.equal(art.statusCode, 201);
  const del = await ta.req('admin', { method: 'DELETE', url: `/api/v1/categories/${cat.id}` });
  t.equal(del.statusCode, 409);
  t.equal((await ta.req(null, { method: 'GET', url: `/api/v1/categories/${cat.id}` })).statusCode, 200, 'still there');
});

t.test('validation', async (t) => {
  t.equal((await post('editor', {})).statusCode, 400);
  t.equal((await post('editor', { name: '' })).statusCode, 400);
  t.equal((await post('editor', { name: 'x'.repeat(201) })).statusCode, 400);
  t.equal((await post('editor', { name: 'x', color: 'red' })).statusCode, 400, 'unknown field');
  t.equal((await post('editor', { name: 'x', parentId: 'abc' })).statusCode, 400);
  t.equal((await ta.req('editor', { method: 'PATCH', url: '/api/v1/categories/abc', payload: {} })).statusCode, 404, 'a malformed id names nothing');
  t.equal((await ta.req('editor', { method: 'PATCH', url: '/api/v1/categories/999999', payload: { name: 'x' } })).statusCode, 404);
});
