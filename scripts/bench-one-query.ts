// The second reference of the benchmark: a bare Fastify process that answers each URL with one
// indexed, prepared postgres.js query and JSON.stringify of its rows — no auth, hooks, ETag,
// count, validation or cache. It shows what a database round trip plus the bytes cost on this
// machine, whatever the service does on top.
// Its rows carry the public article's fields in the public article's order
// (src/modules/articles/public-article.ts), `url` and the resolved `seo` included, and `fields=`
// selects some of them as the service does (a teaser page reads no body), so that its answers
// hold what the service's hold: bench.ts checks that both parse to the same JSON. (The bytes
// differ by spacing only: the service sends PostgreSQL's JSON text, this JSON.stringify's.)
// SITE_URL and PUBLIC_URL must be the service's, and its URL template the default one with a
// SITE_URL: `{site}/{category}/{slug}`.
import Fastify from 'fastify';
import postgres from 'postgres';

const sql = postgres(process.env.DATABASE_URL!, { max: 10, onnotice: () => {} });
const site = process.env.SITE_URL!.replace(/\/+$/, '');
const filePrefix = `${process.env.PUBLIC_URL!.replace(/\/+$/, '')}/media/`;
const app = Fastify({ logger: false });

// `{site}/{category}/{slug}`: without a category its `/` goes too, as the service does.
const url = sql`${site}::text || '/' || coalesce(c.slug || '/', '') || l.slug`;
const seoPart = (name: string) => sql`nullif(l.seo->>${name}::text, '')`;

/** The public fields in their order, each as the SQL of its column (tables: l live, c category, m cover, s social image). */
const FIELDS: Array<[string, postgres.Fragment]> = [
  ['id', sql`l.article_id`],
  ['title', sql`l.title`],
  ['slug', sql`l.slug`],
  ['url', url],
  ['summary', sql`l.summary`],
  ['body', sql`l.body`],
  ['categoryId', sql`l.category_id`],
  ['category', sql`CASE WHEN c.id IS NULL THEN NULL ELSE json_build_object('id', c.id, 'name', c.name, 'slug', c.slug) END`],
  ['tags', sql`l.tags`],
  ['coverMediaId', sql`l.cover_media_id`],
  // The cover's public fields; renditions and crops as stored (the bench's articles have no cover).
  ['cover', sql`CASE WHEN m.id IS NULL THEN NULL ELSE json_build_object('id', m.id, 'url', ${filePrefix}::text || m.storage_key, 'width', m.width, 'height', m.height,
      'mimeType', m.mime_type, 'alt', m.alt, 'caption', m.caption, 'credit', m.credit, 'focalPoint', json_build_object('x', m.focal_x, 'y', m.focal_y),
      'renditions', m.renditions, 'crops', m.crops) END`],
  ['credits', sql`l.credits`],
  ['seo', sql`json_build_object('title', coalesce(${seoPart('title')}, l.title), 'description', coalesce(${seoPart('description')}, l.summary),
      'canonicalUrl', coalesce(${seoPart('canonicalUrl')}, ${url}), 'noindex', coalesce((l.seo->>'noindex')::boolean, false),
      'image', CASE WHEN s.id IS NULL THEN NULL ELSE json_build_object('id', s.id, 'url', ${filePrefix}::text || s.storage_key, 'width', s.width, 'height', s.height, 'alt', s.alt) END)`],
  ['publishedAt', sql`l.published_at`],
  ['updatedAt', sql`l.updated_at`],
];

/** The select list: every field, or those of `fields=` (id always). */
function columns(fields?: string): postgres.Fragment {
  const wanted = fields ? new Set(['id', ...fields.split(',')]) : undefined;
  const chosen = FIELDS.filter(([name]) => !wanted || wanted.has(name));
  return chosen.reduce<postgres.Fragment | undefined>((acc, [name, col]) => (acc ? sql`${acc}, ${col} AS ${sql(name)}` : sql`${col} AS ${sql(name)}`), undefined)!;
}

const joins = sql`LEFT JOIN categories c ON c.id = l.category_id LEFT JOIN media m ON m.id = l.cover_media_id
  LEFT JOIN media s ON s.id = coalesce((l.seo->>'ogImageId')::int, l.cover_media_id)`;

app.get('/api/v1/articles', async (req) => {
  const { category, fields } = req.query as { category: string; fields?: string };
  return sql`SELECT ${columns(fields)} FROM article_live l ${joins}
    WHERE l.category_id = ANY(SELECT id FROM categories WHERE slug = ${category} OR parent_id = (SELECT id FROM categories WHERE slug = ${category}))
      AND l.visible_from <= now() AND (l.visible_until IS NULL OR l.visible_until > now())
    ORDER BY l.published_at DESC, l.article_id DESC LIMIT 20`;
});

app.get('/api/v1/articles/:slug', async (req) => {
  const { slug } = req.params as { slug: string };
  const [row] = await sql`SELECT ${columns()} FROM article_live l ${joins}
    WHERE l.slug = ${slug} AND l.visible_from <= now() AND (l.visible_until IS NULL OR l.visible_until > now())`;
  return row;
});

await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
