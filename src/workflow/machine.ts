// The editorial workflow of API.md §5 as one table and one pure decision function.
// No I/O: the service persists what this module decides.
import type { Actor } from '../policy/permissions.js';
import type { Role } from '../policy/roles.js';
import { ACTIONS, type Action, type Status } from './states.js';

interface Rule {
  /** The statuses the action starts from; `live` also allows any status while a live version exists. */
  from: readonly Status[] | 'any-but-archived';
  fromWhileLive?: boolean;
  roles: readonly Role[];
  /** Authors may take it only on their own articles. */
  ownerOnlyForAuthors?: boolean;
  needsComment?: boolean;
}

export const RULES: Record<Action, Rule> = {
  submit: { from: ['draft'], roles: ['author', 'editor', 'admin'], ownerOnlyForAuthors: true },
  approve: { from: ['in_review'], roles: ['editor', 'admin'] },
  reject: { from: ['in_review'], roles: ['editor', 'admin'], needsComment: true },
  publish: { from: ['approved'], roles: ['editor', 'admin'] },
  unpublish: { from: ['published', 'scheduled'], fromWhileLive: true, roles: ['editor', 'admin'] },
  archive: { from: 'any-but-archived', roles: ['editor', 'admin'] },
  restore: { from: ['archived'], roles: ['editor', 'admin'] },
};

export interface ArticleState {
  status: Status;
  authorId: number | null;
  /** A live (or scheduled) version exists. */
  hasLive: boolean;
}

export interface TransitionRequest {
  action: Action;
  comment?: string | null;
  publishAt?: Date | null;
}

/** What the persistence layer must do to the live version. */
export type LiveEffect = 'none' | 'publish-now' | 'schedule' | 'remove';

export type InvalidTransition = { ok: false; refusal: 'invalid_transition'; message: string; allowed: Action[] };
export type Refusal = { ok: false; refusal: 'forbidden'; message: string } | InvalidTransition | { ok: false; refusal: 'comment_required'; message: string };
export type Decision = { ok: true; to: Status; live: LiveEffect; publishAt: Date | null } | Refusal;

const listed = (allowed: Action[]) => (allowed.length ? allowed.join(', ') : 'none');

function roleMayTake(rule: Rule, actor: Actor, state: ArticleState): boolean {
  if (!rule.roles.includes(actor.role)) return false;
  return !(rule.ownerOnlyForAuthors && actor.role === 'author' && state.authorId !== actor.id);
}

function stateAllows(rule: Rule, state: ArticleState): boolean {
  if (rule.from === 'any-but-archived') return state.status !== 'archived';
  return rule.from.includes(state.status) || (!!rule.fromWhileLive && state.hasLive);
}

/** The actions this actor may take from this state, in table order. */
export function allowedActions(state: ArticleState, actor: Actor): Action[] {
  return ACTIONS.filter((a) => roleMayTake(RULES[a], actor, state) && stateAllows(RULES[a], state));
}

export function decide(state: ArticleState, req: TransitionRequest, actor: Actor, now: Date): Decision {
  const rule = RULES[req.action];
  // A role that may never take the action is refused before any look at the state.
  if (!roleMayTake(rule, actor, state)) {
    const mine = rule.ownerOnlyForAuthors && actor.role === 'author';
    return { ok: false, refusal: 'forbidden', message: mine ? `Authors may ${req.action} only their own articles.` : `The ${actor.role} role may not ${req.action} articles.` };
  }
  if (!stateAllows(rule, state)) {
    const allowed = allowedActions(state, actor);
    return {
      ok: false,
      refusal: 'invalid_transition',
      message: `Cannot ${req.action} an article that is ${state.status}. Allowed: ${listed(allowed)}.`,
      allowed,
    };
  }
  if (rule.needsComment && !req.comment?.trim()) {
    return { ok: false, refusal: 'comment_required', message: `A comment is required to ${req.action}.` };
  }
  switch (req.action) {
    case 'submit':
      return { ok: true, to: 'in_review', live: 'none', publishAt: null };
    case 'approve':
      return { ok: true, to: 'approved', live: 'none', publishAt: null };
    case 'reject':
      return { ok: true, to: 'draft', live: 'none', publishAt: null };
    case 'publish':
      // A time in the past, or none, publishes now.
      return req.publishAt && req.publishAt.getTime() > now.getTime()
        ? { ok: true, to: 'scheduled', live: 'schedule', publishAt: req.publishAt }
        : { ok: true, to: 'published', live: 'publish-now', publishAt: null };
    case 'unpublish':
      return { ok: true, to: 'draft', live: 'remove', publishAt: null };
    case 'archive':
      return { ok: true, to: 'archived', live: 'remove', publishAt: null };
    case 'restore':
      return { ok: true, to: 'draft', live: 'none', publishAt: null };
  }
}

/**
 * Admin UIs edit `status` as a field: the target status names the action (API.md §5).
 * Returns null when no action leads from `from` to `to`.
 */
export function actionForStatus(from: Status, to: Status, hasLive: boolean): Action | null {
  switch (to) {
    case 'in_review':
      return 'submit';
    case 'approved':
      return 'approve';
    case 'published':
    case 'scheduled':
      return 'publish';
    case 'archived':
      return 'archive';
    case 'draft':
      if (from === 'in_review') return 'reject';
      if (from === 'archived') return 'restore';
      if (from === 'published' || from === 'scheduled' || hasLive) return 'unpublish';
      return null;
  }
}

/** `status` edited as a field: the action that leads there, or a refusal listing the allowed actions. */
export function decideStatusChange(state: ArticleState, to: Status, actor: Actor): { ok: true; action: Action } | InvalidTransition {
  const action = actionForStatus(state.status, to, state.hasLive);
  if (action) return { ok: true, action };
  const allowed = allowedActions(state, actor);
  return { ok: false, refusal: 'invalid_transition', message: `No action takes an article from ${state.status} to ${to}. Allowed: ${listed(allowed)}.`, allowed };
}

/**
 * The scheduler's step once a scheduled version's time has come (no actor): a scheduled
 * article is then published. One edited since it was scheduled keeps its status (null): the
 * approved version went live, the edit stays a draft.
 */
export function scheduledGoLive(status: Status): { action: Action; to: Status } | null {
  return status === 'scheduled' ? { action: 'publish', to: 'published' } : null;
}

/** Editing the working copy of a published or scheduled article sends it back to draft. */
export function statusAfterEdit(status: Status): Status {
  return status === 'published' || status === 'scheduled' ? 'draft' : status;
}
