// Normalises article input: NFC text, trimmed and de-duplicated tags, sanitised body.
import type { Credit } from '../../db/schema/index.js';
import { badRequest } from '../../lib/problem.js';
import type { CleanOutcome } from '../../lib/sanitize-body.js';

export function cleanTags(tags: string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const t of tags) {
    const tag = t.normalize('NFC').trim().replace(/\s+/g, ' ');
    if (tag && !seen.has(tag)) {
      seen.add(tag);
      out.push(tag);
    }
  }
  return out;
}

export function cleanCredits(credits: Credit[]): Credit[] {
  return credits.map((c) => ({ role: c.role.normalize('NFC').trim(), name: c.name.normalize('NFC').trim() }));
}

/**
 * The body as stored: cleaned against the allow-list, or a 400 on `body` when it is refused
 * (nested too deep, or it would grow too much). Called before any transaction is opened, so that
 * no database connection or row lock waits on a large body.
 */
export async function cleanBody(sanitize: (html: string) => Promise<CleanOutcome>, html: string): Promise<string> {
  const outcome = await sanitize(html);
  if (!outcome.ok) throw badRequest(outcome.detail, [{ path: 'body', message: outcome.message }]);
  return outcome.html;
}
