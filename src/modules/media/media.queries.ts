import { eq, ne, or, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { fetchPage } from '../../db/list-page.js';
import { deleteAtVersion, updateAtVersion } from '../../db/versioned.js';
import { articleLive, articles, media, ogImageIdOf, type StoredCrop } from '../../db/schema/index.js';
import { allWordsIn, type ListPlan, type ListSpec } from '../../lib/list-sql.js';
import { MEDIA_MIME_TYPES } from './media.kinds.js';

export type MediaRow = typeof media.$inferSelect;
export type NewMedia = typeof media.$inferInsert;

export const mediaListSpec: ListSpec = {
  fields: {
    id: { type: 'int' },
    filename: { type: 'text' },
    mimeType: { type: 'enum', values: MEDIA_MIME_TYPES },
    size: { type: 'int' },
    width: { type: 'int', nullable: true },
    height: { type: 'int', nullable: true },
    sha256: { type: 'text', sortable: false },
    alt: { type: 'text' },
    caption: { type: 'text', sortable: false },
    credit: { type: 'text' },
    uploadedBy: { type: 'int', nullable: true },
    createdAt: { type: 'timestamp' },
    updatedAt: { type: 'timestamp' },
  },
  columns: {
    id: media.id, filename: media.filename, mimeType: media.mimeType, size: media.size, width: media.width, height: media.height,
    sha256: media.sha256, alt: media.alt, caption: media.caption, credit: media.credit, uploadedBy: media.uploadedBy,
    createdAt: media.createdAt, updatedAt: media.updatedAt,
  },
  id: media.id,
  defaultSort: [{ field: 'createdAt', dir: 'desc' }],
  search: (q) => ({ where: allWordsIn(media.searchDoc, q), rank: [] }),
};

/** What an article embeds as its `cover`: the public side of a media record. */
export const coverColumns = {
  id: media.id, storageKey: media.storageKey, mimeType: media.mimeType, width: media.width, height: media.height,
  alt: media.alt, caption: media.caption, credit: media.credit, focalX: media.focalX, focalY: media.focalY, renditions: media.renditions,
  crops: media.crops,
};

export function listMedia(db: Db, plan: ListPlan): Promise<{ rows: MediaRow[]; total: number }> {
  return fetchPage(db, plan, db.select().from(media).$dynamic(), media);
}

export async function findMediaById(db: Db, id: number, lock = false): Promise<MediaRow | undefined> {
  const query = db.select().from(media).where(eq(media.id, id));
  const [row] = lock ? await query.for('update') : await query;
  return row;
}

/** The record of a public file name (the image's own file, not a rendition). */
export async function findMediaByStorageKey(db: Db, storageKey: string): Promise<MediaRow | undefined> {
  const [row] = await db.select().from(media).where(eq(media.storageKey, storageKey));
  return row;
}

/** Rows whose crops were computed under other settings (or never). */
export function listMediaWithStaleCrops(db: Db, spec: string, limit: number) {
  return db
    .select({
      id: media.id, version: media.version, storageKey: media.storageKey, width: media.width, height: media.height, mimeType: media.mimeType,
      focalX: media.focalX, focalY: media.focalY,
    })
    .from(media)
    .where(ne(media.cropsSpec, spec))
    .orderBy(media.id)
    .limit(limit);
}

/**
 * Writes recomputed crops in one statement; a row changed since it was read (its version moved
 * on) is left for the next pass. Derived data: neither the version nor updatedAt changes.
 */
export async function updateCrops(db: Db, rows: Array<{ id: number; version: number; crops: StoredCrop[] }>, spec: string): Promise<void> {
  await db.execute(sql`
    UPDATE ${media} SET crops = v.crops, crops_spec = ${spec}
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS v(id int, version int, crops jsonb)
    WHERE ${media.id} = v.id AND ${media.version} = v.version`);
}

export async function insertMedia(db: Db, values: NewMedia): Promise<MediaRow> {
  const [row] = await db.insert(media).values(values).returning();
  return row;
}

export async function updateMedia(db: Db, id: number, version: number, values: Partial<NewMedia>, now: Date): Promise<MediaRow | undefined> {
  const [row] = await updateAtVersion(db, media, id, version, values, now).returning();
  return row;
}

export async function deleteMedia(db: Db, id: number, version: number): Promise<MediaRow | undefined> {
  const [row] = await deleteAtVersion(db, media, id, version).returning();
  return row;
}

type Shown = { coverMediaId: typeof articles.coverMediaId | typeof articleLive.coverMediaId; body: typeof articles.body | typeof articleLive.body; seo: typeof articles.seo | typeof articleLive.seo };
const usedIn = (a: Shown, id: number, fileId: string): SQL =>
  // A body that embeds one of the files mentions its random id; nothing else can.
  or(eq(a.coverMediaId, id), sql`${ogImageIdOf(a.seo)} = ${id}`, sql`strpos(${a.body}, ${fileId}) > 0`) as SQL;

/** Articles whose working copy or live version shows the media, as cover, social image (seo.ogImageId) or in the body. */
export async function findArticlesUsingMedia(db: Db, id: number, fileId: string): Promise<number[]> {
  const [working, live] = await Promise.all([
    db.select({ id: articles.id }).from(articles).where(usedIn(articles, id, fileId)).limit(20),
    db.selectDistinct({ id: articleLive.articleId }).from(articleLive).where(usedIn(articleLive, id, fileId)).limit(20),
  ]);
  return [...new Set([...working, ...live].map((r) => r.id))].sort((a, b) => a - b);
}

/** Articles whose live version (visible or scheduled) shows the media as its cover or social image. */
export async function findLiveArticleIdsWithCover(db: Db, id: number): Promise<number[]> {
  const rows = await db
    .selectDistinct({ id: articleLive.articleId })
    .from(articleLive)
    .where(or(eq(articleLive.coverMediaId, id), sql`${ogImageIdOf(articleLive.seo)} = ${id}`));
  return rows.map((r) => r.id);
}

/** The record whose files share the 32-character id a public file name begins with. */
export async function findMediaIdByFileId(db: Db, fileId: string): Promise<number | undefined> {
  const [row] = await db.select({ id: media.id }).from(media).where(sql`left(${media.storageKey}, 32) = ${fileId}`).limit(1);
  return row?.id;
}
