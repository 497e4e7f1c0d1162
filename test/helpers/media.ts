// Real image files made with sharp, multipart bodies built by hand, and uploads through the app.
import { randomBytes } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import type { TestApp } from './app.js';

type Who = keyof TestApp['users'] | null;

const canvas = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: { r: 200, g: 30, b: 40 } } });

/** A JPEG that says "rotate 90° clockwise" (EXIF Orientation 6) and carries GPS coordinates. */
export function jpegWithGps(width = 1600, height = 900): Promise<Buffer> {
  return canvas(width, height)
    .jpeg()
    .withMetadata({ orientation: 6 })
    .withExif({
      IFD0: { Make: 'Canon', Model: 'EOS R6' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '10/1 27/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '105/1 38/1 0/1' },
    })
    .toBuffer();
}

export const png = (width = 500, height = 250) => canvas(width, height).png().toBuffer();
export const webp = (width = 200, height = 100) => canvas(width, height).webp().toBuffer();
export const avif = (width = 400, height = 300) => canvas(width, height).avif().toBuffer();

/** An animated GIF of `frames` frames, each `width` × `height`. */
export function animatedGif(width = 800, height = 300, frames = 3): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * frames * 3);
  for (let i = 0; i < pixels.length; i += 3) pixels[i + Math.floor(i / (width * height * 3)) % 3] = 255;
  return sharp(pixels, { raw: { width, height: height * frames, channels: 3, pageHeight: height } }).gif().toBuffer();
}

/** CRC-32 of PNG chunks (zlib.crc32 needs Node 20.15; package.json allows 20.11). */
function crc32(buf: Buffer): number {
  let c = ~0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

/** A tiny PNG whose header claims `width` × `height` pixels: a decompression bomb's calling card. */
export function hugePngHeader(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.alloc(16))), chunk('IEND', Buffer.alloc(0))]);
}

/** A valid PDF header followed by `size` bytes of padding: enough for type sniffing. */
export function pdf(size = 10_000): Buffer {
  return Buffer.concat([Buffer.from('%PDF-1.4\n%âãÏÓ\n'), randomBytes(size), Buffer.from('\n%%EOF\n')]);
}

/** Whether an EXIF block holds a GPS directory (tag 0x8825, in the block's byte order). */
export function hasGps(exif: Buffer | undefined): boolean {
  if (!exif) return false;
  const tiff = exif.indexOf('II*') >= 0 ? 'le' : 'be';
  return exif.indexOf(Buffer.from(tiff === 'le' ? [0x25, 0x88] : [0x88, 0x25])) >= 0;
}

export type Part = { name: string; value: string } | { name: string; filename: string; contentType?: string; data: Buffer };

export function multipart(parts: Part[]): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----toasoan${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    if ('value' in p) {
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"\r\n\r\n${p.value}\r\n`));
    } else {
      chunks.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"; filename="${p.filename}"\r\nContent-Type: ${p.contentType ?? 'application/octet-stream'}\r\n\r\n`,
        ),
        p.data,
        Buffer.from('\r\n'),
      );
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

export function upload(ta: TestApp, as: Who, file: { filename: string; data: Buffer; contentType?: string }, fields: Record<string, string> = {}) {
  const body = multipart([...Object.entries(fields).map(([name, value]) => ({ name, value })), { name: 'file', ...file }]);
  return ta.req(as, { method: 'POST', url: '/api/v1/media', ...body });
}

/** Reads a public or staff URL of the app (PUBLIC_URL is stripped). */
export function fetchUrl(ta: TestApp, url: string, headers: Record<string, string> = {}) {
  return ta.app.inject({ method: 'GET', url: url.replace(ta.config.publicUrl, ''), headers });
}
