import type { Static } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/client.js';
import { listPage } from '../../lib/list-sql.js';
import { hashPassword } from '../../lib/password.js';
import { checkVersion, expectedVersion } from '../../lib/record.js';
import { conflict, notFound, preconditionFailed } from '../../lib/problem.js';
import { normalizeDeep } from '../../lib/text.js';
import type { Actor } from '../../policy/permissions.js';
import type { Role } from '../../policy/roles.js';
import { deleteUserTokens } from '../auth/auth.queries.js';
import { revokeUserPreviewLinks } from '../preview/preview.queries.js';
import type { UpdateUserBody } from './users.schemas.js';
import * as q from './users.queries.js';

export const normalizeEmail = (email: string) => email.normalize('NFC').trim().toLowerCase();

export async function listUsers(ctx: AppContext, query: Record<string, string | string[] | undefined>) {
  return listPage(query, q.userListSpec, (plan) => q.listUsers(ctx.db, plan));
}

export async function getUser(ctx: AppContext, id: number) {
  const user = await q.findUserById(ctx.db, id);
  if (!user) throw notFound('User');
  return user;
}

export async function createUser(ctx: AppContext, input: { email: string; password: string; role: Role; name?: string; disabled?: boolean }) {
  const email = normalizeEmail(input.email);
  if (await q.findUserByEmail(ctx.db, email)) throw conflict('A user with this email already exists.', [{ path: 'email', message: 'is taken' }]);
  return q.insertUser(ctx.db, {
    email,
    name: (input.name ?? '').normalize('NFC').trim(),
    role: input.role,
    disabled: input.disabled ?? false,
    passwordHash: await hashPassword(input.password),
  });
}

/** A conditional write matched nothing: the user changed (412) or is gone (404). */
async function changedMeanwhile(db: Db, id: number): Promise<never> {
  const now = await q.findUserById(db, id);
  if (!now) throw notFound('User');
  throw preconditionFailed(now.version);
}

const isActiveAdmin = (u: { role: Role; disabled: boolean }) => u.role === 'admin' && !u.disabled;

/**
 * Checks, writes and revokes in one transaction: the "last active admin" rule is checked on
 * locked rows, so two admins demoting each other at once cannot leave nobody in charge.
 */
export async function updateUser(ctx: AppContext, actor: Actor, id: number, rawBody: Static<typeof UpdateUserBody>, ifMatch: string | undefined) {
  const body = normalizeDeep(rawBody);
  // The slow hash comes first: no transaction waits for it.
  const passwordHash = body.password !== undefined ? await hashPassword(body.password) : undefined;
  return ctx.db.transaction(async (tx) => {
    const current = await q.findUserById(tx, id);
    if (!current) throw notFound('User');
    checkVersion(expectedVersion(ifMatch, body.version, current.version), current.version);

    const values: Partial<q.NewUser> = {};
    if (body.email !== undefined && normalizeEmail(body.email) !== current.email) {
      values.email = normalizeEmail(body.email);
      const other = await q.findUserByEmail(tx, values.email);
      if (other && other.id !== id) throw conflict('A user with this email already exists.', [{ path: 'email', message: 'is taken' }]);
    }
    if (body.name !== undefined) values.name = body.name.trim();
    if (body.role !== undefined && body.role !== current.role) values.role = body.role;
    if (body.disabled !== undefined && body.disabled !== current.disabled) values.disabled = body.disabled;
    if (passwordHash !== undefined) values.passwordHash = passwordHash;

    const after = { role: values.role ?? current.role, disabled: values.disabled ?? current.disabled };
    if (isActiveAdmin(current) && !isActiveAdmin(after) && (await q.lockOtherActiveAdmins(tx, id)) === 0) {
      throw conflict('This is the last active admin; appoint another admin first.');
    }
    if (actor.id === id && values.disabled) throw conflict('You cannot disable your own account.');

    const updated = await q.updateUser(tx, id, current.version, values, ctx.now());
    if (!updated) return changedMeanwhile(tx, id);
    // A new password, a new role or a disabled account ends every session at once (API.md §4);
    // disabling also ends the preview links the user made (§5), a role change does not.
    if (values.passwordHash !== undefined || values.role !== undefined || values.disabled === true) await deleteUserTokens(tx, id);
    if (values.disabled === true) await revokeUserPreviewLinks(tx, id, ctx.now());
    return updated;
  });
}

/** At the version read (If-Match), and never the last active admin: checked on locked rows, as for updates. */
export async function deleteUser(ctx: AppContext, actor: Actor, id: number, ifMatch: string | undefined) {
  return ctx.db.transaction(async (tx) => {
    const current = await q.findUserById(tx, id);
    if (!current) throw notFound('User');
    checkVersion(expectedVersion(ifMatch, undefined, current.version), current.version);
    if (actor.id === id) throw conflict('You cannot delete your own account.');
    if (isActiveAdmin(current) && (await q.lockOtherActiveAdmins(tx, id)) === 0) throw conflict('This is the last active admin.');
    // Before the delete, which would leave the links without a maker (created_by set null).
    await revokeUserPreviewLinks(tx, id, ctx.now());
    const deleted = await q.deleteUser(tx, id, current.version);
    if (!deleted) return changedMeanwhile(tx, id);
    return deleted;
  });
}

/** ADMIN_EMAIL/ADMIN_PASSWORD: create that admin at start when no such user exists. */
export async function ensureInitialAdmin(ctx: AppContext): Promise<void> {
  const { adminEmail, adminPassword } = ctx.config;
  if (!adminEmail || !adminPassword) {
    if ((await q.countUsers(ctx.db)) === 0) {
      ctx.log.warn('No users yet: set ADMIN_EMAIL and ADMIN_PASSWORD, or run `npm run user:create -- --email … --role admin`.');
    }
    return;
  }
  if (await q.findUserByEmail(ctx.db, normalizeEmail(adminEmail))) return;
  try {
    await createUser(ctx, { email: adminEmail, password: adminPassword, role: 'admin', name: 'Admin' });
    ctx.log.info({ email: normalizeEmail(adminEmail) }, 'created the first admin');
  } catch (err) {
    // Another instance created it at the same moment.
    if (!(await q.findUserByEmail(ctx.db, normalizeEmail(adminEmail)))) throw err;
  }
}
