// The benchmarks' processes: a built script started on a port of its own, in production mode.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const ROOT = new URL('..', import.meta.url).pathname;
let nextPort = 3900 + Math.floor(Math.random() * 50);

/** Starts `script` (relative to the project) and waits until it answers (the service: /ready). */
export async function startProcess(script: string, env: Record<string, string>): Promise<{ proc: ChildProcess; base: string }> {
  const port = nextPort++;
  const proc = spawn(process.execPath, [join(ROOT, script)], {
    env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'warn', PORT: String(port), HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    try {
      const res = await fetch(`${base}${script.includes('server') ? '/ready' : '/__never'}`);
      if (res.status < 500) return { proc, base };
    } catch {
      /* not yet */
    }
    await sleep(100);
  }
  throw new Error(`${script} did not start`);
}

export async function stop(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null) return;
  const done = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGTERM');
  await done;
}
