import { index, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { timestamptz } from './columns.js';

// Budgets of failed attempts (logins, preview-token guesses) in fixed windows, shared by every
// instance on one PostgreSQL database (src/db/failure-budget-store.ts). A row lives for one
// window; rows past `reset_at` mean nothing and are swept now and then.
export const failureBudgets = pgTable(
  'failure_budgets',
  {
    // A hash of the budget's name: names hold what clients typed (an email, perhaps a password
    // typed into the email field), which the database has no need to keep.
    key: text('key').primaryKey(),
    // Units taken in this window; one more than `maxFailures` records that an attempt was refused.
    failures: integer('failures').notNull(),
    maxFailures: integer('max_failures').notNull(),
    resetAt: timestamptz('reset_at').notNull(),
  },
  (t) => [index('failure_budgets_reset_at_idx').on(t.resetAt)],
);
