// Someone must stay in charge: the last active admin cannot be demoted, disabled or deleted, also
// when two admins take each other away at the same moment (the rule is checked on locked rows,
// in the transaction that writes). And a user is deleted only at the version its If-Match names.
import t from 'tap';
import { users } from '../../src/db/schema/index.js';
import { createTestApp } from '../helpers/app.js';

const ta = await createTestApp({ SCHEDULER_INTERVAL_MS: '0' });
t.teardown(() => ta.close());

type Admin = { id: number; token: string };
type Call = { method: 'PATCH' | 'DELETE' | 'GET' | 'POST'; url: string; payload?: object; headers?: Record<string, string> };

const as = (who: Admin, opts: Call) => ta.app.inject({ ...opts, headers: { ...opts.headers, authorization: `Bearer ${who.token}` } });

/** The admin in charge between the races (a demoted admin's tokens are revoked). */
let boss: Admin = { id: ta.users.admin.id, token: ta.users.admin.token };

async function newAdmin(email: string): Promise<Admin> {
  const password = 'mat-khau-quan-tri-123';
  const made = await as(boss, { method: 'POST', url: '/api/v1/users', payload: { email, password, role: 'admin', name: email } });
  if (made.statusCode !== 201) throw new Error(made.body);
  const login = await ta.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
  return { id: made.json().id, token: login.json().token };
}

async function activeAdmins(): Promise<number[]> {
  const rows = await ta.app.ctx.db.select().from(users);
  return rows.filter((u) => u.role === 'admin' && !u.disabled).map((u) => u.id);
}

/** Leaves exactly `x` and `y` as the active admins (the admin in charge steps down). */
async function twoAdmins(tag: string): Promise<[Admin, Admin]> {
  const x = await newAdmin(`x-${tag}@toasoan.test`);
  const y = await newAdmin(`y-${tag}@toasoan.test`);
  for (const id of await activeAdmins()) {
    if (id !== x.id && id !== y.id) {
      const res = await as(x, { method: 'PATCH', url: `/api/v1/users/${id}`, payload: { role: 'editor' } });
      if (res.statusCode !== 200) throw new Error(res.body);
    }
  }
  return [x, y];
}

const races: Array<[string, (me: Admin, other: Admin) => Call]> = [
  ['demote', (_me, other) => ({ method: 'PATCH', url: `/api/v1/users/${other.id}`, payload: { role: 'editor' } })],
  ['disable', (_me, other) => ({ method: 'PATCH', url: `/api/v1/users/${other.id}`, payload: { disabled: true } })],
  ['delete', (_me, other) => ({ method: 'DELETE', url: `/api/v1/users/${other.id}` })],
];

for (const [first, a] of races) {
  for (const [second, b] of races) {
    t.test(`two admins at once: one ${first}s the other, who ${second}s the first: one wins`, async (t) => {
      const [x, y] = await twoAdmins(`${first}-${second}`);
      const results = await Promise.all([as(x, a(x, y)), as(y, b(y, x))]);
      t.same(results.map((r) => r.statusCode).sort(), [200, 409], results.map((r) => r.body).join(' | '));
      t.equal(results.find((r) => r.statusCode === 409)?.json().code, 'conflict');
      const left = await activeAdmins();
      t.equal(left.length, 1, 'one active admin is left');
      t.ok(left.includes(x.id) || left.includes(y.id));
      boss = left[0] === x.id ? x : y;
    });
  }
}

t.test('DELETE /users/:id honours If-Match: 412 on a stale version, nothing deleted', async (t) => {
  const made = (await as(boss, { method: 'POST', url: '/api/v1/users', payload: { email: 'cu@toasoan.test', password: 'mat-khau-dai-123', role: 'author' } })).json();
  const renamed = (await as(boss, { method: 'PATCH', url: `/api/v1/users/${made.id}`, payload: { name: 'Đổi tên' } })).json();
  t.equal(renamed.version, made.version + 1);
  const stale = await as(boss, { method: 'DELETE', url: `/api/v1/users/${made.id}`, headers: { 'if-match': `"${made.version}"` } });
  t.equal(stale.statusCode, 412);
  t.equal(stale.json().code, 'precondition_failed');
  t.equal((await as(boss, { method: 'GET', url: `/api/v1/users/${made.id}` })).statusCode, 200, 'still there');
  const got = await as(boss, { method: 'GET', url: `/api/v1/users/${made.id}` });
  const ok = await as(boss, { method: 'DELETE', url: `/api/v1/users/${made.id}`, headers: { 'if-match': got.headers.etag as string } });
  t.equal(ok.statusCode, 200, ok.body);
  t.equal((await as(boss, { method: 'GET', url: `/api/v1/users/${made.id}` })).statusCode, 404);
});

t.test('a delete racing an edit of the same user: the edit wins or the delete does, never a half', async (t) => {
  const made = (await as(boss, { method: 'POST', url: '/api/v1/users', payload: { email: 'dua@toasoan.test', password: 'mat-khau-dai-123', role: 'author' } })).json();
  const [edit, del] = await Promise.all([
    as(boss, { method: 'PATCH', url: `/api/v1/users/${made.id}`, payload: { name: 'Sửa', version: made.version } }),
    as(boss, { method: 'DELETE', url: `/api/v1/users/${made.id}`, headers: { 'if-match': `"${made.version}"` } }),
  ]);
  const codes = [edit.statusCode, del.statusCode];
  t.ok(codes.includes(200), `one succeeds: ${codes}`);
  t.ok(codes.every((c) => c === 200 || c === 412 || c === 404), `the other is refused: ${codes}`);
  t.not(codes[0] === 200 && codes[1] === 200, true, 'not both at the same version');
});
