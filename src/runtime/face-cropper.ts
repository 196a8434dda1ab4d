/**
 * Cuts faces out of a decoded frame with sharp, as small pixel copies ready for the classifier.
 * The frame's Buffer is only read: fan-out shares it with other branches.
 */
import sharp from 'sharp';
import type { BoxXYXY } from '../core/box';
import { DEFAULT_FACE_BOX_OPTIONS, faceBoxFromPose, type FaceBoxOptions } from '../core/face-box';
import type { FaceCrop, Frame, PixelCrop, Track } from '../core/types';

/**
 * Crops larger than this (on their longer side) are shrunk: the classifier reads 128 px, so more
 * pixels only cost copying and memory per message.
 */
export const DEFAULT_MAX_CROP_SIDE_PX = 160;

export interface FaceCropperOptions extends FaceBoxOptions {
  /** Also crop faces of tracks not yet confirmed (more crops, more false people). */
  includeTentative: boolean;
  /** Longer side of a crop after shrinking; crops are never enlarged. */
  maxCropSidePx: number;
}

export const DEFAULT_FACE_CROPPER_OPTIONS: Readonly<FaceCropperOptions> = {
  ...DEFAULT_FACE_BOX_OPTIONS,
  includeTentative: false,
  maxCropSidePx: DEFAULT_MAX_CROP_SIDE_PX,
};

/**
 * The face of every track that has a pose this frame (confirmed, or tentative too when asked),
 * in the order of `tracks`; `crop` is set only for faces that are not gated.
 */
export async function cropFaces(
  frame: Frame,
  tracks: readonly Track[],
  options: Partial<FaceCropperOptions> = {},
): Promise<FaceCrop[]> {
  const opts = { ...DEFAULT_FACE_CROPPER_OPTIONS, ...options };
  const wanted = tracks.filter(
    (t) =>
      t.pose && (t.state === 'confirmed' || (opts.includeTentative && t.state === 'tentative')),
  );
  return Promise.all(
    wanted.map(async (track): Promise<FaceCrop> => {
      const face = faceBoxFromPose(track.pose!, frame.width, frame.height, opts);
      const result: FaceCrop = { trackId: track.id, ...face };
      if (face.reason === undefined) {
        result.crop = await cropPixels(frame, face.box, opts.maxCropSidePx);
      }
      return result;
    }),
  );
}

/**
 * A copy of the pixels under `box` (widened to whole pixels, so no part of the box is lost),
 * shrunk to at most `maxSidePx` on its longer side with the aspect ratio kept.
 */
export async function cropPixels(
  frame: Frame,
  box: BoxXYXY,
  maxSidePx = Infinity,
): Promise<PixelCrop> {
  const region = pixelRegion(box, frame.width, frame.height);
  if (region.width === 0 || region.height === 0) {
    throw new RangeError(
      `face box ${JSON.stringify(box)} has no pixels in a ${frame.width}×${frame.height} frame`,
    );
  }
  let image = sharp(frame.data, {
    raw: { width: frame.width, height: frame.height, channels: frame.channels as 1 | 3 | 4 },
  }).extract(region);
  if (Math.max(region.width, region.height) > maxSidePx) {
    image = image.resize({ width: maxSidePx, height: maxSidePx, fit: 'inside' });
  }
  // toBuffer allocates a fresh Buffer: the crop never aliases the frame.
  const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

/** Whole-pixel region covering `box`, inside the frame. */
export function pixelRegion(
  box: BoxXYXY,
  frameWidth: number,
  frameHeight: number,
): { left: number; top: number; width: number; height: number } {
  const left = clampInt(Math.floor(box.x1), frameWidth);
  const top = clampInt(Math.floor(box.y1), frameHeight);
  const right = clampInt(Math.ceil(box.x2), frameWidth);
  const bottom = clampInt(Math.ceil(box.y2), frameHeight);
  return { left, top, width: Math.max(0, right - left), height: Math.max(0, bottom - top) };
}

function clampInt(value: number, max: number): number {
  return Math.min(Math.max(value, 0), max);
}
