import t from 'tap';
import { searchWords, toSearchTerms } from '../../src/lib/search-query.js';

t.test('words are folded and stripped of tsquery syntax', async (t) => {
  t.same(searchWords('Tân Hồng'), ['tan', 'hong']);
  t.same(searchWords('  ĐẢNG bộ  '), ['dang', 'bo']);
  t.same(searchWords("a & b | !c:* (d) 'e'"), ['a', 'b', 'c', 'd', 'e']);
  t.same(searchWords('&|!'), []);
  t.equal(searchWords(Array(50).fill('x').join(' ')).length, 12);
});

t.test('tsquery strings', async (t) => {
  t.same(toSearchTerms('nông thôn mới'), { words: 'nong & thon', prefix: 'moi' });
  t.same(toSearchTerms('Tân Hồng'), { words: 'tan', prefix: 'hong' });
  t.same(toSearchTerms('Đảng'), { words: '', prefix: 'dang' });
  t.equal(toSearchTerms('!!!'), null);
});
