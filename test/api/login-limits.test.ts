// Login budgets against the attacks of issue 15 (API.md §4): parallel bursts, several instances,
// other spellings of the email, the path and the client address.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import t from 'tap';
import { createTestApp } from '../helpers/app.js';

const ta = await createTestApp();
t.teardown(() => ta.close());

let n = 0;
/** A user of its own for each test, so that no test shares a budget with another. */
async function freshUser(password = 'right-password-1') {
  const email = `victim${++n}@toasoan.test`;
  const res = await ta.req('admin', { method: 'POST', url: '/api/v1/users', payload: { email, password, role: 'author' } });
  if (res.statusCode !== 201) throw new Error(res.body);
  return { email, password };
}

const login = (email: string, password: string, remoteAddress: string, app: FastifyInstance = ta.app, url = '/api/v1/auth/login') =>
  app.inject({ method: 'POST', url, payload: { email, password }, remoteAddress });

const codes = (replies: LightMyRequestResponse[]) => replies.map((r) => r.statusCode);
const countOf = (replies: LightMyRequestResponse[], status: number) => replies.filter((r) => r.statusCode === status).length;

t.test('60 parallel attempts (59 wrong, the right one last) get at most 10 password checks and no token', async (t) => {
  const u = await freshUser();
  const replies = await Promise.all(Array.from({ length: 60 }, (_, i) => login(u.email, i === 59 ? u.password : `wrong-${i}`, '10.20.0.1')));
  t.ok(countOf(replies, 401) <= 10, `401s: ${countOf(replies, 401)}`);
  t.equal(countOf(replies, 401) + countOf(replies, 429), 60, `only 401 and 429: ${codes(replies).join(',')}`);
  const last = replies[59];
  t.equal(last.statusCode, 429, 'the right password, sent last, is refused');
  t.notOk(last.json().token);
  t.ok(Number(last.headers['retry-after']) > 0);
  t.equal((await login(u.email, u.password, '10.20.0.2')).statusCode, 429, 'the account stays locked from anywhere');
});

t.test('the same burst split across two instances shares one budget', async (t) => {
  const other = await ta.secondInstance();
  const u = await freshUser();
  const replies = await Promise.all(
    Array.from({ length: 60 }, (_, i) => login(u.email, i === 59 ? u.password : `wrong-${i}`, `10.21.0.${i % 7}`, i % 2 ? other : ta.app)),
  );
  t.ok(countOf(replies, 401) <= 10, `401s across both instances: ${countOf(replies, 401)}`);
  t.equal(countOf(replies, 200), 0, 'no token');
  t.equal((await login(u.email, u.password, '10.21.1.1', other)).statusCode, 429);
  t.equal((await login(u.email, u.password, '10.21.1.1', ta.app)).statusCode, 429);
});

t.test('other spellings of the email and of the path count against the same budget', async (t) => {
  const u = await freshUser();
  const local = u.email.split('@')[0];
  const emails = [u.email.toUpperCase(), `  ${u.email}  `, `${local}@TOASOAN.test`, u.email.normalize('NFD'), `${local[0].toUpperCase()}${local.slice(1)}@toasoan.test`];
  const paths = ['/api/v1/auth/login/', '/api/v1/%61uth/login', '/api/v1/auth/%6Cogin', '/api/v1/auth/login?x=1', '/api/v1/%61%75%74%68/login/'];
  for (let i = 0; i < 10; i++) {
    const res = await login(emails[i % emails.length], `wrong-${i}`, `10.22.${i}.1`, ta.app, paths[i % paths.length]);
    t.equal(res.statusCode, 401, `${paths[i % paths.length]} ${emails[i % emails.length]}`);
  }
  for (const url of paths) t.equal((await login(u.email, u.password, '10.22.99.1', ta.app, url)).statusCode, 429, `locked through ${url}`);
});

t.test('an address budget spans every email, and IPv6 clients are counted per /64', async (t) => {
  for (let i = 0; i < 30; i++) {
    const address = `2001:db8:aa:1:${i.toString(16)}::${i}`;
    t.equal((await login(`ghost${i}@toasoan.test`, 'x', address)).statusCode, 401);
  }
  const u = await freshUser();
  const res = await login(u.email, u.password, '2001:db8:aa:1:ffff::1');
  t.equal(res.statusCode, 429, 'another address of the same /64 is the same client');
  t.equal((await login(u.email, u.password, '2001:db8:aa:2::1')).statusCode, 200, 'the next /64 is another client');
});

t.test('an IPv4 client is one client whether or not its address is IPv4-mapped', async (t) => {
  for (let i = 0; i < 30; i++) await login(`ghost-v4-${i}@toasoan.test`, 'x', i % 2 ? '10.23.0.1' : '::ffff:10.23.0.1');
  const u = await freshUser();
  t.equal((await login(u.email, u.password, '10.23.0.1')).statusCode, 429);
  t.equal((await login(u.email, u.password, '::ffff:10.23.0.1')).statusCode, 429);
});

// A unit is held while its password is checked, so only attempts in flight at the same moment
// count together; each success gives its unit back.
t.test('successes are not failures: a newsroom behind one address keeps logging in', async (t) => {
  const u = await freshUser();
  const replies = [];
  for (let i = 0; i < 32; i++) replies.push(await login(u.email, u.password, '10.24.0.1'));
  t.same(new Set(codes(replies)), new Set([200]), '32 logins in a row from one address (more than its 30), none refused');
  const burst = await Promise.all(Array.from({ length: 8 }, () => login(u.email, u.password, '10.24.0.1')));
  t.same(new Set(codes(burst)), new Set([200]), '8 at once, within the budget, none refused');
});

t.test('a success clears the account failures but not the address failures', async (t) => {
  const u = await freshUser();
  for (let i = 0; i < 9; i++) t.equal((await login(u.email, `wrong-${i}`, '10.25.0.1')).statusCode, 401);
  t.equal((await login(u.email, u.password, '10.25.0.1')).statusCode, 200);
  for (let i = 0; i < 10; i++) t.equal((await login(u.email, `wrong-again-${i}`, '10.25.0.2')).statusCode, 401, 'a fresh account budget');
  for (let i = 0; i < 21; i++) t.equal((await login(`ghost-25-${i}@toasoan.test`, 'x', '10.25.0.1')).statusCode, 401);
  t.equal((await login(`ghost-25-last@toasoan.test`, 'x', '10.25.0.1')).statusCode, 429, '9 + 21 failures: the address budget is spent');
});
