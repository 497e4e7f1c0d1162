import { pgEnum } from 'drizzle-orm/pg-core';
import { DELIVERY_STATUSES } from './delivery-status.js';
import { ROLES } from '../../policy/roles.js';
import { STATUSES } from '../../workflow/states.js';

export const roleEnum = pgEnum('role', ROLES);
export const articleStatusEnum = pgEnum('article_status', STATUSES);
export const deliveryStatusEnum = pgEnum('delivery_status', DELIVERY_STATUSES);
