// The request thread's end of the embedded database's worker (pglite-worker.ts): one session,
// like one connection to PostgreSQL. It sends requests in order without waiting for each answer
// (the worker queues them), keeps every other request out while a transaction is open, and
// enforces the time limits that statement_timeout cannot in the wasm build: a watchdog reads the
// running request's deadline from shared memory and, past it, stops the worker (V8 interrupts
// wasm) and starts a new one on the same folder, which recovers as PostgreSQL does after a crash.
// The statement gets 57014 as on PostgreSQL; requests that had not started run on the new worker.
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { errorFromFields, type Notice, type Reply, type Request, type WorkerData } from './pglite-protocol.js';

/** A request without the fields the connection adds. */
export type RequestBody = Request extends infer R ? (R extends unknown ? Omit<R, 'id' | 'limitMs'> : never) : never;

interface Pending {
  req: Request;
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
  /** Part of a transaction: never replayed on a new worker, where that transaction is gone. */
  inTx: boolean;
  sent: boolean;
}

export interface Listener {
  onMessage: (payload: string) => void;
  onConnect?: () => void;
}

const pgError = (code: string, message: string) => Object.assign(new Error(message), { code, severity: 'ERROR' });
export const timeoutError = () => pgError('57014', 'canceling statement due to statement timeout');
const abortedError = () => pgError('25P02', 'current transaction is aborted: the embedded database was restarted');
const goneError = (why: string) => pgError('08006', `The embedded database is not available: ${why}`);

/**
 * Starts the worker. Built JavaScript runs it as it is. From TypeScript sources it needs a loader:
 * tap passes its own to workers (execArgv), but `node --import tsx` does not reach them, so the
 * worker registers tsx itself when the plain import fails.
 */
function startWorker(data: WorkerData): Worker {
  const here = fileURLToPath(import.meta.url);
  const entry = new URL(`./pglite-worker${extname(here)}`, import.meta.url);
  const transferList = [data.port];
  if (extname(here) !== '.ts') return new Worker(entry, { workerData: data, transferList });
  const tsx = import.meta.resolve('tsx/esm/api');
  // A failed import stays failed for its URL: the retry asks for it under another one.
  const boot = `import(${JSON.stringify(entry.href)}).catch(async (err) => {
    if (err.code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw err;
    (await import(${JSON.stringify(tsx)})).register();
    await import(${JSON.stringify(`${entry.href}?tsx`)});
  });`;
  return new Worker(boot, { eval: true, workerData: data, transferList });
}

export class PGliteConnection {
  private worker!: Worker;
  private port!: MessagePort;
  private readonly running = new SharedArrayBuffer(16);
  private readonly slot = new BigInt64Array(this.running);
  private readonly pending = new Map<number, Pending>();
  private readonly channels = new Map<string, Set<Listener>>();
  private nextId = 1;
  /** Counts the workers started: a transaction begun on an earlier one is gone. */
  private generation = 0;
  private ready = false;
  private restarting: Promise<void> | undefined;
  private unavailable: Error | undefined;
  /** Resolves when the open transaction ends. */
  private txEnd: Promise<void> | undefined;
  private watchdog: NodeJS.Timeout | undefined;

  private constructor(
    private readonly dataDir: string,
    private readonly checkEveryMs: number,
  ) {}

  static async open(dataDir: string, checkEveryMs: number): Promise<PGliteConnection> {
    const conn = new PGliteConnection(dataDir, checkEveryMs);
    await conn.spawn();
    conn.ready = true;
    return conn;
  }

