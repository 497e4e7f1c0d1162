import { index, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { articles } from './articles.js';
import { timestamptz } from './columns.js';
import { users } from './users.js';

// Read-only links to one article's working copy for the real website (API.md §5 "Preview
// links"). Only a hash of the token is kept.
export const previewLinks = pgTable(
  'preview_links',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    articleId: integer('article_id')
      .notNull()
      .references(() => articles.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    expiresAt: timestamptz('expires_at').notNull(),
    revokedAt: timestamptz('revoked_at'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('preview_links_token_hash_key').on(t.tokenHash),
    index('preview_links_article_id_idx').on(t.articleId, t.id),
    // Disabling or deleting a user revokes the links they made (and the FK's set null finds them).
    index('preview_links_created_by_idx').on(t.createdBy),
  ],
);
