// Article statuses and workflow actions, defined once for the database enum, the API schemas
// and the state machine.
export const STATUSES = ['draft', 'in_review', 'approved', 'scheduled', 'published', 'archived'] as const;
export type Status = (typeof STATUSES)[number];

export const ACTIONS = ['submit', 'approve', 'reject', 'publish', 'unpublish', 'archive', 'restore'] as const;
export type Action = (typeof ACTIONS)[number];

export const INITIAL_STATUS: Status = 'draft';
