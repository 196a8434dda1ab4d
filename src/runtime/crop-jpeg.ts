/** Encodes a raw pixel crop (a face cut by face-crop) as a JPEG that a chat or a page can show. */
import sharp from 'sharp';
import type { PixelCrop } from '../core/types';

/** Good enough for a face of a few dozen pixels, small enough to post. */
export const DEFAULT_CROP_JPEG_QUALITY = 85;

export async function cropToJpeg(
  crop: PixelCrop,
  quality = DEFAULT_CROP_JPEG_QUALITY,
): Promise<Buffer> {
  const { width, height, channels } = crop;
  if (channels !== 1 && channels !== 3 && channels !== 4) {
    throw new RangeError(`crop.channels must be 1, 3 or 4, got ${channels}`);
  }
  return sharp(crop.data, { raw: { width, height, channels } }).jpeg({ quality }).toBuffer();
}
