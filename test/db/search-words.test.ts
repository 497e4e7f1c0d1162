// The words a prefix stands for (migration 0013): search_words holds every word of every search
// vector, kept by triggers, and toasoan_search_query turns the word being typed into the known
// words that start with it. Whatever the route, a search must find exactly what the plain
// prefix query (`words & prefix:*`) finds.
import { sql } from 'drizzle-orm';
import t from 'tap';
import { rowsOf } from '../../src/db/rows.js';
import { ensureBenchCategories, insertPublishedArticles } from '../../src/seed/bulk-articles.js';
import { createTestDatabase } from '../helpers/database.js';

const tdb = await createTestDatabase();
t.teardown(() => tdb.drop());
const { db } = tdb.database;
const leaves = await ensureBenchCategories(db);
await insertPublishedArticles(db, { from: 1, count: 300, categoryIds: leaves, authorId: null, newest: new Date() });

const rows = async <T>(query: ReturnType<typeof sql>) => rowsOf<T>(await db.execute(query));
const vocabulary = async () => (await rows<{ word: string }>(sql`SELECT word FROM search_words ORDER BY word`)).map((r) => r.word);
const wordsOf = async (table: 'articles' | 'article_live') =>
  (await rows<{ w: string }>(sql`SELECT DISTINCT unnest(tsvector_to_array(search_vector)) AS w FROM ${sql.identifier(table)} ORDER BY 1`)).map((r) => r.w);

/** Prefixes whose two queries disagree on `table` (each as `words|prefix`), and how many were tried. */
async function disagreements(table: 'articles' | 'article_live', pairs: Array<[string, string]>) {
  const words = `{${pairs.map(([w]) => JSON.stringify(w)).join(',')}}`;
  const prefixes = `{${pairs.map(([, p]) => JSON.stringify(p)).join(',')}}`;
  const found = await rows<{ words: string; prefix: string }>(sql`
    SELECT p.words, p.prefix FROM unnest(${words}::text[], ${prefixes}::text[]) AS p(words, prefix)
    WHERE (SELECT coalesce(array_agg(id ORDER BY id), '{}') FROM ${sql.identifier(table)}
           WHERE search_vector @@ to_tsquery('simple', concat_ws(' & ', nullif(p.words, ''), p.prefix || ':*')))
      IS DISTINCT FROM
          (SELECT coalesce(array_agg(id ORDER BY id), '{}') FROM ${sql.identifier(table)}
           WHERE search_vector @@ public.toasoan_search_query(p.words, p.prefix))`);
  return found.map((r) => `${r.words}|${r.prefix}`);
}

t.test('every word of both tables is in the vocabulary after a bulk insert', async (t) => {
  const known = new Set(await vocabulary());
  for (const table of ['articles', 'article_live'] as const) {
    const missing = (await wordsOf(table)).filter((w) => !known.has(w));
    t.same(missing, [], `${table}: no word missing`);
  }
  t.ok(known.size > 100, `${known.size} words`);
});

