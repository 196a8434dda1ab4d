/**
 * A person box from keypoints alone, for models that give no box of their own (PoseNet,
 * OpenPose). Keypoints stop at the eyes and the ankles, so the box is widened by body
 * proportions to cover the head and feet the way a person box does.
 */
import { clipBox, type BoxXYXY } from './box';
import type { Keypoint } from './types';

export interface KeypointBoxMargins {
  /** Added above the topmost keypoint, as a share of the keypoints' height. */
  top: number;
  /** Added below the lowest keypoint, as a share of the keypoints' height. */
  bottom: number;
  /** Added on each side, as a share of the keypoints' height (widths vary too much with pose). */
  side: number;
}

/**
 * Margins from adult proportions (eye height ≈ 0.94 of stature, ankle height ≈ 0.04): an
 * eyes-to-ankles span S misses about 0.07 S of head and 0.05 S of feet; a side margin of
 * 0.08 S covers hands and clothing beyond the wrists and shoulders.
 */
export const DEFAULT_KEYPOINT_BOX_MARGINS: KeypointBoxMargins = {
  top: 0.07,
  bottom: 0.05,
  side: 0.08,
};

/** The keypoints' extent plus margins, clipped to the frame; undefined for no keypoints. */
export function boxFromKeypoints(
  keypoints: readonly Pick<Keypoint, 'x' | 'y'>[],
  frameWidth: number,
  frameHeight: number,
  margins: KeypointBoxMargins = DEFAULT_KEYPOINT_BOX_MARGINS,
): BoxXYXY | undefined {
  if (keypoints.length === 0) return undefined;
  let x1 = Infinity;
  let y1 = Infinity;
  let x2 = -Infinity;
  let y2 = -Infinity;
  for (const k of keypoints) {
    x1 = Math.min(x1, k.x);
    y1 = Math.min(y1, k.y);
    x2 = Math.max(x2, k.x);
    y2 = Math.max(y2, k.y);
  }
  const span = y2 - y1;
  return clipBox(
    {
      x1: x1 - margins.side * span,
      y1: y1 - margins.top * span,
      x2: x2 + margins.side * span,
      y2: y2 + margins.bottom * span,
    },
    frameWidth,
    frameHeight,
  );
}
