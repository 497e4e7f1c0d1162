import { and, count, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { deleteAtVersion, updateAtVersion } from '../../db/versioned.js';
import { fetchPage } from '../../db/list-page.js';
import { users } from '../../db/schema/index.js';
import type { ListPlan, ListSpec } from '../../lib/list-sql.js';
import { allWordsIn, foldSql } from '../../lib/list-sql.js';
import { ROLES } from '../../policy/roles.js';

export type UserRow = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;

export const userListSpec: ListSpec = {
  fields: {
    id: { type: 'int' },
    email: { type: 'text' },
    name: { type: 'text' },
    role: { type: 'enum', values: ROLES },
    disabled: { type: 'bool' },
    createdAt: { type: 'timestamp' },
    updatedAt: { type: 'timestamp' },
  },
  columns: {
    id: users.id, email: users.email, name: users.name, role: users.role, disabled: users.disabled,
    createdAt: users.createdAt, updatedAt: users.updatedAt,
  },
  id: users.id,
  defaultSort: [{ field: 'id', dir: 'asc' }],
  search: (q) => ({ where: allWordsIn(sql`${foldSql(users.email)} || ' ' || ${foldSql(users.name)}`, q), rank: [] }),
};

export function listUsers(db: Db, plan: ListPlan): Promise<{ rows: UserRow[]; total: number }> {
  return fetchPage(db, plan, db.select().from(users).$dynamic(), users);
}

export async function findUserById(db: Db, id: number): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row;
}

export async function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.email, email));
  return row;
}

export async function insertUser(db: Db, values: NewUser): Promise<UserRow> {
  const [row] = await db.insert(users).values(values).returning();
  return row;
}

export async function updateUser(db: Db, id: number, version: number, values: Partial<NewUser>, now: Date): Promise<UserRow | undefined> {
  const [row] = await updateAtVersion(db, users, id, version, values, now).returning();
  return row;
}

/** Deletes the user only at `version`: a user changed since it was read stays. */
export async function deleteUser(db: Db, id: number, version: number): Promise<UserRow | undefined> {
  const [row] = await deleteAtVersion(db, users, id, version).returning();
  return row;
}

/**
 * Locks every active admin row and counts those other than `exceptId`. Two transactions that
 * each take an admin away wait for each other here, and the second counts what the first left
 * (PostgreSQL re-reads a locked row after its writer commits): the last admin cannot go.
 */
export async function lockOtherActiveAdmins(db: Db, exceptId: number): Promise<number> {
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.role, 'admin'), eq(users.disabled, false)))
    .orderBy(users.id)
    .for('update');
  return rows.filter((r) => r.id !== exceptId).length;
}

export async function countUsers(db: Db): Promise<number> {
  const [{ n }] = await db.select({ n: count() }).from(users);
  return n;
}
