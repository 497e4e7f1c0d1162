// The periodic sweep of abandoned temporary uploads, on an injected clock.
import { mkdtempSync, rmSync, utimesSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import pino from 'pino';
import type { AppContext } from '../../src/context.js';
import { createLocalStorage } from '../../src/storage/local.js';
import { STALE_MS, startTempSweeper } from '../../src/modules/media/temp-sweeper.js';

const dir = mkdtempSync(join(tmpdir(), 'toasoan-sweep-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const storage = createLocalStorage(dir);
const temp = join(dir, '.tmp');
const now = Date.now();
const touch = (name: string, ageMs: number) => {
  writeFileSync(join(temp, name), 'partial');
  const at = new Date(now - ageMs);
  utimesSync(join(temp, name), at, at);
};
const ctx = { storage, now: () => new Date(now), log: pino({ level: 'silent' }) } as unknown as AppContext;
const settle = async () => {
  for (let i = 0; i < 50 && readdirSync(temp).includes('abandoned'); i++) await sleep(10);
};

t.test('files untouched for the stale limit go; a live upload stays', async (t) => {
  touch('abandoned', STALE_MS + 1000);
  touch('live', 20_000);
  const sweeper = startTempSweeper(ctx, false);
  await settle();
  sweeper.stop();
  t.same(readdirSync(temp).sort(), ['live']);
});

t.test('a sole owner at start sweeps everything', async (t) => {
  touch('abandoned', 1000);
  const sweeper = startTempSweeper(ctx, true);
  await settle();
  sweeper.stop();
  t.notOk(readdirSync(temp).includes('abandoned'));
});
