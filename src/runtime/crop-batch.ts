/**
 * Turns face crops of any size and channel count into one float batch for a classifier:
 * grey is repeated to RGB, alpha is dropped, every crop is resized (bilinear, half-pixel
 * centres) to `size`×`size` and scaled to [0, 1], the input range of the nsfwjs MobileNetV2.
 */
import type { PixelCrop } from '../core/types';
import { tf } from './tfjs-backend';

/** Returns a [crops.length, size, size, 3] float32 tensor; the caller disposes it. */
export function cropsToBatch(crops: readonly PixelCrop[], size: number): tf.Tensor4D {
  if (crops.length === 0) throw new RangeError('cropsToBatch needs at least one crop, got 0');
  return tf.tidy(() => {
    const images = crops.map((crop) => cropToRgb(crop, size));
    return tf.div(tf.stack(images), 255) as tf.Tensor4D;
  });
}

function cropToRgb(crop: PixelCrop, size: number): tf.Tensor3D {
  const { width, height, channels, data } = crop;
  if (![1, 3, 4].includes(channels)) {
    throw new RangeError(`crop channels must be 1, 3 or 4, got ${channels}`);
  }
  if (data.length < width * height * channels) {
    throw new RangeError(
      `crop data must hold width*height*channels = ${width * height * channels} bytes, got ${data.length}`,
    );
  }
  // int32 so the bytes are copied out of the Buffer (never mutated, never aliased).
  const pixels = Int32Array.from(data.subarray(0, width * height * channels));
  let image: tf.Tensor3D = tf.cast(
    tf.tensor3d(pixels, [height, width, channels], 'int32'),
    'float32',
  );
  if (channels === 1) image = tf.tile(image, [1, 1, 3]);
  if (channels === 4) image = tf.slice(image, [0, 0, 0], [height, width, 3]);
  return tf.image.resizeBilinear(image, [size, size], false, true);
}