t.test('a prefix finds what the plain prefix query finds, on every start of every known word', async (t) => {
  const words = await vocabulary();
  const prefixes = [...new Set(words.flatMap((w) => [1, 2, 3, 4].map((n) => w.slice(0, n))))];
  const pairs: Array<[string, string]> = [];
  for (const p of prefixes) pairs.push(['', p], ['tan', p], ['nong & nghiep', p]);
  pairs.push(['', 'zzzz'], ['tan', 'zzzz']);
  t.ok(prefixes.length > 200, `${prefixes.length} prefixes`);
  for (const table of ['articles', 'article_live'] as const) t.same(await disagreements(table, pairs), [], table);
  const some = await rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM articles WHERE search_vector @@ public.toasoan_search_query('tan', 'ho')`);
  t.ok(some[0].n > 0, 'the comparison is not between two empty sets');
});

t.test('a known word is expanded into whole words; an unknown start stays a prefix', async (t) => {
  const [{ q }] = await rows<{ q: string }>(sql`SELECT public.toasoan_search_query('tan', 'hon')::text AS q`);
  t.match(q, /^'tan' & 'hong'( \| '[a-z]+')*$/, 'whole words, no prefix');
  t.notMatch(q, /:\*/);
  const [{ q: none }] = await rows<{ q: string }>(sql`SELECT public.toasoan_search_query('tan', 'zzzq')::text AS q`);
  t.equal(none, `'tan' & 'zzzq':*`);
  const [{ q: whole }] = await rows<{ q: string }>(sql`SELECT public.toasoan_search_query('tan & hong', '')::text AS q`);
  t.equal(whole, `'tan' & 'hong'`);
});

t.test('more than 64 words with one start: the plain prefix, with the same matches', async (t) => {
  await db.execute(sql`INSERT INTO search_words (word) SELECT 'zqw' || g FROM generate_series(1, 70) AS g ON CONFLICT DO NOTHING`);
  await db.execute(sql`UPDATE articles SET body = body || '<p>zqw7 zqk</p>' WHERE id = (SELECT min(id) FROM articles)`);
  const [{ q }] = await rows<{ q: string }>(sql`SELECT public.toasoan_search_query('', 'zq')::text AS q`);
  t.equal(q, `'zq':*`, 'too many words: the prefix itself');
  const [{ q: few }] = await rows<{ q: string }>(sql`SELECT public.toasoan_search_query('', 'zqw1')::text AS q`);
  t.equal(few.split(' | ').length, 11, 'zqw1, zqw10 … zqw19: expanded');
  t.same(await disagreements('articles', [['', 'zq'], ['', 'zqw'], ['', 'zqw7'], ['', 'zqk'], ['tan', 'zq']]), []);
  const [{ n }] = await rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM articles WHERE search_vector @@ public.toasoan_search_query('', 'zq')`);
  t.equal(n, 1);
});

t.test('words that need quoting in a tsquery are expanded safely', async (t) => {
  // Lexemes the parser can produce (e-mail, URL, path) and ones it could not, but a tsquery must survive.
  await db.execute(sql`UPDATE articles SET body = body || '<p>xq.toa@soan.vn https://xq.vn/a?b=1&c=2 /xq/duong-dan</p>' WHERE id = (SELECT max(id) FROM articles)`);
  await db.execute(sql`INSERT INTO search_words (word) VALUES ('xq''quote'), ('xq\\back'), ('xq:colon'), ('xq|bar'), ('xq & amp'), ('xq!') ON CONFLICT DO NOTHING`);
  const [{ q }] = await rows<{ q: string }>(sql`SELECT public.toasoan_search_query('', 'xq')::text AS q`);
  t.match(q, /'xq''quote'/);
  t.match(q, /'xq\\\\back'/);
  t.same(await disagreements('articles', [['', 'xq'], ['tan', 'xq'], ['', 'xq.'], ['', 'xqq']]), []);
  const [{ n }] = await rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM articles WHERE search_vector @@ public.toasoan_search_query('', 'xq')`);
  t.equal(n, 1);
});

t.test('writes keep the vocabulary: inserts, edits (only new words), live versions', async (t) => {
  const before = (await vocabulary()).length;
  await db.execute(sql`UPDATE articles SET status = status WHERE id IN (SELECT id FROM articles ORDER BY id LIMIT 50)`);
  t.equal((await vocabulary()).length, before, 'an update that keeps the text adds nothing');
  await db.execute(sql`UPDATE articles SET title = title || ' Xẻo Quýt' WHERE id = (SELECT min(id) FROM articles)`);
  const added = (await vocabulary()).filter((w) => w.startsWith('xeo') || w.startsWith('quyt'));
  t.same(added, ['quyt', 'xeo'], 'an edit adds its new words, folded');
  const [{ id }] = await rows<{ id: number }>(sql`
    INSERT INTO articles (title, slug, summary, body, status) VALUES ('Rạch Giồng Ông Tố', 'rach-giong-ong-to', '', '<p>Bình Thủy</p>', 'draft') RETURNING id`);
  t.ok((await vocabulary()).includes('giong'), 'an insert adds its words');
  await db.execute(sql`
    INSERT INTO article_live (article_id, title, slug, summary, body, tags, credits, published_at, visible_from, created_at, updated_at)
    VALUES (${id}, 'Cồn Sơn', 'con-son', '', '<p>Phong Điền</p>', '{}', '[]', now(), now(), now(), now())`);
  t.ok((await vocabulary()).includes('dien'), 'a live version adds its words');
  t.same(await disagreements('article_live', [['', 'die'], ['', 'con'], ['', 'phong']]), []);
});
