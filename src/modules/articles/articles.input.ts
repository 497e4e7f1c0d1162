// Normalises article input: NFC text, trimmed and de-duplicated tags, sanitised body.
import type { Credit } from '../../db/schema/index.js';

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
