// The worker thread that owns the embedded database. PGlite runs PostgreSQL compiled to wasm on
// the thread that calls it, so a scan of a large table would stop every request for its whole
// length; here it stops only this thread. Requests are run one at a time in arrival order (PGlite
// is one session), and the one running is published in shared memory with its deadline, for the
// client's watchdog (pglite-client.ts): statement_timeout has no effect in the wasm build.
import { workerData } from 'node:worker_threads';
import { PGlite, type QueryOptions } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { errorToFields, type Notice, type Reply, type Request, type TextRows, type WorkerData } from './pglite-protocol.js';

// The same extensions on every open of a data folder, or PGlite cannot read its indexes.
const extensions = { unaccent, pg_trgm };

const { dataDir, port, running } = workerData as WorkerData;
const slot = new BigInt64Array(running);
const pg = dataDir === 'memory://' ? await PGlite.create({ extensions }) : await PGlite.create(dataDir, { extensions });

const unlisteners = new Map<string, () => Promise<void>>();
const utf8 = new TextEncoder();
const keep = (value: string) => value;

async function run(req: Request): Promise<{ result: unknown; transfer?: ArrayBuffer[] }> {
  switch (req.op) {
    case 'query': {
      // The caller's parsers are functions, which cannot cross threads: their columns come back
      // as the text PostgreSQL sent, and the client applies them.
      const parsers: NonNullable<QueryOptions['parsers']> = {};
      for (const oid of req.rawOids) parsers[oid] = keep;
      const { rows, fields, affectedRows } = await pg.query(req.sql, req.params, { rowMode: req.rowMode, parsers });
      return { result: { rows, fields, affectedRows } };
    }
    case 'exec':
      return { result: await pg.exec(req.sql) };
    case 'text': {
      const { rows } = await pg.query<unknown[]>(req.sql, req.params, { rowMode: 'array' });
      const transfer: ArrayBuffer[] = [];
      const out: TextRows = rows.map((row) =>
        row.map((v) => {
          if (v === null) return null;
          const bytes = utf8.encode(String(v));
          transfer.push(bytes.buffer as ArrayBuffer);
          return bytes;
        }),
      );
      return { result: out, transfer };
    }
    case 'listen':
      if (!unlisteners.has(req.channel)) {
        unlisteners.set(req.channel, await pg.listen(req.channel, (payload) => port.postMessage({ notify: req.channel, payload } satisfies Notice)));
      }
      return { result: null };
    case 'unlisten':
      await unlisteners.get(req.channel)?.();
      unlisteners.delete(req.channel);
      return { result: null };
    case 'close':
      await pg.close();
      return { result: null };
  }
}

const queue: Request[] = [];
let draining = false;

async function drain(): Promise<void> {
  draining = true;
  for (let req = queue.shift(); req; req = queue.shift()) {
    slot[1] = req.limitMs > 0 ? BigInt(Date.now() + req.limitMs) : 0n;
    slot[0] = BigInt(req.id);
    let reply: Reply;
    let transfer: ArrayBuffer[] | undefined;
    try {
      const done = await run(req);
      reply = { id: req.id, ok: true, result: done.result };
      transfer = done.transfer;
    } catch (err) {
      reply = { id: req.id, ok: false, error: errorToFields(err) };
    }
    slot[1] = 0n;
    slot[0] = 0n;
    port.postMessage(reply, transfer ?? []);
  }
  draining = false;
}

port.on('message', (req: Request) => {
  queue.push(req);
  if (!draining) void drain();
});
port.postMessage({ ready: true });
