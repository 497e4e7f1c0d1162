// The permission table of API.md §4, in one place. Pure: no Fastify, no database.
import type { Status } from '../workflow/states.js';
import type { Role } from './roles.js';

export interface Actor {
  id: number;
  role: Role;
}

const STAFF: readonly Role[] = ['author', 'editor', 'admin'];
const EDITORS: readonly Role[] = ['editor', 'admin'];
const ADMINS: readonly Role[] = ['admin'];

/**
 * Which roles may ever take an action (ownership and state rules come on top). Workflow actions
 * (submit, approve, publish, …) are not here: the workflow table (workflow/machine.ts) says who
 * may take each.
 */
export const PERMISSIONS = {
  'article.read-working': STAFF,
  'article.create': STAFF,
  'article.edit': STAFF,
  'article.delete': ADMINS,
  'category.write': EDITORS,
  'collection.read': STAFF,
  'collection.write': EDITORS,
  'media.read': STAFF,
  'media.upload': STAFF,
  'media.edit': STAFF,
  'media.delete': EDITORS,
  'user.manage': ADMINS,
  'webhook.manage': ADMINS,
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function hasPermission(actor: Actor | null | undefined, permission: Permission): boolean {
  return !!actor && (PERMISSIONS[permission] as readonly Role[]).includes(actor.role);
}

export type EditRefusal = 'not_owner' | 'not_draft';

/** An author edits only their own article and only while it is a draft; editors and admins any. */
export function articleEditRefusal(actor: Actor, article: { authorId: number | null; status: Status }): EditRefusal | null {
  if (actor.role !== 'author') return null;
  if (article.authorId !== actor.id) return 'not_owner';
  if (article.status !== 'draft') return 'not_draft';
  return null;
}

export function canEditMedia(actor: Actor, media: { uploadedBy: number | null }): boolean {
  return actor.role !== 'author' || media.uploadedBy === actor.id;
}
