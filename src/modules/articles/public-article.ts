// The public article: the one definition of what anonymous readers, preview links and webhook
// payloads get of an article (API.md §4 "public fields"). Each field is listed once with its
// schema and the SQL that writes it; the TypeBox schema (OpenAPI) and the JSON that PostgreSQL
// writes (the public API's bytes, a preview, a webhook's data) are both made from this list, so
// they cannot differ by a field. The SQL reads a source: the live version, or the working copy
// (previews), joined to its category and cover.
import { type Placeholder, type SQL, sql } from 'drizzle-orm';
import { alias, type PgColumn } from 'drizzle-orm/pg-core';
import { Type, type TObject, type TSchema } from '@fastify/type-provider-typebox';
import { articleLive, articles, media } from '../../db/schema/index.js';
import { Id, Nullable, Timestamp } from '../../lib/schemas.js';
import type { UrlTemplate } from '../../lib/url-template.js';
import { PublicMedia } from '../media/media.schemas.js';
import { categoryJson, coverJson, isoTime } from './article-json.js';
import { articleUrlSql } from './article-url.js';

/** The columns a public article is written from. */
export interface PublicArticleSource {
  id: PgColumn;
  title: PgColumn;
  slug: PgColumn;
  summary: PgColumn;
  body: PgColumn;
  categoryId: PgColumn;
  tags: PgColumn;
  coverMediaId: PgColumn;
  credits: PgColumn;
  seo: PgColumn;
  publishedAt: PgColumn;
  updatedAt: PgColumn;
}

/** What the public sees: the live version. */
export const LIVE_SOURCE: PublicArticleSource = {
  id: articleLive.articleId, title: articleLive.title, slug: articleLive.slug, summary: articleLive.summary, body: articleLive.body,
  categoryId: articleLive.categoryId, tags: articleLive.tags, coverMediaId: articleLive.coverMediaId, credits: articleLive.credits, seo: articleLive.seo,
  publishedAt: articleLive.publishedAt, updatedAt: articleLive.updatedAt,
};

/** What a preview link shows: the working copy, in the same shape. */
export const WORKING_SOURCE: PublicArticleSource = {
  id: articles.id, title: articles.title, slug: articles.slug, summary: articles.summary, body: articles.body,
  categoryId: articles.categoryId, tags: articles.tags, coverMediaId: articles.coverMediaId, credits: articles.credits, seo: articles.seo,
  publishedAt: articles.publishedAt, updatedAt: articles.updatedAt,
};

/** What the links of a public article are made from. */
export interface PublicLinks {
  /** mediaUrls.file(''): where media files are. */
  filePrefix: string | Placeholder;
  /** ARTICLE_URL_TEMPLATE, and the time zone of its dates. */
  articleUrl: UrlTemplate;
  timeZone: string;
}

/** The links of the service a context describes. */
export const publicLinks = (ctx: { config: { site: { articleUrl: UrlTemplate; timeZone: string } }; mediaUrls: { file(key: string): string } }): PublicLinks => ({
  filePrefix: ctx.mediaUrls.file(''),
  articleUrl: ctx.config.site.articleUrl,
  timeZone: ctx.config.site.timeZone,
});

interface Field {
  schema: TSchema;
  /** The field's JSON value. */
  sql: (s: PublicArticleSource, links: PublicLinks) => SQL | PgColumn;
}

/**
 * The image of a social card: the article's `seo.ogImageId`, else its cover. Queries that write
 * the public article join it (as they join the category and the cover) with socialImageJoin.
 */
export const socialImage = alias(media, 'social_image');
export const socialImageJoin = (s: PublicArticleSource) => sql`${socialImage.id} = coalesce((${s.seo}->>'ogImageId')::int, ${s.coverMediaId})`;

const SocialImage = Nullable(
  Type.Object({ id: Id, url: Type.String(), width: Nullable(Type.Integer()), height: Nullable(Type.Integer()), alt: Type.String() }),
);
/** The settings resolved: what a page puts in its <head>, every part filled. */
const PublicSeo = Type.Object(
  {
    title: Type.String({ description: 'seo.title, else the title' }),
    description: Type.String({ description: 'seo.description, else the summary' }),
    canonicalUrl: Type.String({ description: 'seo.canonicalUrl, else url' }),
    noindex: Type.Boolean(),
    image: Type.Unsafe<unknown>({ ...SocialImage, description: 'seo.ogImageId, else the cover; null if neither' }),
  },
  { title: 'PublicSeo' },
);

