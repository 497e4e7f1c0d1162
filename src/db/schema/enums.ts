import { pgEnum } from 'drizzle-orm/pg-core';
import { ROLES } from '../../policy/roles.js';
import { STATUSES } from '../../workflow/states.js';

export const roleEnum = pgEnum('role', ROLES);
export const articleStatusEnum = pgEnum('article_status', STATUSES);
