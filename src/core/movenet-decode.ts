/**
 * Decodes the output of MoveNet MultiPose (Google, tfjs graph model "movenet/multipose/lightning")
 * into poses in frame pixels. The model emits a `[1, 6, 56]` float tensor: one row per person
 * candidate, always 6 rows. Each row holds 17 keypoints as (y, x, score) in COCO-17 order, then a
 * person box (ymin, xmin, ymax, xmax) and the person score. Coordinates are normalised to the
 * network input (padding included), so they go through the letterbox inverse. The published
 * graph emits 6 rows; the shipped ONNX file, converted with its limit raised, 20.
 */
import { clipBox, boxArea } from './box';
import { inputToFrame, type Letterbox } from './letterbox';
import { COCO17_KEYPOINTS, type Keypoint, type Pose } from './types';

/**
 * Rows the published model emits: it cannot report more people than this. The shipped ONNX
 * conversion emits more (src/convert/shipped-conversions.ts); the decoder takes any row count.
 */
export const MOVENET_MAX_POSES = 6;
/** Values per row: 17 × (y, x, score) + box (4) + score (1). */
export const MOVENET_ROW_LENGTH = COCO17_KEYPOINTS.length * 3 + 5;

/**
 * Person score under which a pose is discarded. Small people score low: on the whole of
 * PETS09-S2L1 (795 frames, people 53–153 px tall) at a 384 px long side, the shipped MoveNet
 * MultiPose finds 84.1 % of the people at 92.4 % precision with 0.1, 81.3 % at 93.6 % with 0.15,
 * and 71.1 % with 0.2 (table in models/README.md). Scores rise with the input size, so a larger long side
 * tolerates a higher threshold.
 */
export const DEFAULT_MIN_POSE_SCORE = 0.1;
/**
 * Keypoint score under which a keypoint is left out of the pose. Low on purpose: downstream
 * stages (face boxes) weigh keypoints by score themselves and small people score low everywhere.
 */
export const DEFAULT_MIN_KEYPOINT_SCORE = 0.1;

export interface MoveNetDecodeOptions {
  minPoseScore?: number;
  minKeypointScore?: number;
}

/**
 * Turns the raw output (`[1, 6, 56]` flattened, or any multiple of 56 values) into poses sorted
 * by score, best first. Keypoints are clamped to the frame; rows whose box falls wholly in the
 * padding are dropped.
 */
export function decodeMoveNet(
  output: ArrayLike<number>,
  letterbox: Letterbox,
  options: MoveNetDecodeOptions = {},
): Pose[] {
  if (output.length % MOVENET_ROW_LENGTH !== 0) {
    throw new RangeError(
      `MoveNet output must hold rows of ${MOVENET_ROW_LENGTH} values, got ${output.length} values`,
    );
  }
  const minPoseScore = options.minPoseScore ?? DEFAULT_MIN_POSE_SCORE;
  const minKeypointScore = options.minKeypointScore ?? DEFAULT_MIN_KEYPOINT_SCORE;
  const poses: Pose[] = [];
  for (let start = 0; start < output.length; start += MOVENET_ROW_LENGTH) {
    const pose = decodeRow(output, start, letterbox, minKeypointScore);
    if (pose.score >= minPoseScore && boxArea(pose.box) > 0) poses.push(pose);
  }
  return poses.sort((a, b) => b.score - a.score);
}

function decodeRow(
  output: ArrayLike<number>,
  start: number,
  letterbox: Letterbox,
  minKeypointScore: number,
): Pose {
  const { width, height } = letterbox.frame;
  const toFrame = (yNorm: number, xNorm: number): { x: number; y: number } =>
    inputToFrame(letterbox, xNorm * letterbox.input.width, yNorm * letterbox.input.height);

  const keypoints: Keypoint[] = [];
  COCO17_KEYPOINTS.forEach((name, k) => {
    const score = output[start + k * 3 + 2];
    if (score < minKeypointScore) return;
    const p = toFrame(output[start + k * 3], output[start + k * 3 + 1]);
    keypoints.push({ name, x: clamp(p.x, 0, width), y: clamp(p.y, 0, height), score });
  });

  const b = start + COCO17_KEYPOINTS.length * 3;
  const topLeft = toFrame(output[b], output[b + 1]);
  const bottomRight = toFrame(output[b + 2], output[b + 3]);
  const box = clipBox(
    { x1: topLeft.x, y1: topLeft.y, x2: bottomRight.x, y2: bottomRight.y },
    width,
    height,
  );
  return { keypoints, score: output[b + 4], box };
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(Math.max(v, lo), hi);
}
