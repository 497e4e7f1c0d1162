// Every state × action × role × ownership × live flag, against the table of API.md §5,
// written out here independently of the module.
import t from 'tap';
import { actionForStatus, allowedActions, decide, decideStatusChange, scheduledGoLive, statusAfterEdit } from '../../src/workflow/machine.js';
import { ACTIONS, type Action, STATUSES, type Status } from '../../src/workflow/states.js';
import { ROLES, type Role } from '../../src/policy/roles.js';

const NOW = new Date('2026-11-26T08:00:00Z');
const FUTURE = new Date('2026-11-27T08:00:00Z');
const PAST = new Date('2026-11-25T08:00:00Z');

const editorial = (r: Role) => r === 'editor' || r === 'admin';

function expectedFrom(action: Action, status: Status, hasLive: boolean): boolean {
  switch (action) {
    case 'submit': return status === 'draft';
    case 'approve': case 'reject': return status === 'in_review';
    case 'publish': return status === 'approved';
    case 'unpublish': return status === 'published' || status === 'scheduled' || hasLive;
    case 'archive': return status !== 'archived';
    case 'restore': return status === 'archived';
  }
}

function expectedRoleOk(action: Action, role: Role, own: boolean): boolean {
  return action === 'submit' ? editorial(role) || own : editorial(role);
}

const expectedTo: Record<Action, Status> = {
  submit: 'in_review', approve: 'approved', reject: 'draft', publish: 'published', unpublish: 'draft', archive: 'archived', restore: 'draft',
};

t.test('state × action × role × owner × live', async (t) => {
  let cells = 0;
  for (const status of STATUSES) {
    for (const hasLive of [false, true]) {
      for (const role of ROLES) {
        for (const own of [true, false]) {
          const actor = { id: 1, role };
          const state = { status, authorId: own ? 1 : 2, hasLive };
          for (const action of ACTIONS) {
            cells++;
            const d = decide(state, { action, comment: 'lý do' }, actor, NOW);
            const label = `${role}${own ? ' (owner)' : ''} ${action} from ${status}${hasLive ? ' with live' : ''}`;
            if (!expectedRoleOk(action, role, own)) {
              t.match(d, { ok: false, refusal: 'forbidden' }, `${label}: 403`);
            } else if (!expectedFrom(action, status, hasLive)) {
              t.match(d, { ok: false, refusal: 'invalid_transition' }, `${label}: 409`);
              if (!d.ok && d.refusal === 'invalid_transition') {
                const expectAllowed = ACTIONS.filter((a) => expectedRoleOk(a, role, own) && expectedFrom(a, status, hasLive));
                t.same(d.allowed, expectAllowed, `${label}: allowed list`);
              }
            } else {
              t.match(d, { ok: true, to: expectedTo[action] }, `${label}: → ${expectedTo[action]}`);
            }
          }
        }
      }
    }
  }
  t.equal(cells, STATUSES.length * 2 * ROLES.length * 2 * ACTIONS.length);
});

t.test('publish: now, in the past, or scheduled', async (t) => {
  const state = { status: 'approved' as const, authorId: 2, hasLive: false };
  const editor = { id: 1, role: 'editor' as const };
  t.match(decide(state, { action: 'publish' }, editor, NOW), { ok: true, to: 'published', live: 'publish-now', publishAt: null });
  t.match(decide(state, { action: 'publish', publishAt: PAST }, editor, NOW), { ok: true, to: 'published', live: 'publish-now' });
  t.match(decide(state, { action: 'publish', publishAt: NOW }, editor, NOW), { ok: true, to: 'published' }, 'now is not the future');
  t.match(decide(state, { action: 'publish', publishAt: FUTURE }, editor, NOW), { ok: true, to: 'scheduled', live: 'schedule', publishAt: FUTURE });
});

