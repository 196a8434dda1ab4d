/**
 * Face box from the head keypoints of a COCO-17 pose: where the face is, which way it is turned,
 * and whether it is worth classifying. Pure: no pixels are read here.
 *
 * The ratios below are adult anthropometric averages expressed against the face box width W we
 * aim for (about 16 cm: the 14 cm cheek-to-cheek width plus room for the edges of a mask).
 */
import { clipBox, type BoxXYXY } from './box';
import type { FaceView, Keypoint, KeypointName, Pose } from './types';

/** Keypoints under this score are treated as not seen (MoveNet and PoseNet scores are in [0, 1]). */
export const DEFAULT_MIN_KEYPOINT_SCORE = 0.3;
/** Faces narrower than this carry too few pixels for a mask classifier trained on face photos. */
export const DEFAULT_MIN_FACE_PX = 12;

/** Ear-to-ear (tragion to tragion) is about 14.5 cm: W ≈ 1.1 × the ear span. */
export const FACE_WIDTH_PER_EAR_SPAN = 1.1;
/** The distance between eye centres is about 6.3 cm: W ≈ 2.5 × the eye span. */
export const FACE_WIDTH_PER_EYE_SPAN = 2.5;
/** Nose tip to an eye centre is about 5 cm, mostly vertical, so it barely shrinks with yaw. */
export const FACE_WIDTH_PER_NOSE_EYE = 3.2;
/** Nose tip to an ear is about 11.5 cm seen side-on: the scale of a profile. */
export const FACE_WIDTH_PER_NOSE_EAR = 1.4;
/** An eye centre to the ear on the same side is about 8.5 cm seen side-on. */
export const FACE_WIDTH_PER_EYE_EAR = 1.9;
/** Shoulder width (biacromial) is about 38 cm; used for scale only, when no head pair is seen. */
export const FACE_WIDTH_PER_SHOULDER_SPAN = 0.42;
/** An adult is about 7.5 heads tall; the last resort when neither head nor shoulders are seen. */
export const FACE_WIDTH_PER_BODY_HEIGHT = 1 / 7.5;

/** The box is taller than wide: forehead to below the chin, where a mask's lower edge sits. */
export const FACE_HEIGHT_PER_WIDTH = 1.25;
/** The eye line sits 0.4 W (about 6.4 cm, the forehead) below the top of the box. */
export const EYES_BELOW_TOP_PER_WIDTH = 0.4;
// So the box ends 0.85 W (about 13.6 cm) below the eyes: the chin is about 12 cm below them.
/** The nose tip is about 4.5 cm below the eye line. */
export const NOSE_BELOW_EYES_PER_WIDTH = 0.28;
/** The ear keypoint (tragion) is about 1.5 cm below the eye line. */
export const EARS_BELOW_EYES_PER_WIDTH = 0.1;
/** Shoulders are about 24 cm (neck plus eyes-to-chin) below the eye line. */
export const SHOULDERS_BELOW_EYES_PER_WIDTH = 1.5;

/**
 * Body turn below which a person is taken to face away from the camera. The turn is
 * (left shoulder x − right shoulder x) / shoulder span: about +1 facing the camera, 0 side-on,
 * −1 facing away, because COCO-trained pose models name left and right after the body, not the
 * image. They still place eyes and a nose on the back of a head (seen on PETS09 at scores
 * 0.3–0.6), so the head keypoints alone cannot tell a back from a face; the shoulders can.
 */
export const FACING_AWAY_MAX_TURN = -0.5;

export interface FaceBoxOptions {
  /** Keypoints scoring below this are not seen. */
  minKeypointScore: number;
  /** A face box whose smaller side (after clipping) is below this is gated as "too small". */
  minFacePx: number;
}

export const DEFAULT_FACE_BOX_OPTIONS: Readonly<FaceBoxOptions> = {
  minKeypointScore: DEFAULT_MIN_KEYPOINT_SCORE,
  minFacePx: DEFAULT_MIN_FACE_PX,
};

export interface FaceBox {
  /** In frame pixels, clipped to the frame. */
  box: BoxXYXY;
  view: FaceView;
  /** Why this face should not be classified; absent when it should. */
  reason?: FaceGateReason;
}

export type FaceGateReason = 'face not visible' | 'too small' | 'outside frame';

type Seen = Partial<Record<KeypointName, Keypoint>>;
type Point = { x: number; y: number };

const HEAD: readonly KeypointName[] = ['nose', 'left_eye', 'right_eye', 'left_ear', 'right_ear'];

/** The face of `pose` in a frame of `frameWidth` × `frameHeight` pixels. */
export function faceBoxFromPose(
  pose: Pose,
  frameWidth: number,
  frameHeight: number,
  options: Partial<FaceBoxOptions> = {},
): FaceBox {
  const opts = { ...DEFAULT_FACE_BOX_OPTIONS, ...options };
  const seen = seenKeypoints(pose, opts.minKeypointScore);
  const view = faceView(seen);
  const width = faceWidth(seen, pose);
  const eyeLine = eyeLineY(seen, pose, width);
  const centreX = headCentreX(seen, pose);
  const top = eyeLine - EYES_BELOW_TOP_PER_WIDTH * width;
  const raw = {
    x1: centreX - width / 2,
    y1: top,
    x2: centreX + width / 2,
    y2: top + FACE_HEIGHT_PER_WIDTH * width,
  };
  const box = clipBox(raw, frameWidth, frameHeight);
  const reason = gate(view, box, opts.minFacePx);
  return reason === undefined ? { box, view } : { box, view, reason };
}

