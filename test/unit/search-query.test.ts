import t from 'tap';
import { searchWords, toTsquery } from '../../src/lib/search-query.js';

t.test('words are folded and stripped of tsquery syntax', async (t) => {
  t.same(searchWords('Tân Hồng'), ['tan', 'hong']);
  t.same(searchWords('  ĐẢNG bộ  '), ['dang', 'bo']);
  t.same(searchWords("a & b | !c:* (d) 'e'"), ['a', 'b', 'c', 'd', 'e']);
  t.same(searchWords('&|!'), []);
  t.equal(searchWords(Array(50).fill('x').join(' ')).length, 12);
});

t.test('tsquery strings', async (t) => {
  t.equal(toTsquery('nông thôn mới'), 'nong & thon & moi:*');
  t.equal(toTsquery('Tân Hồng'), 'tan & hong:*');
  t.equal(toTsquery('Đảng'), 'dang:*');
  t.equal(toTsquery('!!!'), null);
});
