import t from 'tap';
import { foldAccents } from '../../src/lib/text.js';
import { isIdLike, nextFreeSlug, slugify } from '../../src/lib/slug.js';

t.test('slugify folds Vietnamese', async (t) => {
  t.equal(slugify('Kỳ họp lần thứ 9 BCH Đảng bộ huyện Tân Hồng', 'x'), 'ky-hop-lan-thu-9-bch-dang-bo-huyen-tan-hong');
  t.equal(slugify('Tin hoạt động', 'x'), 'tin-hoat-dong');
  t.equal(slugify('ĐƯỜNG ĐẾN TRƯỜNG', 'x'), 'duong-den-truong');
  t.equal(slugify('  Nông thôn mới!!!  ', 'x'), 'nong-thon-moi');
  // Decomposed input (NFD) gives the same slug as composed input.
  t.equal(slugify('Tân Hồng'.normalize('NFD'), 'x'), 'tan-hong');
});

t.test('slugify fallbacks', async (t) => {
  t.equal(slugify('🎉🎉', 'bai-viet'), 'bai-viet');
  t.equal(slugify('2024', 'bai-viet'), 'bai-viet-2024', 'an all-digit slug would read as an id');
  t.ok(slugify('a '.repeat(300), 'x').length <= 120);
});

t.test('nextFreeSlug', async (t) => {
  t.equal(nextFreeSlug('a', []), 'a');
  t.equal(nextFreeSlug('a', ['a']), 'a-2');
  t.equal(nextFreeSlug('a', ['a', 'a-2', 'a-3']), 'a-4');
  t.equal(nextFreeSlug('a', ['a-2']), 'a');
});

t.test('foldAccents and isIdLike', async (t) => {
  t.equal(foldAccents('Đảng bộ'), 'dang bo');
  t.equal(foldAccents('nông thôn mới'), 'nong thon moi');
  t.ok(isIdLike('42'));
  t.notOk(isIdLike('tin-tuc'));
  t.notOk(isIdLike('99999999999'));
});
