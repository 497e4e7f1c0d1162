import { createHmac } from 'node:crypto';
import t from 'tap';
import { imageSignature, isImageSignatureValid, signedText, signImageUrl } from '../../src/lib/image-signing.js';

const KEY = 'khóa-bí-mật-0123456789';
const path = '/media/ab12cd34ab12cd34ab12cd34ab12cd34.jpg';

t.test('the signed text: path, "?", the parameters sorted by name, as sent', async (t) => {
  t.equal(signedText(path, [['w', '640'], ['h', '360'], ['fit', 'cover'], ['s', 'ignored']]), `${path}?fit=cover&h=360&w=640`);
  t.equal(signedText(path, [['w', '640'], ['fp-y', '0.5'], ['fp-x', '0.9'], ['fm', 'auto']]), `${path}?fm=auto&fp-x=0.9&fp-y=0.5&w=640`);
});

t.test('the signature is the hex HMAC-SHA256 of that text with the UTF-8 key', async (t) => {
  const expected = createHmac('sha256', Buffer.from(KEY, 'utf8')).update(`${path}?fit=cover&h=360&w=640`).digest('hex');
  t.equal(imageSignature(path, [['w', '640'], ['h', '360'], ['fit', 'cover']], KEY), expected);
  t.match(expected, /^[0-9a-f]{64}$/);
  t.equal(signImageUrl(path, { w: 640, h: 360, fit: 'cover' }, KEY), `${path}?fit=cover&h=360&w=640&s=${expected}`);
});

t.test('only the exact signature of the exact parameters is valid', async (t) => {
  const params = [['w', '500'], ['h', '300']] as const;
  const s = imageSignature(path, params, KEY);
  t.ok(isImageSignatureValid(path, params, s, KEY));
  t.ok(isImageSignatureValid(path, [['h', '300'], ['w', '500']], s, KEY), 'in any order');
  t.notOk(isImageSignatureValid(path, [['w', '501'], ['h', '300']], s, KEY), 'another width');
  t.notOk(isImageSignatureValid(path, [...params, ['q', '90']], s, KEY), 'one more parameter');
  t.notOk(isImageSignatureValid(path.replace('.jpg', '.png'), params, s, KEY), 'another path');
  t.notOk(isImageSignatureValid(path, params, s, `${KEY}x`), 'another key');
  t.notOk(isImageSignatureValid(path, params, s.toUpperCase(), KEY), 'upper-case hex');
  t.notOk(isImageSignatureValid(path, params, s.slice(0, 63), KEY), 'too short');
  t.notOk(isImageSignatureValid(path, params, `${s.slice(0, 63)}g`, KEY), 'not hex');
});