/** The SEO settings with their fallbacks (API.md §10): empty parts become the title, summary, url and cover. */
function publicSeoSql(s: PublicArticleSource, links: PublicLinks): SQL {
  const part = (name: string) => sql`nullif(${s.seo}->>${sql.raw(`'${name}'`)}, '')`;
  return sql`json_build_object(
    'title', coalesce(${part('title')}, ${s.title}),
    'description', coalesce(${part('description')}, ${s.summary}),
    'canonicalUrl', coalesce(${part('canonicalUrl')}, ${articleUrlSql(links.articleUrl, s, links.timeZone)}),
    'noindex', coalesce((${s.seo}->>'noindex')::boolean, false),
    'image', CASE WHEN ${socialImage.id} IS NULL THEN NULL ELSE json_build_object('id', ${socialImage.id}, 'url', ${links.filePrefix}::text || ${socialImage.storageKey},
      'width', ${socialImage.width}, 'height', ${socialImage.height}, 'alt', ${socialImage.alt}) END)`;
}

const CategoryRef = Nullable(Type.Object({ id: Id, name: Type.String(), slug: Type.String() }));
const Credits = Type.Array(Type.Object({ role: Type.String(), name: Type.String() }));

/** The public fields, in the order they are sent. */
const FIELDS = {
  id: { schema: Id, sql: (s) => s.id },
  title: { schema: Type.String(), sql: (s) => s.title },
  slug: { schema: Type.String(), sql: (s) => s.slug },
  url: { schema: Type.String({ format: 'uri', description: 'Where the website shows it (ARTICLE_URL_TEMPLATE).' }), sql: (s, l) => articleUrlSql(l.articleUrl, s, l.timeZone) },
  summary: { schema: Type.String(), sql: (s) => s.summary },
  body: { schema: Type.String(), sql: (s) => s.body },
  categoryId: { schema: Nullable(Id), sql: (s) => s.categoryId },
  category: { schema: CategoryRef, sql: () => categoryJson },
  tags: { schema: Type.Array(Type.String()), sql: (s) => s.tags },
  coverMediaId: { schema: Nullable(Id), sql: (s) => s.coverMediaId },
  cover: { schema: Nullable(PublicMedia), sql: (_s, l) => coverJson(l.filePrefix) },
  credits: { schema: Credits, sql: (s) => s.credits },
  seo: { schema: PublicSeo, sql: publicSeoSql },
  publishedAt: { schema: Timestamp, sql: (s) => isoTime(s.publishedAt) },
  updatedAt: { schema: Timestamp, sql: (s) => isoTime(s.updatedAt) },
} satisfies Record<string, Field>;

type Fields = typeof FIELDS;
const schemaOf = <K extends keyof Fields>(keys: readonly K[]) =>
  Object.fromEntries(keys.map((k) => [k, FIELDS[k].schema])) as { [P in K]: Fields[P]['schema'] };

export const PUBLIC_ARTICLE_FIELDS = Object.keys(FIELDS) as Array<keyof Fields>;

/** The live version, as anonymous readers (and webhook receivers) get it: public fields only. */
export const PublicArticle: TObject<{ [P in keyof Fields]: Fields[P]['schema'] }> = Type.Object(schemaOf(PUBLIC_ARTICLE_FIELDS), { title: 'PublicArticle' });

/** A working copy shown through a preview link: the same fields; it may not be published yet. */
export const PreviewArticle = Type.Object({ ...PublicArticle.properties, publishedAt: Nullable(Timestamp) }, { title: 'PreviewArticle' });

/** The content fields an article's working copy shares with its public shape (the staff Article schema). */
export const articleContentSchema = () => schemaOf(['title', 'slug', 'summary', 'body', 'categoryId', 'category', 'tags', 'coverMediaId', 'cover', 'credits']);

/**
 * One article of `source` (joined to its category and cover) as the public JSON text: every
 * public field, or only `fields` (sparse-fields.ts). A field not asked for is not read at all: a
 * teaser page does not fetch (nor detoast) the bodies.
 */
export function publicArticleJson(source: PublicArticleSource, links: PublicLinks, fields?: readonly string[]): SQL<string> {
  const keys = fields ? PUBLIC_ARTICLE_FIELDS.filter((k) => fields.includes(k)) : PUBLIC_ARTICLE_FIELDS;
  // The keys are this module's own names: literal text in the statement, not parameters.
  const pairs = keys.map((k) => sql`${sql.raw(`'${k}'`)}, ${(FIELDS[k] as Field).sql(source, links)}`);
  return sql<string>`json_build_object(${sql.join(pairs, sql`, `)})::text`;
}
