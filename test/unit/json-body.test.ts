import t from 'tap';
import { jsonDepthExceeds, parseJsonBody } from '../../src/plugins/json-body.js';

t.test('depth is counted outside strings only', async (t) => {
  t.notOk(jsonDepthExceeds('[[[]]]', 3));
  t.ok(jsonDepthExceeds('[[[[]]]]', 3));
  t.notOk(jsonDepthExceeds('{"a":"[[[[[[[[[["}', 3));
  t.notOk(jsonDepthExceeds('{"a":"\\"[[[[[[["}', 3), 'escaped quotes do not end the string');
});

const status = (fn: () => unknown): number | undefined => {
  try {
    fn();
  } catch (err) {
    return (err as { statusCode?: number }).statusCode;
  }
  return undefined;
};

t.test('parseJsonBody', async (t) => {
  t.same(parseJsonBody(Buffer.from('{"title":"Tân Hồng 🎉"}')), { title: 'Tân Hồng 🎉' });
  t.equal(status(() => parseJsonBody(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]))), 400);
  t.equal(status(() => parseJsonBody(Buffer.from('['.repeat(65) + ']'.repeat(65)))), 400);
  t.same(parseJsonBody(Buffer.from('['.repeat(64) + ']'.repeat(64))) !== undefined, true);
  t.equal(status(() => parseJsonBody(Buffer.from('{"__proto__":{"x":1}}'))), 400);
  t.equal(status(() => parseJsonBody(Buffer.from('   '))), 400);
  t.equal(status(() => parseJsonBody(Buffer.from('{"a":'))), 400);
});
