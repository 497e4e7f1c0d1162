// The in-process cache of public (anonymous) responses: bounded LRU, invalidated by domain
// events, and never serving across a moment when a scheduled version appears or expires.
import { LRUCache } from 'lru-cache';

export interface CachedResponse {
  /** Encoded once: sending a Buffer skips re-encoding a 100 KB string on every hit. */
  body: Buffer;
  headers: Record<string, string>;
}

export interface CacheOptions {
  maxBytes: number;
  ttlMs: number;
}

export const ARTICLE_DETAIL = /^\/api\/v1\/articles\/[^/?]+$/;

export class ResponseCache {
  private readonly lru: LRUCache<string, CachedResponse>;
  private readonly keysByArticle = new Map<number, Set<string>>();
  /** Bumped by every invalidation: a response computed before it must not be stored after it. */
  generation = 0;
  /** The next moment a live version appears or disappears; nothing is served from then on. */
  private validUntil = 0;

  constructor(
    opts: CacheOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.lru = new LRUCache<string, CachedResponse>({
      maxSize: opts.maxBytes,
      sizeCalculation: (v, k) => v.body.length + k.length * 2 + 256,
      ttl: opts.ttlMs,
    });
  }

  get size(): number {
    return this.lru.size;
  }

  /** False until the next visibility change is known, and once it has come. */
  isFresh(): boolean {
    return this.now() < this.validUntil;
  }

  setValidUntil(ms: number): void {
    this.validUntil = ms;
  }

  get(key: string): CachedResponse | undefined {
    return this.isFresh() ? this.lru.get(key) : undefined;
  }

  set(key: string, value: CachedResponse, generation: number, articleId?: number): void {
    if (generation !== this.generation || !this.isFresh()) return;
    this.lru.set(key, value);
    if (articleId !== undefined) {
      let keys = this.keysByArticle.get(articleId);
      if (!keys) this.keysByArticle.set(articleId, (keys = new Set()));
      keys.add(key);
    }
  }

  /** Live content of one article changed: its own pages and every article list. */
  invalidateArticle(articleId: number): void {
    this.generation++;
    for (const key of this.keysByArticle.get(articleId) ?? []) this.lru.delete(key);
    this.keysByArticle.delete(articleId);
    for (const key of [...this.lru.keys()]) {
      if (key.startsWith('/api/v1/articles') && !ARTICLE_DETAIL.test(key)) this.lru.delete(key);
    }
  }

  /** Something embedded everywhere changed (a category name, a cover image). */
  invalidateArticles(): void {
    this.generation++;
    for (const key of [...this.lru.keys()]) if (key.startsWith('/api/v1/articles')) this.lru.delete(key);
    this.keysByArticle.clear();
  }

  invalidateAll(): void {
    this.generation++;
    this.lru.clear();
    this.keysByArticle.clear();
  }
}
