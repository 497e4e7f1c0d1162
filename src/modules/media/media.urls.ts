// Where media files are reached. Keys are generated (media.keys.ts), so a URL never carries
// user input.
export interface MediaUrls {
  /** A public file: the re-encoded image, a rendition, or a document. */
  file(key: string): string;
  /** The pristine upload (staff only). */
  original(id: number): string;
}

export const MEDIA_FILE_PREFIX = '/media';

export function mediaUrls(publicUrl: string): MediaUrls {
  return {
    file: (key) => `${publicUrl}${MEDIA_FILE_PREFIX}/${key}`,
    original: (id) => `${publicUrl}/api/v1/media/${id}/original`,
  };
}
