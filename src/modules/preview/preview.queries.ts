import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { fetchPage } from '../../db/list-page.js';
import { previewLinks, users } from '../../db/schema/index.js';
import type { ListPlan, ListSpec } from '../../lib/list-sql.js';

export type PreviewLinkRow = typeof previewLinks.$inferSelect;

// The token hash is never selected for a response.
const publicColumns = {
  id: previewLinks.id, articleId: previewLinks.articleId, createdBy: previewLinks.createdBy, expiresAt: previewLinks.expiresAt,
  revokedAt: previewLinks.revokedAt, createdAt: previewLinks.createdAt,
};
export type PreviewLinkView = Omit<PreviewLinkRow, 'tokenHash'>;

export const previewLinkListSpec: ListSpec = {
  fields: { id: { type: 'int' }, createdBy: { type: 'int', nullable: true }, expiresAt: { type: 'timestamp' }, createdAt: { type: 'timestamp' } },
  columns: { id: previewLinks.id, createdBy: previewLinks.createdBy, expiresAt: previewLinks.expiresAt, createdAt: previewLinks.createdAt },
  id: previewLinks.id,
  defaultSort: [{ field: 'id', dir: 'desc' }],
};

export const linksOf = (articleId: number) => eq(previewLinks.articleId, articleId);

export async function insertPreviewLink(db: Db, values: typeof previewLinks.$inferInsert): Promise<PreviewLinkView> {
  const [row] = await db.insert(previewLinks).values(values).returning(publicColumns);
  return row;
}

export function listPreviewLinks(db: Db, plan: ListPlan) {
  return fetchPage(db, plan, db.select(publicColumns).from(previewLinks).$dynamic(), previewLinks);
}

export async function findPreviewLink(db: Db, articleId: number, id: number): Promise<PreviewLinkView | undefined> {
  const [row] = await db.select(publicColumns).from(previewLinks).where(and(eq(previewLinks.articleId, articleId), eq(previewLinks.id, id)));
  return row;
}

/**
 * The article a valid token opens: known, unexpired, unrevoked, and made by a user who still
 * exists and is not disabled. Disabling or deleting revokes the links too; the join also covers
 * a link made in the moment the user was disabled, and links left from before that rule.
 */
export async function findArticleIdByToken(db: Db, tokenHash: string, now: Date): Promise<number | undefined> {
  const [row] = await db
    .select({ articleId: previewLinks.articleId })
    .from(previewLinks)
    .innerJoin(users, and(eq(users.id, previewLinks.createdBy), eq(users.disabled, false)))
    .where(and(eq(previewLinks.tokenHash, tokenHash), gt(previewLinks.expiresAt, now), isNull(previewLinks.revokedAt)));
  return row?.articleId;
}

export async function revokePreviewLink(db: Db, id: number, now: Date): Promise<PreviewLinkView | undefined> {
  const [row] = await db.update(previewLinks).set({ revokedAt: now }).where(and(eq(previewLinks.id, id), isNull(previewLinks.revokedAt))).returning(publicColumns);
  return row;
}

export async function revokeArticlePreviewLinks(db: Db, articleId: number, now: Date): Promise<void> {
  await db.update(previewLinks).set({ revokedAt: now }).where(and(eq(previewLinks.articleId, articleId), isNull(previewLinks.revokedAt)));
}

/** Every live link a user made: disabling or deleting the user ends them (API.md §5). */
export async function revokeUserPreviewLinks(db: Db, userId: number, now: Date): Promise<void> {
  await db.update(previewLinks).set({ revokedAt: now }).where(and(eq(previewLinks.createdBy, userId), isNull(previewLinks.revokedAt)));
}
