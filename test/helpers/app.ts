// Builds the real app on a test database and gives each role a logged-in token.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/app.js';
import { type Config, parseConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/client.js';
import { insertToken } from '../../src/modules/auth/auth.queries.js';
import { createUser } from '../../src/modules/users/users.service.js';
import { newSecretToken } from '../../src/lib/secret-token.js';
import type { Role } from '../../src/policy/roles.js';
import type { Clock } from './clock.js';
import { createTestDatabase } from './database.js';

export interface TestUser {
  id: number;
  email: string;
  password: string;
  token: string;
  role: Role;
}

export interface TestApp {
  app: FastifyInstance;
  config: Config;
  /** Another instance of the service on the same database (its own pool on PostgreSQL). */
  secondInstance(env?: Record<string, string>, beforeReady?: (app: FastifyInstance) => void): Promise<FastifyInstance>;
  users: { admin: TestUser; editor: TestUser; author: TestUser; author2: TestUser };
  /** inject with a role's token (or none for anonymous). */
  req(as: keyof TestApp['users'] | null, opts: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** The service's clock (test/helpers/clock.ts), shared by every instance of the test app. */
  clock?: Clock;
}

export async function createTestApp(env: Record<string, string> = {}, opts: TestAppOptions = {}): Promise<TestApp> {
  const tdb = await createTestDatabase();
  // Every test file stores media in a folder of its own unless it names one.
  const ownMediaDir = env.MEDIA_DIR ? undefined : mkdtempSync(join(tmpdir(), 'toasoan-media-'));
  if (ownMediaDir) env = { ...env, MEDIA_DIR: ownMediaDir };
  const config = parseConfig({ LOG_LEVEL: 'silent', ...env, ...(tdb.databaseUrl ? { DATABASE_URL: tdb.databaseUrl } : {}) });
  const now = opts.clock?.now;
  const app = await buildApp(config, { database: tdb.database, logger: false, migrate: false, now });
  await app.ready();

  const make = async (role: Role, name: string): Promise<TestUser> => {
    const email = `${name}@toasoan.test`;
    const password = `${name}-password-123`;
    const user = await createUser(app.ctx, { email, password, role, name });
    const { token, hash } = newSecretToken('tsn');
    // By the service's clock, and for a day: a test may move its clock on by hours.
    await insertToken(app.ctx.db, { userId: user.id, tokenHash: hash, expiresAt: new Date(app.ctx.now().getTime() + 86_400_000) });
    return { id: user.id, email, password, token, role };
  };
  const users = {
    admin: await make('admin', 'admin'),
    editor: await make('editor', 'editor'),
    author: await make('author', 'author'),
    author2: await make('author', 'author2'),
  };

  const others: FastifyInstance[] = [];
  return {
    app,
    config,
    secondInstance: async (more = {}, beforeReady) => {
      const cfg = parseConfig({ LOG_LEVEL: 'silent', ...env, ...more, ...(tdb.databaseUrl ? { DATABASE_URL: tdb.databaseUrl } : {}) });
      // PGlite is one connection per process: a second instance shares it; PostgreSQL gets a pool of its own.
      const database = tdb.databaseUrl ? await openDatabase({ databaseUrl: tdb.databaseUrl, dataDir: 'unused' }) : tdb.database;
      const other = await buildApp(cfg, { database, logger: false, migrate: false, now });
      if (tdb.databaseUrl) other.addHook('onClose', () => database.close());
      beforeReady?.(other);
      await other.ready();
      others.push(other);
      return other;
    },
    users,
    req: (as, opts) => {
      const headers = { ...(opts.headers ?? {}) } as Record<string, string>;
      if (as) headers.authorization = `Bearer ${users[as].token}`;
      return app.inject({ ...opts, headers });
    },
    close: async () => {
      for (const o of others) await o.close();
      await app.close();
      await tdb.drop();
      if (ownMediaDir) rmSync(ownMediaDir, { recursive: true, force: true });
    },
  };
}
