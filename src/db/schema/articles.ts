import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { categories } from './categories.js';
import { folded, recordColumns, timestamptz } from './columns.js';
import { articleStatusEnum } from './enums.js';
import { users } from './users.js';

export interface Credit {
  role: string;
  name: string;
}

// The text that `q` searches: title, lead and the body without its tags, accent-folded and
// lower-cased in the database so that one trigram index serves every search.
const searchDoc = (t: { title: unknown; summary: unknown; body: unknown }) =>
  folded(sql`${t.title} || ' ' || ${t.summary} || ' ' || regexp_replace(${t.body}, '<[^>]*>', ' ', 'g')`);

// The working copy: what staff edit. Its public counterpart is article_live.
export const articles = pgTable(
  'articles',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    title: text('title').notNull(),
    slug: text('slug').notNull(),
    summary: text('summary').notNull().default(''),
    body: text('body').notNull().default(''),
    categoryId: integer('category_id').references(() => categories.id, { onDelete: 'restrict' }),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    coverMediaId: integer('cover_media_id'),
    credits: jsonb('credits').$type<Credit[]>().notNull().default(sql`'[]'::jsonb`),
    authorId: integer('author_id').references(() => users.id, { onDelete: 'set null' }),
    status: articleStatusEnum('status').notNull().default('draft'),
    // When the article was last made live; null while it never was.
    publishedAt: timestamptz('published_at'),
    // A pending schedule (status `scheduled`).
    publishAt: timestamptz('publish_at'),
    searchDoc: text('search_doc')
      .notNull()
      .generatedAlwaysAs((): ReturnType<typeof sql> => searchDoc({ title: articles.title, summary: articles.summary, body: articles.body })),
    ...recordColumns,
  },
  (t) => [
    uniqueIndex('articles_slug_key').on(t.slug),
    index('articles_updated_at_idx').on(t.updatedAt, t.id),
    index('articles_created_at_idx').on(t.createdAt, t.id),
    index('articles_status_idx').on(t.status, t.updatedAt, t.id),
    index('articles_category_id_idx').on(t.categoryId, t.id),
    index('articles_author_id_idx').on(t.authorId, t.id),
    index('articles_published_at_idx').on(t.publishedAt, t.id),
    index('articles_publish_at_idx').on(t.publishAt).where(sql`${t.publishAt} IS NOT NULL`),
    index('articles_tags_idx').using('gin', t.tags),
    index('articles_search_doc_idx').using('gin', sql`${t.searchDoc} gin_trgm_ops`),
    index('articles_title_folded_idx').using('gin', sql`${folded(sql`${t.title}`)} gin_trgm_ops`),
  ],
);

// The live version: a snapshot of the working copy taken at publication, what anonymous readers
// get. At most one per article; public lists read only this table.
export const articleLive = pgTable(
  'article_live',
  {
    articleId: integer('article_id')
      .primaryKey()
      .references(() => articles.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    slug: text('slug').notNull(),
    summary: text('summary').notNull(),
    body: text('body').notNull(),
    categoryId: integer('category_id').references(() => categories.id, { onDelete: 'restrict' }),
    tags: text('tags').array().notNull(),
    coverMediaId: integer('cover_media_id'),
    credits: jsonb('credits').$type<Credit[]>().notNull(),
    authorId: integer('author_id').references(() => users.id, { onDelete: 'set null' }),
    publishedAt: timestamptz('published_at').notNull(),
    revisionId: integer('revision_id'),
    searchDoc: text('search_doc')
      .notNull()
      .generatedAlwaysAs((): ReturnType<typeof sql> => searchDoc({ title: articleLive.title, summary: articleLive.summary, body: articleLive.body })),
    createdAt: timestamptz('created_at').notNull(),
    updatedAt: timestamptz('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('article_live_slug_key').on(t.slug),
    index('article_live_published_at_idx').on(t.publishedAt, t.articleId),
    index('article_live_category_idx').on(t.categoryId, t.publishedAt, t.articleId),
    index('article_live_tags_idx').using('gin', t.tags),
    index('article_live_search_doc_idx').using('gin', sql`${t.searchDoc} gin_trgm_ops`),
  ],
);

