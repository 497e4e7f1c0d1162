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

/** 'w1 & w2:*'; null when q has no word. */
export function toTsquery(q: string): string | null {
  const words = searchWords(q);
  if (words.length === 0) return null;
  return words.map((word, i) => (i === words.length - 1 ? `${word}:*` : word)).join(' & ');
}
