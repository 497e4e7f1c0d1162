import type { AppContext } from '../../context.js';
import { clientNetwork } from '../../lib/client-address.js';
import type { LoginLimiter } from '../../lib/failure-limiter.js';
import { DUMMY_HASH, verifyPassword } from '../../lib/password.js';
import { Problem, tooManyRequests } from '../../lib/problem.js';
import { hashToken, newSecretToken } from '../../lib/secret-token.js';
import type { TokenResolver } from '../../plugins/auth.js';
import { findUserByEmail } from '../users/users.queries.js';
import { normalizeEmail } from '../users/users.service.js';
import { deleteToken, findActorByTokenHash, insertToken } from './auth.queries.js';

const invalidCredentials = () => new Problem(401, 'invalid_credentials', 'Wrong email or password.');

export async function login(ctx: AppContext, limiter: LoginLimiter, address: string, input: { email: string; password: string }) {
  const email = normalizeEmail(input.email);
  const client = clientNetwork(address);
  // The attempt is counted before the password is checked, so that a burst gets no more checks
  // than the budget. While locked, even the right password is refused: the lock must not reveal it.
  const wait = await limiter.reserve(client, email);
  if (wait > 0) throw tooManyRequests(wait);

  const user = await findUserByEmail(ctx.db, email);
  const ok = await verifyPassword(input.password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !ok || user.disabled) throw invalidCredentials();
  await limiter.recordSuccess(client, email);
  const { token, hash } = newSecretToken('tsn');
  const expiresAt = new Date(ctx.now().getTime() + ctx.config.tokenTtlSeconds * 1000);
  await insertToken(ctx.db, { userId: user.id, tokenHash: hash, expiresAt });
  return { token, expiresAt, user };
}

export async function logout(ctx: AppContext, tokenHash: string): Promise<void> {
  await deleteToken(ctx.db, tokenHash);
}

/** The auth plugin's resolver: tokens are stored hashed, and valid until expiry unless the user is disabled. */
export function tokenResolver(ctx: AppContext): TokenResolver {
  return async (token) => {
    const tokenHash = hashToken(token);
    const actor = await findActorByTokenHash(ctx.db, tokenHash, ctx.now());
    return actor ? { actor, tokenHash } : null;
  };
}
