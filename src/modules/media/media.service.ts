import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import type { Static } from '@fastify/type-provider-typebox';
import type { Multipart } from '@fastify/multipart';
import type { AppContext } from '../../context.js';
import type { StoredRendition } from '../../db/schema/index.js';
import { emitEvent } from '../../events/outbox.js';
import { mediaChangeKeys } from '../cache-keys.js';
import { listPage } from '../../lib/list-sql.js';
import { conflict, forbidden, notFound, preconditionFailed } from '../../lib/problem.js';
import { checkVersion, expectedVersion } from '../../lib/record.js';
import { normalizeDeep } from '../../lib/text.js';
import { type Actor, canEditMedia } from '../../policy/permissions.js';
import { cropsOf, cropsSpecOf } from './media.crops.js';
import { renderImage } from './media.images.js';
import { derivedPrefix, fileIdOf, newMediaKeys } from './media.keys.js';
import { isImage } from './media.kinds.js';
import { toPublicMedia, toStaffMedia } from './media.mappers.js';
import * as q from './media.queries.js';
import type { UpdateMediaBody } from './media.schemas.js';
import { receiveUpload, type ReceivedUpload } from './media.upload.js';

type Query = Record<string, string | string[] | undefined>;

export async function listMedia(ctx: AppContext, query: Query) {
  const page = await listPage(query, q.mediaListSpec, (plan) => q.listMedia(ctx.db, plan));
  return { ...page, rows: page.rows.map((r) => toStaffMedia(r, ctx.mediaUrls)) };
}

async function findMedia(ctx: AppContext, id: number) {
  const row = await q.findMediaById(ctx.db, id);
  if (!row) throw notFound('Media');
  return row;
}

export async function getMedia(ctx: AppContext, id: number) {
  return toStaffMedia(await findMedia(ctx, id), ctx.mediaUrls);
}

/** The pristine upload, for staff. */
export async function getOriginal(ctx: AppContext, id: number) {
  const row = await findMedia(ctx, id);
  return { key: row.originalKey, contentType: row.mimeType, etag: `"${row.sha256}"`, filename: row.filename };
}

interface StagedFile {
  temp: string;
  key: string;
  contentType: string;
}

interface Staged {
  files: StagedFile[];
  width: number | null;
  height: number | null;
  renditions: StoredRendition[];
  storageKey: string;
  originalKey: string;
}

/** Writes the public image and its renditions next to the upload, still as temporary objects. */
async function stageFiles(ctx: AppContext, upload: ReceivedUpload, temps: string[]): Promise<Staged> {
  const { kind } = upload;
  const keys = newMediaKeys(kind, isImage(kind));
  const files: StagedFile[] = [{ temp: upload.temp.key, key: keys.original, contentType: kind.mimeType }];
  const staged: Staged = { files, width: null, height: null, renditions: [], storageKey: keys.public, originalKey: keys.original };
  if (!isImage(kind)) return staged;

  // Read back from storage rather than kept from the request: the upload itself streamed through,
  // and an image is bounded by MEDIA_MAX_BYTES and sharp's pixel limit.
  const source = await ctx.storage.get(upload.temp.key);
  if (!source) throw new Error(`The temporary upload ${upload.temp.key} is gone.`);
  const images = await renderImage(await buffer(source), kind);
  const stage = async (data: Buffer, key: string, contentType: string) => {
    const temp = await ctx.storage.putTemp(Readable.from([data]));
    temps.push(temp.key);
    files.push({ temp: temp.key, key, contentType });
  };
  await stage(images.public.data, keys.public, kind.mimeType);
  for (const r of images.renditions) {
    const key = keys.rendition(r.width);
    await stage(r.data, key, 'image/webp');
    staged.renditions.push({ width: r.width, height: r.height, format: 'webp', key, size: r.data.length });
  }
  return { ...staged, width: images.public.width, height: images.public.height };
}

/**
 * Receives, checks and stores an upload. Files stay temporary until the row is written; they are
 * committed inside the transaction, just before it commits, and removed again if anything fails,
 * so a failed, refused or interrupted upload leaves neither a row nor a file. `signal` aborts when
 * the client goes away; `idle` when the body pauses too long, failing the upload with its reason.
 */
