/**
 * Views of one training image, decoded with sharp to raw RGB. The resize to the network's input
 * size happens later, in the same tfjs code the runtime uses (src/runtime/crop-batch.ts), so a
 * low-resolution view is upscaled exactly as a small surveillance face is at run time.
 */
import sharp from 'sharp';
import type { PixelCrop } from '../src/core/types';
import type { Random } from './seeded-random';

/** How a view was made; part of the feature-cache key, so equal specs give equal features. */
export interface ViewSpec {
  flip: boolean;
  /** Longer side after the downscale; absent for the native view. */
  lowResPx?: number;
  blurSigma?: number;
  jpegQuality?: number;
}

/** Surveillance faces are often 12–40 px across (see data/README.md); the low-res view spans that. */
export const LOW_RES_RANGE_PX = [12, 40] as const;
const BLUR_PROBABILITY = 0.3;
const BLUR_SIGMA_RANGE = [0.4, 1.0] as const;
const JPEG_PROBABILITY = 0.5;
const JPEG_QUALITY_RANGE = [30, 80] as const;

export function viewKey(spec: ViewSpec): string {
  const parts = [spec.flip ? 'flip' : 'keep'];
  if (spec.lowResPx !== undefined) parts.push(`low${spec.lowResPx}`);
  if (spec.blurSigma !== undefined) parts.push(`blur${spec.blurSigma.toFixed(2)}`);
  if (spec.jpegQuality !== undefined) parts.push(`q${spec.jpegQuality}`);
  return parts.join('-');
}

/** The two training views of an image: native, and downscaled with optional blur/JPEG. */
export function trainingViews(random: Random): ViewSpec[] {
  const between = (lo: number, hi: number): number => lo + random() * (hi - lo);
  const low: ViewSpec = {
    flip: random() < 0.5,
    lowResPx: Math.round(between(LOW_RES_RANGE_PX[0], LOW_RES_RANGE_PX[1])),
  };
  if (random() < BLUR_PROBABILITY) low.blurSigma = between(...BLUR_SIGMA_RANGE);
  if (random() < JPEG_PROBABILITY) low.jpegQuality = Math.round(between(...JPEG_QUALITY_RANGE));
  return [{ flip: random() < 0.5 }, low];
}

export async function renderView(file: string, spec: ViewSpec): Promise<PixelCrop> {
  let image = sharp(file).removeAlpha().toColourspace('srgb');
  if (spec.flip) image = image.flop();
  if (spec.lowResPx !== undefined) {
    const side = spec.lowResPx;
    image = image.resize(side, side, { fit: 'inside' });
    if (spec.blurSigma !== undefined)
      image = sharp(await image.png().toBuffer()).blur(spec.blurSigma);
    if (spec.jpegQuality !== undefined) {
      image = sharp(await image.jpeg({ quality: spec.jpegQuality }).toBuffer());
    }
  }
  const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}
