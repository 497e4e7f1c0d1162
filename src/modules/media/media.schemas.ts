import { Type } from '@fastify/type-provider-typebox';
import { Id, Nullable, NullMeans, OptionalText, ReadOnlyOnWrite, RecordMeta, VersionPrecondition } from '../../lib/schemas.js';
import { TEXT_FIELDS } from './media.upload.js';

const CENTRE = { x: 0.5, y: 0.5 };

const FocalPoint = Type.Object(
  {
    x: Type.Number({ minimum: 0, maximum: 1, description: '0 = left edge, 1 = right edge' }),
    y: Type.Number({ minimum: 0, maximum: 1, description: '0 = top edge, 1 = bottom edge' }),
  },
  { additionalProperties: false, description: 'The point to keep when cropping; the centre by default' },
);

const Rendition = Type.Object({
  width: Type.Integer(),
  height: Type.Integer(),
  format: Type.String({ description: 'webp' }),
  url: Type.String(),
});

const Crop = Type.Object({
  width: Type.Integer({ description: 'Of the crop at the largest allowed width the image can fill' }),
  height: Type.Integer(),
  url: Type.String({ description: 'That crop' }),
  srcset: Type.String({ description: '"<url> 320w, <url> 640w, …" over the allowed widths the image can fill' }),
});

const publicFields = {
  id: Id,
  url: Type.String({ description: 'The public file: for images, orientation applied and EXIF/GPS removed' }),
  width: Nullable(Type.Integer()),
  height: Nullable(Type.Integer()),
  mimeType: Type.String(),
  alt: Type.String(),
  caption: Type.String(),
  credit: Type.String(),
  focalPoint: FocalPoint,
  renditions: Type.Array(Rendition, { description: 'Resized WebP copies, narrowest first; never wider than the image' }),
  crops: Type.Record(Type.String(), Crop, {
    description: 'Images only (empty for documents): for each aspect in IMAGE_ASPECTS ("16:9", …), cropped around the focal point, AVIF/WebP/JPEG by Accept',
  }),
};

/** The public side of a media record: an article's `cover`. */
export const PublicMedia = Type.Object(publicFields, { title: 'PublicMedia' });

export const Media = Type.Object(
  {
    ...RecordMeta,
    ...publicFields,
    filename: Type.String({ description: 'The uploaded file name, sanitised; metadata only' }),
    size: Type.Integer({ description: 'Bytes of the upload as received' }),
    sha256: Type.String({ description: 'Of the upload as received' }),
    originalUrl: Type.String({ description: 'The pristine upload, for staff only' }),
    uploadedBy: Nullable(Id),
  },
  { title: 'Media' },
);

const text = (max: number) => Type.String({ maxLength: max });

const ignored = Type.Optional(Type.Unknown());
/** Returned by the API but never written from a body: the file is what it is. */
const readOnly = {
  ...ReadOnlyOnWrite,
  filename: ignored, mimeType: ignored, size: ignored, width: ignored, height: ignored, sha256: ignored,
  url: ignored, originalUrl: ignored, renditions: ignored, crops: ignored, uploadedBy: ignored,
};

/** PUT and PATCH merge; the record's other fields may be sent back and are ignored (API.md §3). */
export const UpdateMediaBody = Type.Object(
  {
    alt: OptionalText(text(TEXT_FIELDS.alt)),
    caption: OptionalText(text(TEXT_FIELDS.caption)),
    credit: OptionalText(text(TEXT_FIELDS.credit)),
    focalPoint: Type.Optional(NullMeans(FocalPoint, CENTRE, 'the centre, { "x": 0.5, "y": 0.5 }')),
    ...readOnly,
    ...VersionPrecondition,
  },
  { additionalProperties: false },
);
