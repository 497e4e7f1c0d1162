import t from 'tap';
import { createTestApp } from '../helpers/app.js';

const ta = await createTestApp();
t.teardown(() => ta.close());

t.test('only admins reach /users: 401 anonymous, 403 author/editor', async (t) => {
  const cases = [
    { method: 'GET', url: '/api/v1/users' },
    { method: 'GET', url: `/api/v1/users/${ta.users.author.id}` },
    { method: 'POST', url: '/api/v1/users', payload: { email: 'x@toasoan.test', password: 'password-1', role: 'author' } },
    { method: 'PATCH', url: `/api/v1/users/${ta.users.author.id}`, payload: { name: 'X' } },
    { method: 'PUT', url: `/api/v1/users/${ta.users.author.id}`, payload: { name: 'X' } },
    { method: 'DELETE', url: `/api/v1/users/${ta.users.author2.id}` },
  ] as const;
  for (const c of cases) {
    t.equal((await ta.req(null, c)).statusCode, 401, `anonymous ${c.method} ${c.url}`);
    t.equal((await ta.req('author', c)).statusCode, 403, `author ${c.method} ${c.url}`);
    t.equal((await ta.req('editor', c)).statusCode, 403, `editor ${c.method} ${c.url}`);
  }
  const expected = [200, 200, 201, 200, 200, 200];
  for (const [i, c] of cases.entries()) {
    const res = await ta.req('admin', c);
    t.equal(res.statusCode, expected[i], `admin ${c.method} ${c.url}: ${res.body}`);
  }
});

t.test('users CRUD never shows a password or hash', async (t) => {
  const created = await ta.req('admin', {
    method: 'POST',
    url: '/api/v1/users',
    payload: { email: 'Hoa.Nguyen@ToaSoan.test', password: 'secret-password', role: 'editor', name: 'Nguyễn Thị Hoa' },
  });
  t.equal(created.statusCode, 201);
  const u = created.json();
  t.equal(u.email, 'hoa.nguyen@toasoan.test', 'emails are stored lower-cased');
  t.equal(u.name, 'Nguyễn Thị Hoa');
  t.equal(created.headers.location, `/api/v1/users/${u.id}`);
  t.same(Object.keys(u).sort(), ['createdAt', 'disabled', 'email', 'id', 'name', 'role', 'updatedAt', 'version']);
  const list = await ta.req('admin', { method: 'GET', url: '/api/v1/users' });
  t.notMatch(list.body, /password|scrypt/i);
  t.equal(list.headers['x-total-count'], String(list.json().length));

  const dup = await ta.req('admin', { method: 'POST', url: '/api/v1/users', payload: { email: 'hoa.nguyen@toasoan.test', password: 'secret-password', role: 'author' } });
  t.equal(dup.statusCode, 409);

  const bad = await ta.req('admin', { method: 'POST', url: '/api/v1/users', payload: { email: 'not-an-email', password: 'short', role: 'boss' } });
  t.equal(bad.statusCode, 400);
  t.equal(Object.keys(bad.json().errors).length, 1, 'validation stops at the first error');

  const hashFilter = await ta.req('admin', { method: 'GET', url: '/api/v1/users?passwordHash=x' });
  t.equal(hashFilter.statusCode, 400);
  const hashSort = await ta.req('admin', { method: 'GET', url: '/api/v1/users?_sort=passwordHash' });
  t.equal(hashSort.statusCode, 400);
  const writeHash = await ta.req('admin', { method: 'PATCH', url: `/api/v1/users/${u.id}`, payload: { passwordHash: 'x' } });
  t.equal(writeHash.statusCode, 400);

  const del = await ta.req('admin', { method: 'DELETE', url: `/api/v1/users/${u.id}` });
  t.equal(del.statusCode, 200);
  t.equal(del.json().email, 'hoa.nguyen@toasoan.test');
  t.equal((await ta.req('admin', { method: 'GET', url: `/api/v1/users/${u.id}` })).statusCode, 404);
});

t.test('admins cannot lock themselves or the last admin out', async (t) => {
  const self = ta.users.admin.id;
  t.equal((await ta.req('admin', { method: 'DELETE', url: `/api/v1/users/${self}` })).statusCode, 409);
  t.equal((await ta.req('admin', { method: 'PATCH', url: `/api/v1/users/${self}`, payload: { disabled: true } })).statusCode, 409);
  t.equal((await ta.req('admin', { method: 'PATCH', url: `/api/v1/users/${self}`, payload: { role: 'editor' } })).statusCode, 409, 'last admin');
});

t.test('users list filters and search', async (t) => {
  const res = await ta.req('admin', { method: 'GET', url: '/api/v1/users?role=author&_sort=email&_order=asc' });
  t.equal(res.statusCode, 200);
  const emails = res.json().map((u: { email: string }) => u.email);
  t.ok(emails.length >= 1);
  t.same(emails, [...emails].sort());
  t.ok(res.json().every((u: { role: string }) => u.role === 'author'));
  const q = await ta.req('admin', { method: 'GET', url: `/api/v1/users?q=${encodeURIComponent('editor@')}` });
  t.same(q.json().map((u: { email: string }) => u.email), ['editor@toasoan.test']);
});
