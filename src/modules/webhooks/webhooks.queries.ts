import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { fetchPage } from '../../db/list-page.js';
import { deleteAtVersion, updateAtVersion } from '../../db/versioned.js';
import { webhooks } from '../../db/schema/index.js';
import { allWordsIn, foldSql, type ListPlan, type ListSpec } from '../../lib/list-sql.js';

export type NewWebhook = typeof webhooks.$inferInsert;

// Everything but the secret: it leaves the database only for signing and, once, on create/rotate.
const publicColumns = {
  id: webhooks.id, url: webhooks.url, events: webhooks.events, active: webhooks.active, description: webhooks.description,
  version: webhooks.version, createdAt: webhooks.createdAt, updatedAt: webhooks.updatedAt,
};

export const webhookListSpec: ListSpec = {
  fields: {
    id: { type: 'int' },
    url: { type: 'text' },
    events: { type: 'tag', sortable: false },
    active: { type: 'bool' },
    description: { type: 'text', sortable: false },
    createdAt: { type: 'timestamp' },
    updatedAt: { type: 'timestamp' },
  },
  columns: {
    id: webhooks.id, url: webhooks.url, events: webhooks.events, active: webhooks.active, description: webhooks.description,
    createdAt: webhooks.createdAt, updatedAt: webhooks.updatedAt,
  },
  id: webhooks.id,
  defaultSort: [{ field: 'id', dir: 'asc' }],
  // The same expression as the webhooks_search_idx trigram index.
  search: (q) => ({ where: allWordsIn(foldSql(sql`${webhooks.url} || ' ' || ${webhooks.description}`), q), rank: [] }),
};

export function listWebhooks(db: Db, plan: ListPlan) {
  return fetchPage(db, plan, db.select(publicColumns).from(webhooks).$dynamic(), webhooks);
}

export async function findWebhookById(db: Db, id: number) {
  const [row] = await db.select(publicColumns).from(webhooks).where(eq(webhooks.id, id));
  return row;
}

/** Inserts and returns the record with its secret (the create response shows it once). */
export async function insertWebhook(db: Db, values: NewWebhook) {
  const [row] = await db.insert(webhooks).values(values).returning({ ...publicColumns, secret: webhooks.secret });
  return row;
}

export async function updateWebhook(db: Db, id: number, version: number, values: Omit<Partial<NewWebhook>, 'secret'>, now: Date) {
  const [row] = await updateAtVersion(db, webhooks, id, version, values, now).returning(publicColumns);
  return row;
}

/** Returns the record with its new secret (the rotate response shows it once). */
export async function replaceSecret(db: Db, id: number, version: number, secret: string, now: Date) {
  const [row] = await updateAtVersion(db, webhooks, id, version, { secret }, now).returning({ ...publicColumns, secret: webhooks.secret });
  return row;
}

export async function deleteWebhook(db: Db, id: number, version: number) {
  const [row] = await deleteAtVersion(db, webhooks, id, version).returning(publicColumns);
  return row;
}
