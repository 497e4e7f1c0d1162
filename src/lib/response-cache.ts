// The in-process cache of public (anonymous) responses: a bounded LRU whose entries are stored
// under their surrogate keys (the Surrogate-Key header a CDN purges by) and evicted by key, and
// which never serves across a moment when what is public changes by time alone (the timetable).
// It knows no resource: the keys come with each response and each change notice.
import { LRUCache } from 'lru-cache';

export interface CachedResponse {
  /** Encoded once: sending a Buffer skips re-encoding a 100 KB string on every hit. */
  body: Buffer;
  headers: Record<string, string>;
}

interface Entry extends CachedResponse {
  keys: readonly string[];
}

export interface CacheOptions {
  maxBytes: number;
  ttlMs: number;
}

export class ResponseCache {
  private readonly lru: LRUCache<string, Entry>;
  /** Surrogate key → the entries stored under it. Kept in step with the LRU by its dispose. */
  private readonly byKey = new Map<string, Set<string>>();
  /** Bumped by every eviction: a response computed before it must not be stored after it. */
  generation = 0;
  /** The next moment a live version appears or disappears; nothing is served from then on. */
  private validUntil = 0;

  constructor(
    opts: CacheOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.lru = new LRUCache<string, Entry>({
      maxSize: opts.maxBytes,
      ttl: opts.ttlMs,
      // Every way out of the LRU (size, TTL, replacement, delete, clear) passes here.
      dispose: (entry, cacheKey) => this.unindex(cacheKey, entry.keys),
    });
  }

  /** Entries held. */
  get size(): number {
    return this.lru.size;
  }

  /** Surrogate keys indexed (tests: the index shrinks with the entries). */
  get indexedKeys(): number {
    return this.byKey.size;
  }

  /** False until the next visibility change is known, and once it has come. */
  isFresh(): boolean {
    return this.now() < this.validUntil;
  }

  /**
   * Sets the next visibility change. If the previous one has passed, every entry was stored
   * before it and goes: none may come back into service under the new one.
   */
  setValidUntil(ms: number): void {
    if (!this.isFresh()) this.clear();
    this.validUntil = ms;
  }

  get(cacheKey: string): CachedResponse | undefined {
    return this.isFresh() ? this.lru.get(cacheKey) : undefined;
  }

  /**
   * Stores a response under its surrogate keys, unless something was evicted since it was
   * computed (`generation`), the timetable is not fresh, or it has no keys (nothing could purge it).
   */
  set(cacheKey: string, value: CachedResponse, keys: readonly string[], generation: number): void {
    if (generation !== this.generation || !this.isFresh() || keys.length === 0) return;
    let headerBytes = 0;
    for (const name in value.headers) headerBytes += name.length + value.headers[name].length;
    this.lru.set(cacheKey, { ...value, keys }, { size: value.body.length + 2 * (cacheKey.length + headerBytes) + 256 });
    // Too large an entry is refused (and an older one under the same key dropped).
    if (!this.lru.has(cacheKey)) return;
    for (const key of keys) {
      let entries = this.byKey.get(key);
      if (!entries) this.byKey.set(key, (entries = new Set()));
      entries.add(cacheKey);
    }
  }

  /** Drops every entry stored under any of `keys`. */
  evict(keys: readonly string[]): void {
    this.generation++;
    for (const key of keys) {
      const entries = this.byKey.get(key);
      if (!entries) continue;
      for (const cacheKey of [...entries]) this.lru.delete(cacheKey);
    }
  }

  clear(): void {
    this.generation++;
    this.lru.clear();
    this.byKey.clear();
  }

  private unindex(cacheKey: string, keys: readonly string[]): void {
    for (const key of keys) {
      const entries = this.byKey.get(key);
      if (!entries) continue;
      entries.delete(cacheKey);
      if (entries.size === 0) this.byKey.delete(key);
    }
  }
}
