import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { articles } from './articles.js';
import { folded, recordColumns } from './columns.js';

// Curated collections (API.md §10): a front page, "Tin nổi bật", a district's box.
export const collections = pgTable(
  'collections',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    name: text('name').notNull(),
    slug: text('slug').notNull(),
    description: text('description').notNull().default(''),
    /** How many live articles the public view shows; `items` may hold more, which move up. */
    maxItems: integer('max_items').notNull().default(10),
    ...recordColumns,
  },
  (t) => [
    uniqueIndex('collections_slug_key').on(t.slug),
    index('collections_updated_at_idx').on(t.updatedAt, t.id),
    index('collections_created_at_idx').on(t.createdAt, t.id),
    index('collections_name_folded_idx').using('gin', sql`${folded(sql`${t.name}`)} gin_trgm_ops`),
    check('collections_max_items_check', sql`${t.maxItems} BETWEEN 1 AND 100`),
  ],
);

// A collection's `items`, one row per article in the editors' order. A table rather than an
// int[] column: the foreign key removes a deleted article from every collection in the deleting
// transaction whatever path deletes it, the public read walks (collection_id, position) in order,
// and "which collections hold article X" (a publish, a delete) is an index lookup.
export const collectionItems = pgTable(
  'collection_items',
  {
    collectionId: integer('collection_id')
      .notNull()
      .references(() => collections.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    articleId: integer('article_id')
      .notNull()
      .references(() => articles.id, { onDelete: 'cascade' }),
  },
  (t) => [
    primaryKey({ name: 'collection_items_pkey', columns: [t.collectionId, t.position] }),
    // An article appears once per collection.
    uniqueIndex('collection_items_article_key').on(t.articleId, t.collectionId),
  ],
);
