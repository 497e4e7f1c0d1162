import { count, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { slugFamily } from '../../db/slug-family.js';
import { deleteAtVersion, updateAtVersion } from '../../db/versioned.js';
import { fetchPage } from '../../db/list-page.js';
import { rowsOf } from '../../db/rows.js';
import { articleLive, articles, categories } from '../../db/schema/index.js';
import { allWordsIn, anyOf, foldSql, type ListPlan, type ListSpec } from '../../lib/list-sql.js';

export type CategoryRow = typeof categories.$inferSelect;
export type NewCategory = typeof categories.$inferInsert;

export const categoryListSpec: ListSpec = {
  fields: {
    id: { type: 'int' },
    name: { type: 'text' },
    slug: { type: 'text' },
    description: { type: 'text', sortable: false },
    parentId: { type: 'int', nullable: true },
    position: { type: 'int' },
    createdAt: { type: 'timestamp' },
    updatedAt: { type: 'timestamp' },
  },
  columns: {
    id: categories.id, name: categories.name, slug: categories.slug, description: categories.description,
    parentId: categories.parentId, position: categories.position, createdAt: categories.createdAt, updatedAt: categories.updatedAt,
  },
  id: categories.id,
  defaultSort: [{ field: 'position', dir: 'asc' }],
  search: (q) => ({ where: allWordsIn(foldSql(categories.name), q), rank: [] }),
};

export function listCategories(db: Db, plan: ListPlan): Promise<{ rows: CategoryRow[]; total: number }> {
  return fetchPage(db, plan, db.select().from(categories).$dynamic(), categories);
}

export async function findCategoryById(db: Db, id: number): Promise<CategoryRow | undefined> {
  const [row] = await db.select().from(categories).where(eq(categories.id, id));
  return row;
}

export async function findCategoryBySlug(db: Db, slug: string): Promise<CategoryRow | undefined> {
  const [row] = await db.select().from(categories).where(eq(categories.slug, slug));
  return row;
}

/** Slugs like base / base-N taken by any category but `exceptId`. */
export async function findCategorySlugsLike(db: Db, base: string, exceptId?: number): Promise<string[]> {
  const rows = await db
    .select({ slug: categories.slug, id: categories.id })
    .from(categories)
    .where(slugFamily(categories.slug, base));
  return rows.filter((r) => r.id !== exceptId).map((r) => r.slug);
}

export async function insertCategory(db: Db, values: NewCategory): Promise<CategoryRow> {
  const [row] = await db.insert(categories).values(values).returning();
  return row;
}

export async function updateCategory(db: Db, id: number, version: number, values: Partial<NewCategory>, now: Date): Promise<CategoryRow | undefined> {
  const [row] = await updateAtVersion(db, categories, id, version, values, now).returning();
  return row;
}

export async function deleteCategory(db: Db, id: number, version: number): Promise<CategoryRow | undefined> {
  const [row] = await deleteAtVersion(db, categories, id, version).returning();
  return row;
}

/** The ids of a category's ancestors, nearest first. */
export async function findAncestorIds(db: Db, id: number): Promise<number[]> {
  const rows = await db.execute<{ id: number }>(sql`
    WITH RECURSIVE up(id, parent_id, depth) AS (
      SELECT id, parent_id, 0 FROM categories WHERE id = ${id}
      UNION ALL
      SELECT c.id, c.parent_id, up.depth + 1 FROM categories c JOIN up ON c.id = up.parent_id WHERE up.depth < 100
    )
    SELECT id FROM up WHERE depth > 0 ORDER BY depth`);
  return rowsOf<{ id: number }>(rows).map((r) => Number(r.id));
}

/** A category and all its descendants, by slug (the `category` filter of articles). */
export function descendantIdsBySlug(slugs: string[]) {
  return sql`(
    WITH RECURSIVE down(id, depth) AS (
      SELECT id, 0 FROM categories WHERE ${anyOf(sql.raw('slug'), 'text', slugs)}
      UNION ALL
      SELECT c.id, down.depth + 1 FROM categories c JOIN down ON c.parent_id = down.id WHERE down.depth < 100
    )
    SELECT id FROM down)`;
}

export async function categoryUsage(db: Db, id: number): Promise<{ children: number; articles: number }> {
  const [[{ children }], [{ working }], [{ live }]] = await Promise.all([
    db.select({ children: count() }).from(categories).where(eq(categories.parentId, id)),
    db.select({ working: count() }).from(articles).where(eq(articles.categoryId, id)),
    db.select({ live: count() }).from(articleLive).where(eq(articleLive.categoryId, id)),
  ]);
  return { children, articles: working + live };
}

/** Serialises tree changes so that two concurrent moves cannot make a cycle together. */
export async function lockCategoryTree(db: Db): Promise<void> {
  await db.execute(sql`SELECT pg_advisory_xact_lock(724331002)`);
}
