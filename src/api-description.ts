// The description at the top of the OpenAPI document: what a user of the service needs to know
// that the operations alone do not say. The workflow table is read off the workflow rules, so the
// document cannot disagree with what the service does.
import { decide, RULES } from './workflow/machine.js';
import { ACTIONS, STATUSES, type Status } from './workflow/states.js';

function workflowTable(): string {
  const admin = { id: 1, role: 'admin' as const };
  const far = new Date(Date.UTC(2100, 0, 1));
  const rows = ACTIONS.map((action) => {
    const rule = RULES[action];
    const from: Status[] = rule.from === 'any-but-archived' ? STATUSES.filter((s) => s !== 'archived') : [...rule.from];
    const targets = new Set<string>();
    for (const status of from) {
      for (const publishAt of [null, far]) {
        const d = decide({ status, authorId: 1, hasLive: false }, { action, comment: 'x', publishAt }, admin, new Date(0));
        if (d.ok) targets.add(d.to);
      }
    }
    const fromText = rule.from === 'any-but-archived' ? 'any but archived' : rule.from.join(', ') + (rule.fromWhileLive ? ', or any while a live version exists' : '');
    const who = rule.roles.map((r) => (r === 'author' && rule.ownerOnlyForAuthors ? 'author (own)' : r)).join(', ');
    return `| \`${action}\` | ${fromText} | ${[...targets].join(' or ')} | ${who} |${rule.needsComment ? ' needs `comment`' : ''}`;
  });
  return ['| action | from | to | who |', '|---|---|---|---|', ...rows].join('\n');
}

export function apiDescription(): string {
  return `Headless CMS for newsrooms, Vietnamese first. Frontends read published content anonymously;
newsroom staff work through admin UIs (react-admin, Refine) or scripts.

## Authentication
\`POST /api/v1/auth/login\` with \`{email, password}\` returns \`{token, expiresAt, user}\`. Send
\`Authorization: Bearer <token>\` on staff requests. Operations marked without a lock are public:
anonymous readers see only published content (drafts are 404, as if missing). Repeated login
failures are limited per account and per client address (429 with \`Retry-After\`).

## Lists
Every collection answers a JSON array; the total is in \`X-Total-Count\` and
\`Content-Range: <resource> <first>-<last>/<total>\`, and \`Link\` carries \`rel="next"\`/\`rel="prev"\`.
Two query dialects are accepted:

| purpose | json-server (ra-data-json-server, Refine) | ra-data-simple-rest |
|---|---|---|
| page | \`_start=0&_end=25\` or \`_page=1&_limit=25\` | \`range=[0,24]\` |
| sort | \`_sort=title&_order=asc\` | \`sort=["title","ASC"]\` |
| filter | \`field=value\` (repeat for any of), \`field_ne\`, \`field_gte\`, \`field_lte\`, \`field_like\` | \`filter={"field":value}\` |
| search | \`q=...\` | \`filter={"q":"..."}\` |

Pages hold 25 records by default and 100 at most. Search and \`_like\` ignore case and accents
(\`q=tan hong\` finds "Tân Hồng"). Unknown or private fields in a filter or sort are a 400.

## Writes
\`PUT\` and \`PATCH\` both merge. Records carry \`version\`: send it back in the body or as \`If-Match\`;
a stale one is a 412 and changes nothing. \`null\` for an optional field means empty. Read-only
fields sent back (\`id\`, \`createdAt\`, embedded objects) are ignored; unknown fields are a 400.

## Errors
Errors are RFC 9457 problem details (\`application/problem+json\`) with a stable \`code\`
(\`validation_failed\`, \`not_found\`, \`forbidden\`, \`conflict\`, \`precondition_failed\`,
\`invalid_transition\`, \`too_many_requests\`, \`query_timeout\`, …) and \`message\` (= \`detail\`). Field
errors are an object keyed by the field's path: \`{"errors": {"title": "must have at most 300 characters"}}\`;
query-string problems are keyed \`query.<name>\`. A path that names no record is 404.

## Editorial workflow
An article's working copy has a \`status\`; publishing copies it to a live version, which the public
sees until it is unpublished, archived or replaced by a new publication. Change the status with
\`POST /api/v1/articles/{id}/transitions\` \`{action, comment?, publishAt?}\`, or by writing \`status\`
in a \`PUT\`/\`PATCH\`. A transition not allowed from the current status is a 409 listing the allowed
actions; a role that may not take it gets 403.

${workflowTable()}

Editing a published or scheduled article sends its working copy back to \`draft\`; the live version
stays until the edited copy is published.`;
}
