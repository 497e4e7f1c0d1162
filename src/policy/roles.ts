// The staff roles, defined once for the database enum, the API schemas and the permission table.
export const ROLES = ['author', 'editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];
