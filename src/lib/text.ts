// Unicode normalisation and accent folding (API.md §1, §2).

/** NFC-normalises every string in a JSON-like value, keys included. */
export function normalizeDeep<T>(value: T): T {
  if (typeof value === 'string') return value.normalize('NFC') as T;
  if (Array.isArray(value)) return value.map((v) => normalizeDeep(v)) as T;
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k.normalize('NFC')] = normalizeDeep(v);
    return out as T;
  }
  return value;
}

/**
 * Folds Vietnamese (and other Latin) accents to ASCII letters and lower-cases: "Đảng" → "dang".
 * Matches what the database's f_unaccent + lower do for Vietnamese text.
 */
export function foldAccents(input: string): string {
  return stripAccents(input).toLowerCase();
}

/** "Đảng Bộ" → "Dang Bo": accents off, case kept (ASCII fallbacks such as download names). */
export function stripAccents(input: string): string {
  return input.normalize('NFD').replace(/\p{M}+/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');
}