  private async spawn(): Promise<void> {
    const { port1, port2 } = new MessageChannel();
    const worker = startWorker({ dataDir: this.dataDir, port: port2, running: this.running });
    await new Promise<void>((resolve, reject) => {
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`The database worker exited (${code}) while starting`)));
      port1.once('message', () => resolve());
    });
    worker.removeAllListeners();
    worker.on('error', () => {}); // the exit that follows is handled
    worker.once('exit', () => void this.restart(goneError('its worker stopped')));
    port1.on('message', (m: Reply | Notice) => this.onMessage(m));
    this.worker = worker;
    this.port = port1;
    this.idle();
  }

  private onMessage(m: Reply | Notice): void {
    if ('notify' in m) {
      for (const l of this.channels.get(m.notify) ?? []) l.onMessage(m.payload);
      return;
    }
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if (this.pending.size === 0) this.idle();
    if (m.ok) p.resolve(m.result);
    else p.reject(errorFromFields(m.error));
  }

  /** Sends now, whatever the transaction gate says: for requests that passed it. */
  private post(body: RequestBody, limitMs: number, txGeneration?: number): Promise<unknown> {
    if (this.unavailable) return Promise.reject(this.unavailable);
    if (txGeneration !== undefined && txGeneration !== this.generation) return Promise.reject(abortedError());
    const req = { ...body, id: this.nextId++, limitMs } as Request;
    return new Promise((resolve, reject) => {
      const p: Pending = { req, resolve, reject, inTx: txGeneration !== undefined, sent: false };
      this.pending.set(req.id, p);
      this.busy();
      if (this.ready) this.send(p);
    });
  }

  private send(p: Pending): void {
    p.sent = true;
    this.port.postMessage(p.req);
  }

  /** A request outside any transaction: waits while one is open. */
  async run(body: RequestBody, limitMs: number): Promise<unknown> {
    while (this.txEnd) await this.txEnd;
    return this.post(body, limitMs);
  }

  /**
   * BEGIN, the callback's requests (through `send`), COMMIT; ROLLBACK if the callback throws.
   * Nothing else is sent meanwhile.
   */
  async transaction<T>(limitMs: number, body: (send: (req: RequestBody) => Promise<unknown>) => Promise<T>): Promise<T> {
    while (this.txEnd) await this.txEnd;
    let end!: () => void;
    this.txEnd = new Promise((resolve) => (end = resolve));
    const generation = this.generation;
    let closed = false;
    const send = (req: RequestBody) => (closed ? Promise.reject(new Error('Transaction is closed')) : this.post(req, limitMs, generation));
    try {
      await this.post({ op: 'exec', sql: 'BEGIN' }, limitMs, generation);
      let result: T;
      try {
        result = await body(send);
      } catch (err) {
        closed = true;
        if (generation === this.generation) await this.post({ op: 'exec', sql: 'ROLLBACK' }, limitMs, generation).catch(() => {});
        throw err;
      }
      closed = true;
      const [commit] = (await this.post({ op: 'exec', sql: 'COMMIT' }, limitMs, generation)) as Array<{ command?: string }>;
      // COMMIT of a transaction that failed earlier (an error the callback caught) rolls back.
      if (commit?.command === 'ROLLBACK') throw pgError('25P02', 'The transaction was rolled back after an error in it.');
      return result;
    } finally {
      this.txEnd = undefined;
      end();
    }
  }

  async listen(channel: string, listener: Listener): Promise<() => Promise<void>> {
    let set = this.channels.get(channel);
    if (!set) this.channels.set(channel, (set = new Set()));
    set.add(listener);
    await this.run({ op: 'listen', channel }, 0);
    listener.onConnect?.();
    return async () => {
      set.delete(listener);
      if (set.size > 0 || this.unavailable) return;
      this.channels.delete(channel);
      await this.run({ op: 'unlisten', channel }, 0);
    };
  }

  /** While requests are out: the watchdog runs and the worker keeps the process alive. */
  private busy(): void {
    if (this.watchdog) return;
    this.worker?.ref();
    this.port?.ref();
    this.watchdog = setInterval(() => this.check(), this.checkEveryMs);
  }

  private idle(): void {
    clearInterval(this.watchdog);
    this.watchdog = undefined;
    this.worker.unref();
    this.port.unref();
  }

  private check(): void {
    const deadline = Number(Atomics.load(this.slot, 1));
    if (deadline !== 0 && Date.now() > deadline) void this.restart(timeoutError());
  }

  /** Stops the worker; the request it was running fails with `cause`; the others wait for a new one. */
  private restart(cause: Error): Promise<void> {
    this.restarting ??= this.replaceWorker(cause).finally(() => (this.restarting = undefined));
    return this.restarting;
  }

  private async replaceWorker(cause: Error): Promise<void> {
    this.ready = false;
    this.generation++;
    this.worker.removeAllListeners();
    await this.worker.terminate();
    // Answers the worker sent before it stopped are taken first: those requests are done and
    // must not run twice. Then the slot names the one it was running, if any.
    for (let m = receiveMessageOnPort(this.port); m; m = receiveMessageOnPort(this.port)) this.onMessage(m.message as Reply | Notice);
    this.port.close();
    const runningId = Number(Atomics.load(this.slot, 0));
    Atomics.store(this.slot, 0, 0n);
    Atomics.store(this.slot, 1, 0n);
    for (const [id, p] of this.pending) {
      if (id === runningId || p.inTx) {
        this.pending.delete(id);
        p.reject(id === runningId ? cause : abortedError());
      } else p.sent = false;
    }
    if (this.dataDir === 'memory://') return this.fail(goneError(`an in-memory database does not survive its worker (${cause.message})`));
    try {
      await this.spawn();
    } catch (err) {
      return this.fail(err as Error);
    }
    this.ready = true;
    for (const channel of this.channels.keys()) void this.post({ op: 'listen', channel }, 0).catch(() => {});
    for (const p of this.pending.values()) if (!p.sent) this.send(p);
    if (this.pending.size > 0) this.busy();
    // Notices sent while no worker listened are lost: listeners re-read what they keep.
    for (const set of this.channels.values()) for (const l of set) l.onConnect?.();
  }

  private fail(err: Error): void {
    this.unavailable = err;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    clearInterval(this.watchdog);
    this.watchdog = undefined;
  }

  get closed(): boolean {
    return this.unavailable !== undefined;
  }

  /**
   * Waits for the requests sent before (at most `waitMs`, as postgres.js's end({ timeout })),
   * then closes the database and stops the worker. A worker stopped mid-statement leaves the
   * folder as a crash would: committed data is kept.
   */
  async close(waitMs = 5000): Promise<void> {
    await this.restarting;
    if (!this.unavailable) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise((resolve) => (timer = setTimeout(resolve, waitMs)));
      await Promise.race([this.post({ op: 'close' }, 0).catch(() => {}), late]);
      clearTimeout(timer);
      this.fail(goneError('it was closed'));
    }
    this.worker.removeAllListeners();
    this.port.close();
    await this.worker.terminate();
  }
}
