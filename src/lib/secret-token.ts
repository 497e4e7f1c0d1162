import { createHash, randomBytes } from 'node:crypto';

/** A random bearer/preview token (256 bits) and the hash that is all we store of it. */
export function newSecretToken(prefix: string): { token: string; hash: string } {
  const token = `${prefix}_${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
