// The lists under an article (revisions, history, preview links) answer 404 for an article that
// does not exist, rather than an empty list that would look like an article without any.
import type { Db } from '../../db/client.js';
import { notFound } from '../../lib/problem.js';
import { findArticleForUpdate } from './articles.queries.js';

export async function assertArticleExists(db: Db, id: number): Promise<void> {
  if (!(await findArticleForUpdate(db, id))) throw notFound('Article');
}
