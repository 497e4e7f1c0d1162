// An article's `url` written by PostgreSQL, with the JSON it belongs to: the template's parts
// (lib/url-template.ts) as one concat(), each placeholder that may be empty wrapped so that it
// drops with the `/` after it, as fillUrlTemplate does (a test compares the two).
import { type SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { UrlTemplate } from '../../lib/url-template.js';
import { categories } from '../../db/schema/index.js';

export interface ArticleUrlSource {
  id: PgColumn;
  slug: PgColumn;
  publishedAt: PgColumn;
}

/** The value of each placeholder as text; NULL or '' when the article has none. */
function placeholderSql(name: string, s: ArticleUrlSource, timeZone: string): SQL {
  const local = sql`(${s.publishedAt} AT TIME ZONE ${timeZone}::text)`;
  switch (name) {
    case 'slug':
      return sql`${s.slug}`;
    case 'id':
      return sql`${s.id}::text`;
    case 'category':
      return sql`${categories.slug}`;
    case 'yyyy':
      return sql`to_char(${local}, 'YYYY')`;
    case 'mm':
      return sql`to_char(${local}, 'MM')`;
    case 'dd':
      return sql`to_char(${local}, 'DD')`;
    default:
      throw new Error(`No SQL for the URL placeholder {${name}}`);
  }
}

/** The article's URL: `source` joined to its category (categories). */
export function articleUrlSql(template: UrlTemplate, s: ArticleUrlSource, timeZone: string): SQL {
  const pieces: SQL[] = [];
  const { parts } = template;
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (p.name === undefined) {
      pieces.push(sql`${p.text!}::text`);
      continue;
    }
    const value = placeholderSql(p.name, s, timeZone);
    const next = parts[i + 1]?.text;
    if (next?.startsWith('/')) {
      // The placeholder and the text after it: without a value, that text loses its first `/`.
      pieces.push(sql`CASE WHEN coalesce(${value}, '') = '' THEN ${next.slice(1)}::text ELSE ${value} || ${next}::text END`);
      i++;
    } else pieces.push(sql`coalesce(${value}, '')`);
  }
  return sql`concat(${sql.join(pieces, sql`, `)})`;
}
