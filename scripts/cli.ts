// Shared start-up for the CLI scripts: the same config parsing and app factory as the server.
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import { ConfigError, parseConfig } from '../src/config.js';

export async function withApp(run: (app: FastifyInstance) => Promise<void>): Promise<void> {
  let app: FastifyInstance | undefined;
  try {
    const config = parseConfig(process.env);
    app = await buildApp(config, { logger: { level: config.logLevel === 'info' ? 'warn' : config.logLevel }, jobs: false });
    await run(app);
  } catch (err) {
    console.error(err instanceof ConfigError ? err.message : err instanceof Error ? err.message : err);
    process.exitCode = 1;
  } finally {
    await app?.close();
  }
}

/** --name value pairs from argv. */
export function parseArgs(argv: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
    if (!m) throw new Error(`Unexpected argument "${argv[i]}"`);
    if (m[2] !== undefined) out[m[1]] = m[2];
    // A flag without a value (--fresh) is followed by the next option, or by nothing.
    else if (argv[i + 1] === undefined || argv[i + 1].startsWith('--')) out[m[1]] = '';
    else out[m[1]] = argv[++i];
  }
  return out;
}
