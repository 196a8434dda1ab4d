/**
 * Draws annotations into a JPEG copy of a decoded frame with sharp, blurring the given regions
 * (faces) first. The frame's bytes are read, never changed.
 */
import sharp from 'sharp';
import { clipBox, type BoxXYXY } from '../core/box';
import { annotationsSvg, type Drawable } from '../core/annotation';
import type { Frame } from '../core/types';

export interface AnnotateOptions {
  /** JPEG quality, 1–100. */
  quality: number;
  /** Regions to blur before drawing, in frame pixels. */
  blur: readonly BoxXYXY[];
}

/** A blur this strong relative to the region leaves no recognisable face at any size. */
const BLUR_SIGMA_PER_SIDE = 0.25;
/** sharp's smallest useful sigma. */
const MIN_BLUR_SIGMA = 2;

export async function annotatedJpeg(
  frame: Frame,
  drawables: readonly Drawable[],
  options: AnnotateOptions,
): Promise<Buffer> {
  const { width, height, channels } = frame;
  const raw = { raw: { width, height, channels: channels as 1 | 3 | 4 } };
  const layers: sharp.OverlayOptions[] = [];
  for (const box of options.blur) {
    const b = clipBox(box, width, height);
    const left = Math.floor(b.x1);
    const top = Math.floor(b.y1);
    const w = Math.ceil(b.x2) - left;
    const h = Math.ceil(b.y2) - top;
    if (w < 1 || h < 1) continue;
    const sigma = Math.max(MIN_BLUR_SIGMA, BLUR_SIGMA_PER_SIDE * Math.min(w, h));
    const patch = await sharp(frame.data, raw)
      .extract({ left, top, width: w, height: h })
      .blur(sigma)
      .raw()
      .toBuffer();
    layers.push({
      input: patch,
      raw: { width: w, height: h, channels: raw.raw.channels },
      left,
      top,
    });
  }
  if (drawables.length > 0) {
    layers.push({ input: Buffer.from(annotationsSvg(width, height, drawables)), left: 0, top: 0 });
  }
  return sharp(frame.data, raw).composite(layers).jpeg({ quality: options.quality }).toBuffer();
}
