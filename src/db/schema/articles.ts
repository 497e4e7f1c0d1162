import { sql } from 'drizzle-orm';
import { customType, index, integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { categories } from './categories.js';
import { folded, recordColumns, timestamptz } from './columns.js';
import { articleStatusEnum } from './enums.js';
import { media } from './media.js';
import { users } from './users.js';

export interface Credit {
  role: string;
  name: string;
}

/** What an article says to search engines and social cards (API.md §10); '' / null: not set, the public shape falls back. */
export interface ArticleSeo {
  title: string;
  description: string;
  canonicalUrl: string;
  noindex: boolean;
  ogImageId: number | null;
}

/** Every key, set to nothing: what an article without SEO settings stores. */
export const EMPTY_SEO: ArticleSeo = { title: '', description: '', canonicalUrl: '', noindex: false, ogImageId: null };
/** seo.ogImageId as an integer (NULL when not set). */
export const ogImageIdOf = (seo: unknown) => sql`((${seo}->>'ogImageId')::int)`;
const seoColumn = () => jsonb('seo').$type<ArticleSeo>().notNull().default(sql`'{"title": "", "description": "", "canonicalUrl": "", "noindex": false, "ogImageId": null}'::jsonb`);

// What `q` searches: title (weight A), lead and body text without tags (weight B), accent-folded
// and lower-cased in the database (f_unaccent is IMMUTABLE), as one stored tsvector with a GIN
// index. Words, not substrings: far cheaper than trigrams on ~3 KB bodies at a million rows.
const searchVector = (t: { title: unknown; summary: unknown; body: unknown }) =>
  sql`setweight(to_tsvector('simple'::regconfig, ${folded(sql`${t.title}`)}), 'A') || setweight(to_tsvector('simple'::regconfig, ${folded(
    sql`${t.summary} || ' ' || regexp_replace(${t.body}, '<[^>]*>', ' ', 'g')`,
  )}), 'B')`;

// The title's words alone: relevance ranks title matches first (API.md §5), and this small
// column answers that for every match without reading the large search vector again.
const titleVector = (t: { title: unknown }) => sql`to_tsvector('simple'::regconfig, ${folded(sql`${t.title}`)})`;

export const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

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
    coverMediaId: integer('cover_media_id').references(() => media.id, { onDelete: 'restrict' }),
    credits: jsonb('credits').$type<Credit[]>().notNull().default(sql`'[]'::jsonb`),
    seo: seoColumn(),
    authorId: integer('author_id').references(() => users.id, { onDelete: 'set null' }),
    status: articleStatusEnum('status').notNull().default('draft'),
    // When the article was last made live; null while it never was.
    publishedAt: timestamptz('published_at'),
    // A pending schedule (status `scheduled`).
    publishAt: timestamptz('publish_at'),
    searchVector: tsvector('search_vector')
      .notNull()
      .generatedAlwaysAs((): ReturnType<typeof sql> => searchVector({ title: articles.title, summary: articles.summary, body: articles.body })),
    titleVector: tsvector('title_vector')
      .notNull()
      .generatedAlwaysAs((): ReturnType<typeof sql> => titleVector({ title: articles.title })),
    ...recordColumns,
  },
  (t) => [
    // text_pattern_ops: equality, and the byte-wise ranges of slug-family.ts.
    uniqueIndex('articles_slug_key').on(t.slug.op('text_pattern_ops')),
    index('articles_updated_at_idx').on(t.updatedAt, t.id),
    index('articles_created_at_idx').on(t.createdAt, t.id),
    index('articles_status_idx').on(t.status, t.updatedAt, t.id),
    index('articles_category_id_idx').on(t.categoryId, t.status, t.id),
    index('articles_author_id_idx').on(t.authorId, t.id),
    index('articles_cover_media_id_idx').on(t.coverMediaId),
    index('articles_published_at_idx').on(t.publishedAt, t.id),
    index('articles_publish_at_idx').on(t.publishAt).where(sql`${t.publishAt} IS NOT NULL`),
    index('articles_tags_idx').using('gin', t.tags),
    index('articles_search_vector_idx').using('gin', t.searchVector),
    index('articles_title_folded_idx').using('gin', sql`${folded(sql`${t.title}`)} gin_trgm_ops`),
  ],
);

