import { and, eq, gt, lte } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { tokens, users } from '../../db/schema/index.js';
import type { Actor } from '../../policy/permissions.js';

export async function findActorByTokenHash(db: Db, tokenHash: string, now: Date): Promise<Actor | null> {
  const rows = await db
    .select({ id: users.id, role: users.role })
    .from(tokens)
    .innerJoin(users, eq(users.id, tokens.userId))
    .where(and(eq(tokens.tokenHash, tokenHash), gt(tokens.expiresAt, now), eq(users.disabled, false)))
    .limit(1);
  return rows[0] ?? null;
}

export async function insertToken(db: Db, values: { userId: number; tokenHash: string; expiresAt: Date }): Promise<void> {
  await db.insert(tokens).values(values);
}

export async function deleteToken(db: Db, tokenHash: string): Promise<void> {
  await db.delete(tokens).where(eq(tokens.tokenHash, tokenHash));
}

export async function deleteUserTokens(db: Db, userId: number): Promise<void> {
  await db.delete(tokens).where(eq(tokens.userId, userId));
}

export async function deleteExpiredTokens(db: Db, now: Date): Promise<void> {
  await db.delete(tokens).where(lte(tokens.expiresAt, now));
}
