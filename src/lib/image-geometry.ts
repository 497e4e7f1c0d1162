// Where an image is cut and how far it is scaled, for each fit and each named aspect. One pure
// module (no sharp, no HTTP) serves the URL builder (the sizes a `crops` srcset promises) and the
// renderer (the pixels it makes), so the two cannot disagree. Never upscaled: when a box is
// larger than the image can fill, the box shrinks, keeping its aspect.

export type Fit = 'cover' | 'contain' | 'inside';
export const FITS: readonly Fit[] = ['cover', 'contain', 'inside'];

export interface Size {
  width: number;
  height: number;
}

/** 0–1 from the left and from the top. */
export interface Point {
  x: number;
  y: number;
}

/** A named shape such as 16:9. */
export interface Aspect {
  name: string;
  width: number;
  height: number;
}

export interface ResizePlan {
  /** The whole image is first scaled to this size (never larger than the image). */
  scaled: Size;
  /** cover: then this window of the scaled image is kept. */
  crop?: { left: number; top: number; width: number; height: number };
  /** contain: the scaled image is centred on a canvas of this size. */
  canvas?: Size;
  /** The size of the result. */
  output: Size;
}

const ASPECT = /^([1-9][0-9]{0,2}):([1-9][0-9]{0,2})$/;

export function parseAspect(text: string): Aspect | undefined {
  const m = ASPECT.exec(text.trim());
  return m ? { name: `${Number(m[1])}:${Number(m[2])}`, width: Number(m[1]), height: Number(m[2]) } : undefined;
}

/** The height that an aspect gives a width, rounded to the nearest pixel. */
export const heightFor = (width: number, aspect: Aspect): number => Math.max(1, Math.round((width * aspect.height) / aspect.width));

const atLeastOne = (n: number) => Math.max(1, Math.round(n));
const clamp = (n: number, lo: number, hi: number) => Math.min(Math.max(n, lo), hi);

/** The whole image within the box (either side may be absent), never enlarged. */
function inside(source: Size, box: Partial<Size>): ResizePlan {
  const k = Math.min(1, box.width ? box.width / source.width : 1, box.height ? box.height / source.height : 1);
  const scaled = { width: atLeastOne(source.width * k), height: atLeastOne(source.height * k) };
  return { scaled, output: scaled };
}

/**
 * A box larger than the image can fill at scale 1 shrinks by the factor it was too large, so
 * the result keeps the box's aspect without one pixel being invented.
 */
function shrunkBox(box: Size, k: number): Size {
  return k <= 1 ? box : { width: atLeastOne(box.width / k), height: atLeastOne(box.height / k) };
}

/**
 * Fills the box and cuts what overflows. The focal point stays in the window and as close to
 * its centre as the image's edges allow.
 */
function cover(source: Size, box: Size, focal: Point): ResizePlan {
  const k = Math.max(box.width / source.width, box.height / source.height);
  const out = shrunkBox(box, k);
  const output = { width: Math.min(out.width, source.width), height: Math.min(out.height, source.height) };
  const scale = Math.min(1, k);
  const scaled = { width: Math.max(output.width, Math.round(source.width * scale)), height: Math.max(output.height, Math.round(source.height * scale)) };
  const left = clamp(Math.round(focal.x * scaled.width - output.width / 2), 0, scaled.width - output.width);
  const top = clamp(Math.round(focal.y * scaled.height - output.height / 2), 0, scaled.height - output.height);
  return { scaled, crop: { left, top, ...output }, output };
}

/** The whole image within the box, centred on a canvas of the box's size. */
function contain(source: Size, box: Size): ResizePlan {
  const k = Math.min(box.width / source.width, box.height / source.height);
  const canvas = shrunkBox(box, k);
  const scale = Math.min(1, k);
  const scaled = {
    width: Math.min(canvas.width, atLeastOne(source.width * scale)),
    height: Math.min(canvas.height, atLeastOne(source.height * scale)),
  };
  return { scaled, canvas, output: canvas };
}

export function planResize(source: Size, box: Partial<Size>, fit: Fit, focal: Point): ResizePlan {
  if (box.width === undefined || box.height === undefined || fit === 'inside') return inside(source, box);
  return fit === 'cover' ? cover(source, box as Size, focal) : contain(source, box as Size);
}

/** One entry of a crop's srcset: what to ask for, and what comes back. */
export interface CropStep {
  requested: Size;
  output: Size;
}

/**
 * The allowed widths at which an aspect's crop of the image is a true crop (nothing upscaled),
 * narrowest first. An image narrower than every allowed width still gets one step: the
 * narrowest width, which comes back at the image's own scale.
 */
export function cropSteps(source: Size, aspect: Aspect, widths: readonly number[]): CropStep[] {
  const steps: CropStep[] = [];
  for (const width of [...widths].sort((a, b) => a - b)) {
    const requested = { width, height: heightFor(width, aspect) };
    if (requested.width <= source.width && requested.height <= source.height) steps.push({ requested, output: requested });
  }
  if (steps.length > 0 || widths.length === 0) return steps;
  const requested = { width: Math.min(...widths), height: heightFor(Math.min(...widths), aspect) };
  return [{ requested, output: planResize(source, requested, 'cover', { x: 0.5, y: 0.5 }).output }];
}
