/**
 * Face crops of any size and channel count as one uint8 RGB batch, NHWC [n, size, size, 3], the
 * input of the ONNX mask classifier: grey is expanded to RGB, alpha is dropped, and every crop is
 * stretched (sharp, bilinear) to `size`×`size`, as the training pipeline stretches its faces.
 * Crop Buffers are only read.
 */
import sharp from 'sharp';
import type { PixelCrop } from '../core/types';

/** Bytes per pixel of the batch: RGB. */
const RGB = 3;

export async function cropsToPixels(
  crops: readonly PixelCrop[],
  size: number,
): Promise<Uint8Array> {
  if (!Number.isInteger(size) || size < 1) {
    throw new RangeError(`size must be an integer ≥ 1, got ${size}`);
  }
  const plane = size * size * RGB;
  const out = new Uint8Array(crops.length * plane);
  const images = await Promise.all(crops.map((crop, i) => cropToRgb(crop, size, i)));
  images.forEach((image, i) => out.set(image, i * plane));
  return out;
}

async function cropToRgb(crop: PixelCrop, size: number, index: number): Promise<Buffer> {
  const { width, height, channels, data } = crop;
  if (channels !== 1 && channels !== 3 && channels !== 4) {
    throw new RangeError(`crops[${index}].channels must be 1, 3 or 4, got ${channels}`);
  }
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(
      `crops[${index}] must be at least 1×1 pixels with integer sides, got ${width}×${height}`,
    );
  }
  const needed = width * height * channels;
  if (data.length < needed) {
    throw new RangeError(
      `crops[${index}].data must hold width × height × channels = ${needed} bytes, got ${data.length}`,
    );
  }
  // Limitation: crops are stretched, not padded, so an elongated crop looks squashed; way out:
  // pad to a square here and in training/maskwatch_training/image_cache.py alike, and retrain.
  // Alpha is dropped before sharp sees the crop: sharp would premultiply by it while resizing,
  // changing the colours of a partly transparent crop.
  const pixels = channels === 4 ? dropAlpha(data, width * height) : data.subarray(0, needed);
  let image = sharp(pixels, { raw: { width, height, channels: channels === 4 ? RGB : channels } });
  if (channels === 1) image = image.toColourspace('srgb');
  const { data: rgb, info } = await image
    .resize(size, size, { fit: 'fill', kernel: 'linear' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== RGB) {
    throw new Error(`crops[${index}]: resize gave ${info.channels} channels instead of ${RGB}`);
  }
  return rgb;
}

/** The RGB bytes of an RGBA buffer, in a new Buffer. */
function dropAlpha(rgba: Buffer, pixelCount: number): Buffer {
  const rgb = Buffer.allocUnsafe(pixelCount * RGB);
  for (let i = 0; i < pixelCount; i += 1) {
    rgb[i * RGB] = rgba[i * 4]!;
    rgb[i * RGB + 1] = rgba[i * 4 + 1]!;
    rgb[i * RGB + 2] = rgba[i * 4 + 2]!;
  }
  return rgb;
}
