import t from 'tap';
import { parseByteRange } from '../../src/lib/http-range.js';

t.test('byte ranges', async (t) => {
  t.same(parseByteRange('bytes=0-99', 1000), { start: 0, end: 99 });
  t.same(parseByteRange('bytes=500-', 1000), { start: 500, end: 999 });
  t.same(parseByteRange('bytes=-100', 1000), { start: 900, end: 999 });
  t.same(parseByteRange('bytes=-5000', 1000), { start: 0, end: 999 }, 'a suffix longer than the file is the file');
  t.same(parseByteRange('bytes=990-5000', 1000), { start: 990, end: 999 }, 'the end is clamped');
  t.same(parseByteRange('bytes=0-0', 1000), { start: 0, end: 0 });
  t.equal(parseByteRange('bytes=1000-', 1000), 'unsatisfiable');
  t.equal(parseByteRange('bytes=-0', 1000), 'unsatisfiable');
  t.equal(parseByteRange('bytes=0-', 0), 'unsatisfiable');
});

t.test('what is not one byte range is ignored (the whole file is sent)', async (t) => {
  for (const h of [undefined, '', 'articles=0-9', 'bytes=0-9,20-29', 'bytes=abc', 'bytes=9-1', 'bytes=-']) {
    t.equal(parseByteRange(h, 1000), undefined, String(h));
  }
});
