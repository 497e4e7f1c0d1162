// The sample content of the quick start: "Tin tức › Tin hoạt động" and the district party
// committee news item. Idempotent: what exists (by slug) is left alone.
import { asc, eq } from 'drizzle-orm';
import type { AppContext } from '../context.js';
import { users } from '../db/schema/index.js';
import { makeBodySanitizer } from '../lib/body-sanitizer.js';
import { findWorkingArticle } from '../modules/articles/articles.queries.js';
import { createArticle } from '../modules/articles/articles.service.js';
import { transitionArticle } from '../modules/articles/workflow.service.js';
import { findCategoryBySlug } from '../modules/categories/categories.queries.js';
import { createCategory } from '../modules/categories/categories.service.js';
import sample from './sample-article.json' with { type: 'json' };

export { sample };

async function ensureCategory(ctx: AppContext, c: { name: string; slug: string }, parentId: number | null) {
  return (await findCategoryBySlug(ctx.db, c.slug)) ?? createCategory(ctx, { name: c.name, slug: c.slug, parentId });
}

export async function seedSampleContent(ctx: AppContext): Promise<{ created: boolean; slug: string; id: number }> {
  const parent = await ensureCategory(ctx, sample.category.parent, null);
  const category = await ensureCategory(ctx, sample.category, parent.id);
  const existing = await findWorkingArticle(ctx.db, { slug: sample.expectedSlug }, ctx.now());
  if (existing) return { created: false, slug: sample.expectedSlug, id: existing.id };

  const [author] = await ctx.db.select({ id: users.id, role: users.role }).from(users).where(eq(users.role, 'admin')).orderBy(asc(users.id)).limit(1);
  const sanitizer = makeBodySanitizer(ctx.config.iframeHosts);
  try {
    const article = await createArticle(ctx, { sanitizeBody: sanitizer.sanitize }, author ?? null, {
      title: sample.title,
      summary: sample.summary,
      body: sample.body,
      categoryId: category.id,
      tags: sample.tags,
      credits: sample.credits,
    });
    // Published through the workflow (history and events as for any article), so that the front
    // page shows it; with no admin yet there is nobody to publish it, and it stays a draft.
    if (author) for (const action of ['submit', 'approve', 'publish'] as const) await transitionArticle(ctx, author, article.id, { action });
    return { created: true, slug: article.slug, id: article.id };
  } finally {
    await sanitizer.close();
  }
}
