import { sql } from 'drizzle-orm';
import { bigint, doublePrecision, index, integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { folded, recordColumns } from './columns.js';
import { users } from './users.js';

/** A resized WebP copy of an image, stored under its own key. */
export interface StoredRendition {
  width: number;
  height: number;
  format: 'webp';
  key: string;
  size: number;
}

/**
 * An image's crop at one named aspect, as `crops` shows it: URLs are stored relative to the
 * media file prefix (PUBLIC_URL/media/), so the API and PostgreSQL-written JSON prefix them alike.
 */
export interface StoredCrop {
  aspect: string;
  width: number;
  height: number;
  path: string;
  srcset: Array<{ width: number; path: string }>;
}

// The media library. Files live in storage (local disk or S3) under generated keys; the row
// records which keys belong to it, and a file becomes visible only when its row commits.
export const media = pgTable(
  'media',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    /** The uploaded file's name, sanitised: metadata only, never a storage key. */
    filename: text('filename').notNull(),
    /** Decided from the bytes, never from the name or the client's Content-Type. */
    mimeType: text('mime_type').notNull(),
    /** Size and sha256 of the upload as received (the pristine original). */
    size: bigint('size', { mode: 'number' }).notNull(),
    sha256: text('sha256').notNull(),
    /** Of the public image, orientation applied; null for documents. */
    width: integer('width'),
    height: integer('height'),
    /** The public file: for images a re-encoded copy without EXIF/GPS; for documents the upload. */
    storageKey: text('storage_key').notNull(),
    /** The pristine upload, served to staff only (the same key as storageKey for documents). */
    originalKey: text('original_key').notNull(),
    renditions: jsonb('renditions').$type<StoredRendition[]>().notNull().default(sql`'[]'::jsonb`),
    /** Computed from the size, the focal point and IMAGE_WIDTHS/IMAGE_ASPECTS (media.crops.ts). */
    crops: jsonb('crops').$type<StoredCrop[]>().notNull().default(sql`'[]'::jsonb`),
    /** The settings `crops` was computed with: rows of other settings are recomputed at start. */
    cropsSpec: text('crops_spec').notNull().default(''),
    alt: text('alt').notNull().default(''),
    caption: text('caption').notNull().default(''),
    credit: text('credit').notNull().default(''),
    focalX: doublePrecision('focal_x').notNull().default(0.5),
    focalY: doublePrecision('focal_y').notNull().default(0.5),
    uploadedBy: integer('uploaded_by').references(() => users.id, { onDelete: 'set null' }),
    // What `q` searches, accent-folded in the database so that one trigram index serves it.
    searchDoc: text('search_doc')
      .notNull()
      .generatedAlwaysAs((): ReturnType<typeof sql> => folded(sql`${media.filename} || ' ' || ${media.alt} || ' ' || ${media.caption}`)),
    ...recordColumns,
  },
  (t) => [
    index('media_created_at_idx').on(t.createdAt, t.id),
    index('media_mime_type_idx').on(t.mimeType, t.id),
    index('media_uploaded_by_idx').on(t.uploadedBy, t.id),
    index('media_sha256_idx').on(t.sha256),
    // A public file name begins with the 32-character id of its record's files (media.keys.ts).
    index('media_file_id_idx').on(sql`left(${t.storageKey}, 32)`),
    // Images on demand find their record by the public file name.
    uniqueIndex('media_storage_key_idx').on(t.storageKey),
    index('media_search_doc_idx').using('gin', sql`${t.searchDoc} gin_trgm_ops`),
  ],
);
