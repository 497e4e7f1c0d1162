// The sample front page of the quick start: a "Trang chủ" collection (slug trang-chu) holding the
// sample article. Idempotent: an existing collection of that slug is left alone.
import type { AppContext } from '../context.js';
import { findCollection } from '../modules/collections/collections.queries.js';
import { createCollection } from '../modules/collections/collections.service.js';

export const FRONT_PAGE = { name: 'Trang chủ', slug: 'trang-chu', description: 'Trang nhất do biên tập viên chọn', maxItems: 10 };

export async function seedFrontPage(ctx: AppContext, articleIds: number[]): Promise<{ created: boolean; slug: string }> {
  if (await findCollection(ctx.db, { slug: FRONT_PAGE.slug })) return { created: false, slug: FRONT_PAGE.slug };
  await createCollection(ctx, { ...FRONT_PAGE, items: articleIds });
  return { created: true, slug: FRONT_PAGE.slug };
}
