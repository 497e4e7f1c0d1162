// Link rules of the body sanitiser that sanitize-html has no option for (API.md §5).

/** Targets that stay in the reader's own tab or frame; every other target opens a new one. */
const SAME_CONTEXT_TARGETS = new Set(['', '_self', '_parent', '_top']);

/** A link with this target opens a new browsing context, which would be handed `window.opener`. */
export function opensNewContext(target: string | undefined): boolean {
  // Browsing-context keywords are ASCII case-insensitive: `_BLANK` is `_blank`.
  return target !== undefined && !SAME_CONTEXT_TARGETS.has(target.trim().toLowerCase());
}

/** The given `rel` with `noopener noreferrer` added and `opener` (which asks for the opposite) removed. */
export function relWithoutOpener(rel: string | undefined): string {
  const tokens = new Set((rel ?? '').toLowerCase().split(/[\t\n\f\r ]+/).filter((t) => t !== '' && t !== 'opener'));
  tokens.add('noopener');
  tokens.add('noreferrer');
  return [...tokens].join(' ');
}