// Live versions: snapshots of the working copy taken at publication; what anonymous readers get.
// A row is visible from visible_from until visible_until (open-ended when null). Usually an
// article has one row; a scheduled re-publication adds a second that takes over at its
// visible_from while the first stays visible until that moment.
export const articleLive = pgTable(
  'article_live',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    articleId: integer('article_id')
      .notNull()
      .references(() => articles.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    slug: text('slug').notNull(),
    summary: text('summary').notNull(),
    body: text('body').notNull(),
    categoryId: integer('category_id').references(() => categories.id, { onDelete: 'restrict' }),
    tags: text('tags').array().notNull(),
    coverMediaId: integer('cover_media_id').references(() => media.id, { onDelete: 'restrict' }),
    credits: jsonb('credits').$type<Credit[]>().notNull(),
    seo: seoColumn(),
    authorId: integer('author_id').references(() => users.id, { onDelete: 'set null' }),
    /** The publication time readers see (kept when an article is re-published). */
    publishedAt: timestamptz('published_at').notNull(),
    visibleFrom: timestamptz('visible_from').notNull(),
    visibleUntil: timestamptz('visible_until'),
    revisionId: integer('revision_id'),
    searchVector: tsvector('search_vector')
      .notNull()
      .generatedAlwaysAs((): ReturnType<typeof sql> => searchVector({ title: articleLive.title, summary: articleLive.summary, body: articleLive.body })),
    titleVector: tsvector('title_vector')
      .notNull()
      .generatedAlwaysAs((): ReturnType<typeof sql> => titleVector({ title: articleLive.title })),
    createdAt: timestamptz('created_at').notNull(),
    updatedAt: timestamptz('updated_at').notNull(),
  },
  (t) => [
    index('article_live_article_id_idx').on(t.articleId, t.visibleFrom),
    index('article_live_slug_idx').on(t.slug.op('text_pattern_ops')),
    index('article_live_published_at_idx').on(t.publishedAt, t.articleId),
    index('article_live_category_idx').on(t.categoryId, t.publishedAt, t.articleId),
    index('article_live_cover_media_id_idx').on(t.coverMediaId),
    index('article_live_visible_until_idx').on(t.visibleUntil).where(sql`${t.visibleUntil} IS NOT NULL`),
    index('article_live_tags_idx').using('gin', t.tags),
    index('article_live_search_vector_idx').using('gin', t.searchVector),
    index('article_live_title_folded_idx').using('gin', sql`${folded(sql`${t.title}`)} gin_trgm_ops`),
    // Index-only counts of what is visible now (X-Total-Count of public lists), per category and,
    // read whole, overall. No index leads with visible_from: a generic plan of a prepared
    // statement takes "visible_from <= $1" for a third of the rows and would AND such an index
    // into searches. Upcoming versions (the publication timetable) have their own partial index.
    index('article_live_category_visible_idx').on(t.categoryId, t.visibleFrom, t.visibleUntil),
    index('article_live_upcoming_idx').on(t.visibleFrom).where(sql`${t.visibleUntil} IS NULL`),
    // The live versions whose social card shows a media (its edits purge them): few have one.
    index('article_live_og_image_idx').on(ogImageIdOf(t.seo)).where(sql`${ogImageIdOf(t.seo)} IS NOT NULL`),
  ],
);

/** Every save of a working copy: who, when, and the editable content (not the embedded objects). */
export interface RevisionContent {
  title: string;
  slug: string;
  summary: string;
  body: string;
  categoryId: number | null;
  tags: string[];
  coverMediaId: number | null;
  credits: Credit[];
  seo: ArticleSeo;
}

export const articleRevisions = pgTable(
  'article_revisions',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    articleId: integer('article_id')
      .notNull()
      .references(() => articles.id, { onDelete: 'cascade' }),
    authorId: integer('author_id').references(() => users.id, { onDelete: 'set null' }),
    content: jsonb('content').$type<RevisionContent>().notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [index('article_revisions_article_id_idx').on(t.articleId, t.id)],
);

/** Every workflow transition, oldest first. */
export const articleHistory = pgTable(
  'article_history',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    articleId: integer('article_id')
      .notNull()
      .references(() => articles.id, { onDelete: 'cascade' }),
    action: text('action').notNull(),
    fromStatus: articleStatusEnum('from_status').notNull(),
    toStatus: articleStatusEnum('to_status').notNull(),
    actorId: integer('actor_id').references(() => users.id, { onDelete: 'set null' }),
    comment: text('comment'),
    at: timestamptz('at').notNull().defaultNow(),
  },
  (t) => [index('article_history_article_id_idx').on(t.articleId, t.id)],
);