export async function uploadMedia(ctx: AppContext, actor: Actor, parts: AsyncIterable<Multipart>, signal?: AbortSignal, idle?: AbortSignal) {
  const upload = await receiveUpload(parts, ctx.storage, ctx.config.mediaMaxBytes, idle);
  const temps = [upload.temp.key];
  const committed: string[] = [];
  try {
    const staged = await stageFiles(ctx, upload, temps);
    // A client that went away while we were resizing gets nothing stored.
    signal?.throwIfAborted();
    const now = ctx.now();
    const crops = cropsOf({ ...staged, mimeType: upload.kind.mimeType, focalX: 0.5, focalY: 0.5 }, ctx.config);
    return await ctx.db.transaction(async (tx) => {
      const row = await q.insertMedia(tx, {
        filename: upload.filename, mimeType: upload.kind.mimeType, size: upload.temp.size, sha256: upload.sha256,
        width: staged.width, height: staged.height, storageKey: staged.storageKey, originalKey: staged.originalKey,
        renditions: staged.renditions, crops, cropsSpec: cropsSpecOf(ctx.config), alt: upload.fields.alt ?? '', caption: upload.fields.caption ?? '', credit: upload.fields.credit ?? '',
        uploadedBy: actor.id, createdAt: now, updatedAt: now,
      });
      // Nothing public shows a new file yet: nothing to purge.
      await emitEvent(tx, { type: 'media.created', entityId: row.id, data: toPublicMedia(row, ctx.mediaUrls), at: now, purge: [] });
      for (const f of staged.files) {
        await ctx.storage.commit(f.temp, f.key, f.contentType);
        committed.push(f.key);
      }
      return toStaffMedia(row, ctx.mediaUrls);
    });
  } catch (err) {
    const leftovers = [...temps, ...committed].map((k) => ctx.storage.delete(k));
    for (const r of await Promise.allSettled(leftovers)) {
      if (r.status === 'rejected') ctx.log.warn({ err: r.reason }, 'could not remove a file of a failed upload');
    }
    throw err;
  }
}

export async function updateMedia(ctx: AppContext, actor: Actor, id: number, raw: Static<typeof UpdateMediaBody>, ifMatch: string | undefined) {
  const body = normalizeDeep(raw);
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const current = await q.findMediaById(tx, id, true);
    if (!current) throw notFound('Media');
    if (!canEditMedia(actor, current)) throw forbidden('Authors may edit only the media they uploaded.');
    checkVersion(expectedVersion(ifMatch, body.version, current.version), current.version);
    const values: Partial<q.NewMedia> = {};
    if (body.alt !== undefined) values.alt = body.alt.trim();
    if (body.caption !== undefined) values.caption = body.caption.trim();
    if (body.credit !== undefined) values.credit = body.credit.trim();
    if (body.focalPoint !== undefined) {
      const focal = { focalX: body.focalPoint.x, focalY: body.focalPoint.y };
      // New crops have new URLs; the old ones keep serving the crops they showed.
      Object.assign(values, focal, { crops: cropsOf({ ...current, ...focal }, ctx.config), cropsSpec: cropsSpecOf(ctx.config) });
    }
    const row = await q.updateMedia(tx, id, current.version, values, now);
    if (!row) throw preconditionFailed(current.version);
    const purge = mediaChangeKeys(id, await q.findLiveArticleIdsWithCover(tx, id));
    await emitEvent(tx, { type: 'media.updated', entityId: id, data: toPublicMedia(row, ctx.mediaUrls), at: now, purge });
    return toStaffMedia(row, ctx.mediaUrls);
  });
}

export async function deleteMedia(ctx: AppContext, id: number, ifMatch: string | undefined) {
  const now = ctx.now();
  const row = await ctx.db.transaction(async (tx) => {
    const current = await q.findMediaById(tx, id, true);
    if (!current) throw notFound('Media');
    checkVersion(expectedVersion(ifMatch, undefined, current.version), current.version);
    const users = await q.findArticlesUsingMedia(tx, id, fileIdOf(current.storageKey));
    if (users.length > 0) {
      throw conflict(`The media is still used by article${users.length > 1 ? 's' : ''} ${users.join(', ')} (cover, social image or body); remove it there first.`);
    }
    const deleted = await q.deleteMedia(tx, id, current.version);
    if (!deleted) throw preconditionFailed(current.version);
    // No article shows it any more (checked above): only its own files.
    await emitEvent(tx, { type: 'media.deleted', entityId: id, data: { id }, at: now, purge: mediaChangeKeys(id, []) });
    return deleted;
  });
  // Files go once the row is gone for good. A file that cannot be removed is an orphan that no
  // record points to, never a record whose file is missing.
  const keys = new Set([row.storageKey, row.originalKey, ...row.renditions.map((r) => r.key)]);
  const removals = [...[...keys].map((k) => ctx.storage.delete(k)), ctx.storage.deletePrefix(derivedPrefix(fileIdOf(row.storageKey)))];
  for (const r of await Promise.allSettled(removals)) {
    if (r.status === 'rejected') ctx.log.warn({ err: r.reason, mediaId: id }, 'could not remove a file of deleted media');
  }
  return toStaffMedia(row, ctx.mediaUrls);
}

/**
 * Crops depend on IMAGE_WIDTHS and IMAGE_ASPECTS: rows computed under other settings (or before
 * crops existed) are recomputed, a batch at a time, when the service starts.
 */
export async function refreshStaleCrops(ctx: AppContext): Promise<number> {
  const spec = cropsSpecOf(ctx.config);
  let refreshed = 0;
  // Bounded: a row edited between read and write is retried, but not forever.
  for (let pass = 0; pass < 10_000; pass++) {
    const rows = await q.listMediaWithStaleCrops(ctx.db, spec, 500);
    if (rows.length === 0) break;
    await q.updateCrops(ctx.db, rows.map((r) => ({ id: r.id, version: r.version, crops: cropsOf(r, ctx.config) })), spec);
    refreshed += rows.length;
  }
  return refreshed;
}
