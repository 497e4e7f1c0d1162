import { bigint, pgTable, smallint } from 'drizzle-orm/pg-core';

// A change counter of the content tables (articles, article_live, categories), written by a
// trigger at commit (migration 0011). Their sum grows with every committed change, so a count
// read in the same snapshot as the sum stays exact for as long as the sum is unchanged.
// Striped by backend so that concurrent writers do not queue on one row.
export const changeStamps = pgTable('change_stamps', {
  stripe: smallint('stripe').primaryKey(),
  n: bigint('n', { mode: 'number' }).notNull(),
});