t.test('reject needs a comment; live effects', async (t) => {
  const editor = { id: 1, role: 'editor' as const };
  const review = { status: 'in_review' as const, authorId: 2, hasLive: false };
  t.match(decide(review, { action: 'reject' }, editor, NOW), { ok: false, refusal: 'comment_required' });
  t.match(decide(review, { action: 'reject', comment: '   ' }, editor, NOW), { ok: false, refusal: 'comment_required' });
  t.match(decide(review, { action: 'reject', comment: 'Sửa lại tít' }, editor, NOW), { ok: true, to: 'draft', live: 'none' });
  t.match(decide({ status: 'published', authorId: 2, hasLive: true }, { action: 'unpublish' }, editor, NOW), { live: 'remove' });
  t.match(decide({ status: 'draft', authorId: 2, hasLive: true }, { action: 'archive' }, editor, NOW), { live: 'remove' });
  t.match(decide({ status: 'in_review', authorId: 2, hasLive: false }, { action: 'approve' }, editor, NOW), { live: 'none' });
});

t.test('status as a field names the action', async (t) => {
  t.equal(actionForStatus('draft', 'in_review', false), 'submit');
  t.equal(actionForStatus('in_review', 'approved', false), 'approve');
  t.equal(actionForStatus('approved', 'published', false), 'publish');
  t.equal(actionForStatus('approved', 'scheduled', false), 'publish');
  t.equal(actionForStatus('published', 'archived', true), 'archive');
  t.equal(actionForStatus('in_review', 'draft', false), 'reject');
  t.equal(actionForStatus('published', 'draft', true), 'unpublish');
  t.equal(actionForStatus('scheduled', 'draft', true), 'unpublish');
  t.equal(actionForStatus('archived', 'draft', false), 'restore');
  t.equal(actionForStatus('approved', 'draft', false), null);
  t.equal(actionForStatus('approved', 'draft', true), 'unpublish');
});

t.test('a status that no action leads to is refused like a transition, listing the allowed actions', async (t) => {
  const editor = { id: 1, role: 'editor' as const };
  t.same(decideStatusChange({ status: 'draft', authorId: 2, hasLive: false }, 'in_review', editor), { ok: true, action: 'submit' });
  const d = decideStatusChange({ status: 'approved', authorId: 2, hasLive: false }, 'draft', editor);
  t.match(d, { ok: false, refusal: 'invalid_transition', allowed: ['publish', 'archive'], message: /approved to draft\. Allowed: publish, archive\./ });
  const author = { id: 2, role: 'author' as const };
  t.match(decideStatusChange({ status: 'approved', authorId: 2, hasLive: false }, 'draft', author), { ok: false, allowed: [] });
});

t.test('at go-live the scheduler publishes a scheduled article, as publishing now would', async (t) => {
  const editor = { id: 1, role: 'editor' as const };
  const now = decide({ status: 'approved', authorId: 2, hasLive: false }, { action: 'publish' }, editor, NOW);
  for (const s of STATUSES) {
    if (s === 'scheduled') t.same(scheduledGoLive(s), { action: 'publish', to: now.ok ? now.to : 'none' }, s);
    else t.equal(scheduledGoLive(s), null, `${s}: edited after scheduling, keeps its status`);
  }
});

t.test('edits send published and scheduled articles back to draft', async (t) => {
  const expected: Record<Status, Status> = { draft: 'draft', in_review: 'in_review', approved: 'approved', scheduled: 'draft', published: 'draft', archived: 'archived' };
  for (const s of STATUSES) t.equal(statusAfterEdit(s), expected[s], s);
});

t.test('allowedActions', async (t) => {
  t.same(allowedActions({ status: 'draft', authorId: 1, hasLive: false }, { id: 1, role: 'author' }), ['submit']);
  t.same(allowedActions({ status: 'draft', authorId: 2, hasLive: false }, { id: 1, role: 'author' }), []);
  t.same(allowedActions({ status: 'published', authorId: 2, hasLive: true }, { id: 1, role: 'editor' }), ['unpublish', 'archive']);
  t.same(allowedActions({ status: 'draft', authorId: 2, hasLive: true }, { id: 1, role: 'admin' }), ['submit', 'unpublish', 'archive']);
});
