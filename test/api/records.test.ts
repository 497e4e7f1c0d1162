import t from 'tap';
import { createTestApp } from '../helpers/app.js';

const ta = await createTestApp();
t.teardown(() => ta.close());

const newArticle = async () => (await ta.req('editor', { method: 'POST', url: '/api/v1/articles', payload: { title: 'Phiên bản' } })).json();

t.test('ETag and If-None-Match → 304', async (t) => {
  const a = await newArticle();
  const res = await ta.req('editor', { method: 'GET', url: `/api/v1/articles/${a.id}` });
  const etag = res.headers.etag as string;
  t.match(etag, /^"1-[A-Za-z0-9_-]+"$/, 'the ETag carries the version');
  const again = await ta.req('editor', { method: 'GET', url: `/api/v1/articles/${a.id}`, headers: { 'if-none-match': etag } });
  t.equal(again.statusCode, 304);
  t.equal(again.body, '');
  t.equal(again.headers.etag, etag);
  await ta.req('editor', { method: 'PATCH', url: `/api/v1/articles/${a.id}`, payload: { summary: 'đổi' } });
  const changed = await ta.req('editor', { method: 'GET', url: `/api/v1/articles/${a.id}`, headers: { 'if-none-match': etag } });
  t.equal(changed.statusCode, 200);
  t.not(changed.headers.etag, etag);
  // Lists too.
  const list = await ta.req(null, { method: 'GET', url: '/api/v1/categories' });
  t.ok(list.headers.etag);
  const list304 = await ta.req(null, { method: 'GET', url: '/api/v1/categories', headers: { 'if-none-match': list.headers.etag as string } });
  t.equal(list304.statusCode, 304);
});

t.test('If-Match: a stale version gets 412 and changes nothing', async (t) => {
  const a = await newArticle();
  const first = await ta.req('editor', { method: 'PATCH', url: `/api/v1/articles/${a.id}`, payload: { title: 'Lần 1' }, headers: { 'if-match': '"1"' } });
  t.equal(first.statusCode, 200);
  t.equal(first.json().version, 2);
  const stale = await ta.req('admin', { method: 'PATCH', url: `/api/v1/articles/${a.id}`, payload: { title: 'Lần 2' }, headers: { 'if-match': '"1"' } });
  t.equal(stale.statusCode, 412);
  t.equal(stale.json().code, 'precondition_failed');
  const withEtag = await ta.req('admin', { method: 'PATCH', url: `/api/v1/articles/${a.id}`, payload: { title: 'Lần 3' }, headers: { 'if-match': first.headers.etag as string } });
  t.equal(withEtag.statusCode, 200, 'the ETag of a write is a valid If-Match');
  const garbage = await ta.req('admin', { method: 'PATCH', url: `/api/v1/articles/${a.id}`, payload: { title: 'x' }, headers: { 'if-match': 'nonsense' } });
  t.equal(garbage.statusCode, 412);
  const now = (await ta.req('admin', { method: 'GET', url: `/api/v1/articles/${a.id}` })).json();
  t.equal(now.title, 'Lần 3');
  t.equal(now.version, 3);
  const del = await ta.req('admin', { method: 'DELETE', url: `/api/v1/articles/${a.id}`, headers: { 'if-match': '"2"' } });
  t.equal(del.statusCode, 412, 'DELETE honours If-Match too');
});

t.test('a body version is a precondition, never stored', async (t) => {
  const c = (await ta.req('editor', { method: 'POST', url: '/api/v1/categories', payload: { name: 'Phiên bản' } })).json();
  const ok = await ta.req('editor', { method: 'PUT', url: `/api/v1/categories/${c.id}`, payload: { ...c, name: 'Phiên bản 2' } });
  t.equal(ok.statusCode, 200);
  t.equal(ok.json().version, 2);
  const stale = await ta.req('editor', { method: 'PUT', url: `/api/v1/categories/${c.id}`, payload: { ...c, name: 'Phiên bản 3' } });
  t.equal(stale.statusCode, 412, 'the admin UI sent back version 1');
  const forged = await ta.req('editor', { method: 'PATCH', url: `/api/v1/categories/${c.id}`, payload: { version: 999 } });
  t.equal(forged.statusCode, 412);
  const clash = await ta.req('editor', { method: 'PATCH', url: `/api/v1/categories/${c.id}`, payload: { version: 2, name: 'x' }, headers: { 'if-match': '"1"' } });
  t.equal(clash.statusCode, 412, 'header and body must agree');
  const now = (await ta.req(null, { method: 'GET', url: `/api/v1/categories/${c.id}` })).json();
  t.equal(now.name, 'Phiên bản 2');
  t.equal(now.version, 2);
});

t.test('concurrent writers with the same version: exactly one wins', async (t) => {
  const a = await newArticle();
  const results = await Promise.all(
    Array.from({ length: 8 }, (_, i) =>
      ta.req(i % 2 ? 'admin' : 'editor', { method: 'PATCH', url: `/api/v1/articles/${a.id}`, payload: { title: `Người viết ${i}`, version: 1 } }),
    ),
  );
  const codes = results.map((r) => r.statusCode).sort();
  t.same(codes, [200, 412, 412, 412, 412, 412, 412, 412]);
  const winner = results.find((r) => r.statusCode === 200)!.json();
  const now = (await ta.req('admin', { method: 'GET', url: `/api/v1/articles/${a.id}` })).json();
  t.equal(now.title, winner.title);
  t.equal(now.version, 2);
});

t.test('DELETE returns the record; a second DELETE is 404', async (t) => {
  const c = (await ta.req('editor', { method: 'POST', url: '/api/v1/categories', payload: { name: 'Xóa tôi' } })).json();
  const del = await ta.req('editor', { method: 'DELETE', url: `/api/v1/categories/${c.id}` });
  t.equal(del.statusCode, 200);
  t.same(del.json(), c);
  const again = await ta.req('editor', { method: 'DELETE', url: `/api/v1/categories/${c.id}` });
  t.equal(again.statusCode, 404);
  t.equal(again.json().code, 'not_found');
});
