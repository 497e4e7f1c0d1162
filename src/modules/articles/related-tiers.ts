// How related articles are ranked (API.md §10), as a list of tiers read one after another. Pure.
//
// The order is: more tags shared with the article first, then the same category, then newest.
// Counting shared tags over every article that shares one is a scan of a fifth of the table when
// a tag is common. Instead the ranking is cut into tiers of equal rank — "shares exactly j of the
// tags, in / not in the category" — each of which is an index lookup (the tags' GIN index, or the
// category or publication-date index in date order) read newest first and stopped after `limit`
// rows. The tiers are disjoint and in rank order, so concatenating them until `limit` rows is
// the exact ranking, and most answers come from the first tier or two.

export interface RelatedTier {
  /** How many of the article's tags each row shares, exactly. */
  shared: number;
  /**
   * Tag sets one of which a row of this tier contains: every subset of `shared` tags when there
   * are few (a GIN lookup each), else null (any of the tags; the count filter does the rest).
   */
  containsOneOf: string[][] | null;
  /** true: the article's category only; false: any other (or none). */
  sameCategory: boolean;
}

/** Tiers whose subsets are enumerated at most: C(k, j) GIN lookups OR-ed together. */
const MAX_SUBSETS = 16;

function subsets(tags: string[], size: number): string[][] {
  if (size === 0) return [[]];
  if (tags.length < size) return [];
  const [first, ...rest] = tags;
  return [...subsets(rest, size - 1).map((s) => [first, ...s]), ...subsets(rest, size)];
}

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}

/** The tiers for an article with these (distinct) tags and category, best first. */
export function relatedTiers(tags: readonly string[], categoryId: number | null): RelatedTier[] {
  const tiers: RelatedTier[] = [];
  const k = tags.length;
  for (let j = k; j >= 1; j--) {
    const containsOneOf = binomial(k, j) <= MAX_SUBSETS ? subsets([...tags], j) : null;
    if (categoryId !== null) tiers.push({ shared: j, containsOneOf, sameCategory: true });
    tiers.push({ shared: j, containsOneOf, sameCategory: false });
  }
  // Sharing no tag, an article is related only by being in the same category.
  if (categoryId !== null) tiers.push({ shared: 0, containsOneOf: null, sameCategory: true });
  return tiers;
}
