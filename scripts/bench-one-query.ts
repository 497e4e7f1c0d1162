// The second reference of the benchmark: a bare Fastify process that answers each URL with one
// indexed, prepared postgres.js query and JSON.stringify of its rows — no auth, hooks, ETag,
// mapping or validation. It shows what a database round trip plus the bytes cost on this
// machine, whatever the service does on top.
import Fastify from 'fastify';
import postgres from 'postgres';

const sql = postgres(process.env.DATABASE_URL!, { max: 10, onnotice: () => {} });
const app = Fastify({ logger: false });

const columns = sql`l.article_id AS id, l.title, l.slug, l.summary, l.body, l.category_id AS "categoryId",
  json_build_object('id', c.id, 'name', c.name, 'slug', c.slug) AS category, l.tags, l.cover_media_id AS "coverMediaId",
  l.credits, l.published_at AS "publishedAt", l.updated_at AS "updatedAt"`;

app.get('/api/v1/articles', async (req) => {
  const { category } = req.query as { category: string };
  return sql`SELECT ${columns} FROM article_live l LEFT JOIN categories c ON c.id = l.category_id
    WHERE l.category_id = ANY(SELECT id FROM categories WHERE slug = ${category} OR parent_id = (SELECT id FROM categories WHERE slug = ${category}))
      AND l.visible_from <= now() AND (l.visible_until IS NULL OR l.visible_until > now())
    ORDER BY l.published_at DESC, l.article_id DESC LIMIT 20`;
});

app.get('/api/v1/articles/:slug', async (req) => {
  const { slug } = req.params as { slug: string };
  const [row] = await sql`SELECT ${columns} FROM article_live l LEFT JOIN categories c ON c.id = l.category_id
    WHERE l.slug = ${slug} AND l.visible_from <= now() AND (l.visible_until IS NULL OR l.visible_until > now())`;
  return row;
});

await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
