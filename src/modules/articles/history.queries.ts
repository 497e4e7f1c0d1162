import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { fetchPage } from '../../db/list-page.js';
import { articleHistory, users } from '../../db/schema/index.js';
import type { ListPlan, ListSpec } from '../../lib/list-sql.js';
import type { Status } from '../../workflow/states.js';

export const historyListSpec: ListSpec = {
  fields: { id: { type: 'int' }, action: { type: 'text' }, actorId: { type: 'int', nullable: true }, at: { type: 'timestamp' } },
  columns: { id: articleHistory.id, action: articleHistory.action, actorId: articleHistory.actorId, at: articleHistory.at },
  id: articleHistory.id,
  defaultSort: [{ field: 'id', dir: 'asc' }],
};

export async function insertHistory(
  db: Db,
  row: { articleId: number; action: string; fromStatus: Status; toStatus: Status; actorId: number | null; comment?: string | null; at: Date },
): Promise<void> {
  await db.insert(articleHistory).values(row);
}

/** The scope of one article's history, for buildListPlan. */
export const historyOf = (articleId: number) => eq(articleHistory.articleId, articleId);

export function listHistory(db: Db, plan: ListPlan) {
  const rows = db
    .select({
      id: articleHistory.id, action: articleHistory.action, from: articleHistory.fromStatus, to: articleHistory.toStatus,
      actorId: articleHistory.actorId, comment: articleHistory.comment, at: articleHistory.at,
      actor: { id: users.id, name: users.name },
    })
    .from(articleHistory)
    .leftJoin(users, eq(users.id, articleHistory.actorId))
    .$dynamic();
  return fetchPage(db, plan, rows, articleHistory);
}
