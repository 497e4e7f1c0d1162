import t from 'tap';
import { relatedTiers } from '../../src/modules/articles/related-tiers.js';
import { duplicateItem, unknownItems } from '../../src/modules/collections/collection-items.js';

t.test('related tiers: more shared tags first, the same category before others, then category alone', async (t) => {
  const tiers = relatedTiers(['a', 'b', 'c'], 7).map((x) => `${x.shared}${x.sameCategory ? 'S' : 'O'}`);
  t.same(tiers, ['3S', '3O', '2S', '2O', '1S', '1O', '0S']);
  t.same(relatedTiers(['a', 'b', 'c'], 7)[2].containsOneOf, [['a', 'b'], ['a', 'c'], ['b', 'c']], 'every pair: one GIN lookup each');
  t.same(relatedTiers(['a'], null).map((x) => `${x.shared}${x.sameCategory ? 'S' : 'O'}`), ['1O'], 'no category: no category tiers');
  t.same(relatedTiers([], 3).map((x) => `${x.shared}${x.sameCategory ? 'S' : 'O'}`), ['0S'], 'no tags: the category alone');
  t.same(relatedTiers([], null), [], 'neither: nothing is related');
  const many = relatedTiers(Array.from({ length: 10 }, (_, i) => `t${i}`), 1);
  t.equal(many.find((x) => x.shared === 5)!.containsOneOf, null, 'C(10,5) = 252 subsets: any tag, the count decides');
  t.equal(many.find((x) => x.shared === 9)!.containsOneOf!.length, 10);
});

t.test('collection items: each article once, each an article', async (t) => {
  t.equal(duplicateItem([1, 2, 3]), null);
  t.match(duplicateItem([1, 2, 1]), { path: 'items', message: /1/ });
  t.equal(unknownItems([1, 2], new Set([1, 2])), null);
  t.match(unknownItems([1, 5, 9], new Set([1])), { path: 'items', message: /5, 9/ });
});
