// Article lists as JSON text, written by PostgreSQL. Lists are the most read responses, and their
// cost in Node was UTF-8: decoding ~3 KB Vietnamese bodies from the wire into strings,
// serialising them again and encoding the result (a 20-article page is ~115 KB). Built in SQL and
// fetched undecoded (Database.textRows in src/db/client.ts), the bytes go from the database to
// the socket untouched. The public article is made from its field list (public-article.ts); the
// staff one is the shape of toStaffArticle (articles.mappers.ts), and a test compares the two on
// every kind of article, so they cannot drift apart.
import { type Placeholder, type SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { articleLive, articles, categories, media } from '../../db/schema/index.js';

/** A timestamp as JavaScript's toISOString() writes it (milliseconds, UTC, "Z"). */
export const isoTime = (col: PgColumn | SQL) => sql`to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

export const categoryJson = sql`CASE WHEN ${categories.id} IS NULL THEN NULL ELSE json_build_object('id', ${categories.id}, 'name', ${categories.name}, 'slug', ${categories.slug}) END`;

// toPublicMedia: the media's public side only. `filePrefix` is mediaUrls.file('').
// `crops` keeps the stored order (IMAGE_ASPECTS), as the mapper's object does.
export const coverJson = (filePrefix: string | Placeholder) => sql`CASE WHEN ${media.id} IS NULL THEN NULL ELSE json_build_object(
  'id', ${media.id}, 'url', ${filePrefix}::text || ${media.storageKey}, 'width', ${media.width}, 'height', ${media.height},
  'mimeType', ${media.mimeType}, 'alt', ${media.alt}, 'caption', ${media.caption}, 'credit', ${media.credit},
  'focalPoint', json_build_object('x', ${media.focalX}, 'y', ${media.focalY}),
  'renditions', (SELECT coalesce(json_agg(json_build_object('width', r.v->'width', 'height', r.v->'height', 'format', r.v->'format', 'url', ${filePrefix}::text || (r.v->>'key')) ORDER BY r.n), '[]'::json)
                 FROM jsonb_array_elements(${media.renditions}) WITH ORDINALITY AS r(v, n)),
  'crops', (SELECT coalesce(json_object_agg(c.v->>'aspect', json_build_object('width', c.v->'width', 'height', c.v->'height', 'url', ${filePrefix}::text || (c.v->>'path'),
              'srcset', (SELECT coalesce(string_agg(${filePrefix}::text || (s.v->>'path') || ' ' || (s.v->>'width') || 'w', ', ' ORDER BY s.n), '')
                         FROM jsonb_array_elements(c.v->'srcset') WITH ORDINALITY AS s(v, n))) ORDER BY c.n), '{}'::json)
            FROM jsonb_array_elements(${media.crops}) WITH ORDINALITY AS c(v, n))
) END`;

/**
 * One working copy (articles joined to its category, cover and the live version visible now) as
 * the JSON staff get: the Article schema's fields in its order.
 */
export const staffArticleJson = (filePrefix: string | Placeholder) => sql<string>`json_build_object(
  'id', ${articles.id}, 'version', ${articles.version}, 'createdAt', ${isoTime(articles.createdAt)}, 'updatedAt', ${isoTime(articles.updatedAt)},
  'title', ${articles.title}, 'slug', ${articles.slug}, 'summary', ${articles.summary}, 'body', ${articles.body},
  'categoryId', ${articles.categoryId}, 'category', ${categoryJson}, 'tags', ${articles.tags},
  'coverMediaId', ${articles.coverMediaId}, 'cover', ${coverJson(filePrefix)}, 'credits', ${articles.credits},
  'authorId', ${articles.authorId}, 'status', ${articles.status},
  'publishedAt', ${isoTime(articles.publishedAt)}, 'publishAt', ${isoTime(articles.publishAt)},
  'seo', json_build_object('title', coalesce(${articles.seo}->'title', '""'), 'description', coalesce(${articles.seo}->'description', '""'),
    'canonicalUrl', coalesce(${articles.seo}->'canonicalUrl', '""'), 'noindex', coalesce(${articles.seo}->'noindex', 'false'), 'ogImageId', ${articles.seo}->'ogImageId'),
  'live', CASE WHEN ${articleLive.publishedAt} IS NULL THEN NULL
    ELSE json_build_object('publishedAt', ${isoTime(articleLive.publishedAt)}, 'revisionId', ${articleLive.revisionId}) END
)::text`;
