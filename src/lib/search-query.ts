// Turns a user's `q` into a tsquery over the folded search vectors: every word must occur,
// accent- and case-insensitively ("tan hong" finds "Tân Hồng", "dang" finds "Đảng"); the last word
// may be the start of a word, so a search box can search as the reader types.
// Only letters and digits reach the tsquery, so its syntax (& | ! : ( ) ') cannot be injected.
import { foldAccents } from './text.js';

const MAX_WORDS = 12;

export function searchWords(q: string): string[] {
  return foldAccents(q)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .slice(0, MAX_WORDS);
}

/**
 * The whole words of q joined for to_tsquery ('w1 & w2') and the last word, the one being typed
 * (`prefix`); null when q has no word. public.toasoan_search_query (migration 0013) makes the
 * tsquery of the two.
 */
export function toSearchTerms(q: string): { words: string; prefix: string } | null {
  const words = searchWords(q);
  if (words.length === 0) return null;
  return { words: words.slice(0, -1).join(' & '), prefix: words[words.length - 1] };
}
