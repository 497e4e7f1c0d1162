import t from 'tap';
import { insertToken } from '../../src/modules/auth/auth.queries.js';
import { newSecretToken } from '../../src/lib/secret-token.js';
import { createTestApp } from '../helpers/app.js';

const ta = await createTestApp();
t.teardown(() => ta.close());
const { admin, editor, author } = ta.users;

const login = (email: string, password: string, remoteAddress = '127.0.0.1', headers: Record<string, string> = {}) =>
  ta.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password }, remoteAddress, headers });

t.test('login returns a working token and the user without secrets', async (t) => {
  const res = await login(editor.email.toUpperCase(), editor.password, '10.1.0.1');
  t.equal(res.statusCode, 200, res.body);
  const body = res.json();
  t.match(body, { token: String, expiresAt: String, user: { id: editor.id, email: editor.email, role: 'editor', disabled: false } });
  t.notOk('passwordHash' in body.user);
  t.notMatch(res.body, /scrypt|password/i);
  t.ok(new Date(body.expiresAt).getTime() > Date.now());
  const me = await ta.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${body.token}` } });
  t.equal(me.statusCode, 200);
  t.equal(me.json().id, editor.id);
  t.equal(me.headers['cache-control'], 'private, no-store');
});

t.test('wrong email and wrong password get the same 401', async (t) => {
  const a = await login('nobody@toasoan.test', 'whatever-123', '10.2.0.1');
  const b = await login(author.email, 'wrong-password', '10.2.0.2');
  t.equal(a.statusCode, 401);
  t.equal(b.statusCode, 401);
  t.same(a.json(), b.json());
  t.equal(a.headers['content-type'], 'application/problem+json; charset=utf-8');
  t.match(a.json(), { status: 401, code: 'invalid_credentials', message: String, detail: String, title: String, type: String });
});

t.test('a disabled user cannot log in and its tokens stop working', async (t) => {
  const created = await ta.req('admin', { method: 'POST', url: '/api/v1/users', payload: { email: 'tam@toasoan.test', password: 'mật-khẩu-dài', role: 'author' } });
  t.equal(created.statusCode, 201, created.body);
  const ok = await login('tam@toasoan.test', 'mật-khẩu-dài', '10.3.0.1');
  t.equal(ok.statusCode, 200, 'a Vietnamese password works');
  const token = ok.json().token;
  const dis = await ta.req('admin', { method: 'PATCH', url: `/api/v1/users/${created.json().id}`, payload: { disabled: true } });
  t.equal(dis.statusCode, 200, dis.body);
  const me = await ta.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${token}` } });
  t.equal(me.statusCode, 401);
  const again = await login('tam@toasoan.test', 'mật-khẩu-dài', '10.3.0.2');
  t.equal(again.statusCode, 401);
  const wrong = await login('tam@toasoan.test', 'nope-nope', '10.3.0.3');
  t.same(again.json(), wrong.json());
});

t.test('logout revokes the presented token only', async (t) => {
  const a = (await login(admin.email, admin.password, '10.4.0.1')).json().token;
  const b = (await login(admin.email, admin.password, '10.4.0.1')).json().token;
  const out = await ta.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { authorization: `Bearer ${a}` } });
  t.equal(out.statusCode, 204);
  t.equal((await ta.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${a}` } })).statusCode, 401);
  t.equal((await ta.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${b}` } })).statusCode, 200);
  t.equal((await ta.app.inject({ method: 'POST', url: '/api/v1/auth/logout' })).statusCode, 401);
});

t.test('password and role changes revoke every token of the user', async (t) => {
  const u = (await ta.req('admin', { method: 'POST', url: '/api/v1/users', payload: { email: 'lan@toasoan.test', password: 'first-password', role: 'author' } })).json();
  for (const change of [{ password: 'second-password' }, { role: 'editor' }]) {
    const pw = 'password' in change ? 'second-password' : 'second-password';
    const tok = (await login('lan@toasoan.test', 'password' in change ? 'first-password' : pw, '10.5.0.1')).json().token;
    t.ok(tok, 'logged in');
    const res = await ta.req('admin', { method: 'PATCH', url: `/api/v1/users/${u.id}`, payload: change });
    t.equal(res.statusCode, 200, res.body);
    const me = await ta.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${tok}` } });
    t.equal(me.statusCode, 401, `token revoked after ${Object.keys(change)[0]} change`);
  }
  t.equal((await login('lan@toasoan.test', 'first-password', '10.5.0.2')).statusCode, 401, 'the old password no longer works');
  t.equal((await login('lan@toasoan.test', 'second-password', '10.5.0.2')).statusCode, 200);
});

t.test('bad, expired and malformed tokens are 401, even on public routes', async (t) => {
  const { token, hash } = newSecretToken('tsn');
  await insertToken(ta.app.ctx.db, { userId: editor.id, tokenHash: hash, expiresAt: new Date(Date.now() - 1000) });
  for (const authorization of [`Bearer ${token}`, 'Bearer nope', 'Basic YTpi', 'Bearer']) {
    const res = await ta.app.inject({ method: 'GET', url: '/api/v1/categories', headers: { authorization } });
    t.equal(res.statusCode, 401, authorization);
    t.equal(res.headers['www-authenticate'], 'Bearer');
  }
  t.equal((await ta.app.inject({ method: 'GET', url: '/api/v1/auth/me' })).statusCode, 401);
});

t.test('failed logins are rate-limited per account, across addresses', async (t) => {
  const u = (await ta.req('admin', { method: 'POST', url: '/api/v1/users', payload: { email: 'khoa@toasoan.test', password: 'right-password', role: 'author' } })).json();
  t.ok(u.id);
  for (let i = 0; i < 10; i++) {
    const res = await login('khoa@toasoan.test', `wrong-${i}`, `10.6.${i}.1`);
    t.equal(res.statusCode, 401, `failure ${i + 1}`);
  }
  const locked = await login('KHOA@toasoan.test', 'right-password', '10.6.99.1');
  t.equal(locked.statusCode, 429, 'even the right password is refused while locked');
  t.ok(Number(locked.headers['retry-after']) > 0);
  t.equal(locked.json().code, 'too_many_requests');
  t.equal((await login(author.email, author.password, '10.6.99.1')).statusCode, 200, 'other accounts are not locked');
});

t.test('failed logins are rate-limited per address, whatever email or spelling', async (t) => {
  for (let i = 0; i < 30; i++) {
    const res = await ta.app.inject({
      method: 'POST',
      url: i % 2 ? '/api/v1/auth/login' : '/api/v1/auth/login/?x=1',
      payload: { email: `ghost${i}@toasoan.test`, password: 'x' },
      remoteAddress: '10.7.0.1',
      // X-Forwarded-For is not trusted without TRUST_PROXY: changing it changes nothing.
      headers: { 'x-forwarded-for': `203.0.113.${i}` },
    });
    t.equal(res.statusCode, 401);
  }
  const res = await login(editor.email, editor.password, '10.7.0.1', { 'x-forwarded-for': '198.51.100.7' });
  t.equal(res.statusCode, 429);
  t.equal((await login(editor.email, editor.password, '10.7.0.2')).statusCode, 200);
});

t.test('login body is validated', async (t) => {
  const res = await ta.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'a@b.vn' } });
  t.equal(res.statusCode, 400);
  t.equal(res.json().code, 'validation_failed');
  t.same(res.json().errors, { password: 'is required' });
});