/** Keypoints by name that are scored at least `minScore` and have finite coordinates. */
export function seenKeypoints(pose: Pose, minScore: number): Seen {
  const seen: Seen = {};
  for (const k of pose.keypoints) {
    if (k.score >= minScore && Number.isFinite(k.x) && Number.isFinite(k.y)) seen[k.name] = k;
  }
  return seen;
}

/**
 * back: the shoulders show the person facing away, or neither nose nor eyes are seen; frontal:
 * both eyes (with the nose, or without it: a mask can hide the nose from the pose model);
 * profile: anything else that still shows the nose or an eye.
 */
export function faceView(seen: Seen): FaceView {
  const turn = bodyTurn(seen);
  if (turn !== undefined && turn <= FACING_AWAY_MAX_TURN) return 'back';
  const eyes = (seen.left_eye ? 1 : 0) + (seen.right_eye ? 1 : 0);
  if (eyes === 2) return 'frontal';
  if (eyes === 0 && !seen.nose) return 'back';
  return 'profile';
}

/** (left shoulder x − right shoulder x) / shoulder span, or undefined without both shoulders. */
export function bodyTurn(seen: Seen): number | undefined {
  const spanPx = span(seen.left_shoulder, seen.right_shoulder);
  if (spanPx === 0) return undefined;
  return (seen.left_shoulder!.x - seen.right_shoulder!.x) / spanPx;
}

/**
 * Each head pair under-estimates the face when the head turns (projection only shortens), so the
 * largest estimate is the least foreshortened; shoulders and body height are last resorts.
 */
function faceWidth(seen: Seen, pose: Pose): number {
  const estimates = [
    span(seen.left_ear, seen.right_ear) * FACE_WIDTH_PER_EAR_SPAN,
    span(seen.left_eye, seen.right_eye) * FACE_WIDTH_PER_EYE_SPAN,
    Math.max(span(seen.nose, seen.left_eye), span(seen.nose, seen.right_eye)) *
      FACE_WIDTH_PER_NOSE_EYE,
    Math.max(span(seen.nose, seen.left_ear), span(seen.nose, seen.right_ear)) *
      FACE_WIDTH_PER_NOSE_EAR,
    Math.max(span(seen.left_eye, seen.left_ear), span(seen.right_eye, seen.right_ear)) *
      FACE_WIDTH_PER_EYE_EAR,
  ];
  const head = Math.max(...estimates);
  if (head > 0) return head;
  const shoulders = span(seen.left_shoulder, seen.right_shoulder);
  if (shoulders > 0) return shoulders * FACE_WIDTH_PER_SHOULDER_SPAN;
  return Math.max(0, pose.box.y2 - pose.box.y1) * FACE_WIDTH_PER_BODY_HEIGHT;
}

/** Distance between two seen keypoints; 0 when either is missing. */
function span(a: Keypoint | undefined, b: Keypoint | undefined): number {
  return a && b ? Math.hypot(a.x - b.x, a.y - b.y) : 0;
}

/** Vertical anchor of the box: the eyes, else inferred from nose, ears, shoulders or the body box. */
function eyeLineY(seen: Seen, pose: Pose, width: number): number {
  const eyes = mean([seen.left_eye, seen.right_eye]);
  if (eyes) return eyes.y;
  if (seen.nose) return seen.nose.y - NOSE_BELOW_EYES_PER_WIDTH * width;
  const ears = mean([seen.left_ear, seen.right_ear]);
  if (ears) return ears.y - EARS_BELOW_EYES_PER_WIDTH * width;
  const shoulders = mean([seen.left_shoulder, seen.right_shoulder]);
  if (shoulders) return shoulders.y - SHOULDERS_BELOW_EYES_PER_WIDTH * width;
  return pose.box.y1 + EYES_BELOW_TOP_PER_WIDTH * width;
}

/**
 * Mean x of the seen head keypoints: between the ears for a frontal face; for a profile it leans
 * towards the nose, which keeps the nose and mouth (where a mask is) inside the box.
 */
function headCentreX(seen: Seen, pose: Pose): number {
  const head = mean(HEAD.map((name) => seen[name]));
  if (head) return head.x;
  const shoulders = mean([seen.left_shoulder, seen.right_shoulder]);
  if (shoulders) return shoulders.x;
  return (pose.box.x1 + pose.box.x2) / 2;
}

function mean(points: (Point | undefined)[]): Point | undefined {
  const present = points.filter((p): p is Point => p !== undefined);
  if (present.length === 0) return undefined;
  const sum = present.reduce((acc, p) => ({ x: acc.x + p.x, y: acc.y + p.y }), { x: 0, y: 0 });
  return { x: sum.x / present.length, y: sum.y / present.length };
}

function gate(view: FaceView, box: BoxXYXY, minFacePx: number): FaceGateReason | undefined {
  if (view === 'back') return 'face not visible';
  const side = Math.min(box.x2 - box.x1, box.y2 - box.y1);
  if (side <= 0) return 'outside frame';
  if (side < minFacePx) return 'too small';
  return undefined;
}
