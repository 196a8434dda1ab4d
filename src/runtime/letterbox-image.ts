/**
 * The pixel side of letterboxing (the geometry is src/core/letterbox.ts): a frame resized with
 * sharp to the letterbox's inner size and padded with black to the network input, as packed RGB.
 * The frame's Buffer is only read; the result is a new Buffer.
 */
import sharp from 'sharp';
import type { Letterbox } from '../core/letterbox';
import type { Tile } from '../core/pose-tiles';
import type { Frame } from '../core/types';

/** Resampling filter for the network input: bilinear, as the pose models were trained with. */
const KERNEL = 'linear';

/**
 * The letterboxed network input for `frame`, or for the `region` of it that `box` was fitted to
 * (a tile: `box.frame` is then the region's size).
 */
export async function letterboxPixels(
  frame: Frame,
  box: Letterbox,
  region?: Tile,
): Promise<Buffer> {
  const { resized, input, padLeft, padTop } = box;
  const source = region ?? { width: frame.width, height: frame.height };
  let image = sharp(frame.data, {
    raw: { width: frame.width, height: frame.height, channels: frame.channels as 1 | 3 | 4 },
  });
  if (region !== undefined) image = image.extract(region);
  if (frame.channels === 4) image = image.removeAlpha();
  if (frame.channels === 1) image = image.toColourspace('srgb');
  if (resized.width !== source.width || resized.height !== source.height) {
    image = image.resize(resized.width, resized.height, { fit: 'fill', kernel: KERNEL });
  }
  const padRight = input.width - resized.width - padLeft;
  const padBottom = input.height - resized.height - padTop;
  if (padLeft + padRight + padTop + padBottom > 0) {
    image = image.extend({
      top: padTop,
      bottom: padBottom,
      left: padLeft,
      right: padRight,
      background: { r: 0, g: 0, b: 0 },
    });
  }
  const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
  if (info.width !== input.width || info.height !== input.height || info.channels !== 3) {
    throw new Error(
      `letterbox produced ${info.width}×${info.height}×${info.channels}, ` +
        `expected ${input.width}×${input.height}×3`,
    );
  }
  return data;
}
