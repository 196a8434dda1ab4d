/**
 * The message contract: what each stage puts on `msg` (see README "Message contract").
 * Every coordinate is in pixels of the decoded frame, origin top-left.
 */
import type { BoxXYXY } from './box';

/** Decoded pixels, decoded once by video-source; later stages never decode again. */
export interface Frame {
  /** Interleaved pixels, row-major, `width * height * channels` bytes. Never mutate: fan-out shares it. */
  data: Buffer;
  width: number;
  height: number;
  /** 3 (RGB) for frames from video-source. */
  channels: number;
  /** 0-based index of the frame in its source (decoded order, before any frame is skipped). */
  index: number;
  /** Media time for files, wall-clock time for live sources, in milliseconds. */
  timestampMs: number;
  /** Where the frame came from (file path or URL, credentials removed). */
  source: string;
}

/** COCO-17 keypoint names, in the order MoveNet and PoseNet emit them. */
export const COCO17_KEYPOINTS = [
  'nose',
  'left_eye',
  'right_eye',
  'left_ear',
  'right_ear',
  'left_shoulder',
  'right_shoulder',
  'left_elbow',
  'right_elbow',
  'left_wrist',
  'right_wrist',
  'left_hip',
  'right_hip',
  'left_knee',
  'right_knee',
  'left_ankle',
  'right_ankle',
] as const;

export type KeypointName = (typeof COCO17_KEYPOINTS)[number];

export interface Keypoint {
  name: KeypointName;
  x: number;
  y: number;
  /** Confidence in [0, 1]. */
  score: number;
}

export interface Pose {
  keypoints: Keypoint[];
  /** Confidence of the person in [0, 1]. */
  score: number;
  box: BoxXYXY;
}

export type TrackState = 'tentative' | 'confirmed' | 'lost';

export interface Track {
  /** Unique per tracker instance and camera; never reused. */
  id: number;
  box: BoxXYXY;
  /** Box-centre velocity in pixels per frame. */
  velocity: { x: number; y: number };
  state: TrackState;
  /** Frames since the track was created. */
  age: number;
  /** Frames in which a detection was matched to the track. */
  hits: number;
  /** The pose matched to the track in this frame; absent when the track was only predicted. */
  pose?: Pose;
  /** The box of the detection matched in this frame (`box` is the filtered one); absent when
   * the track was only predicted. */
  detectedBox?: BoxXYXY;
}

export type FaceView = 'frontal' | 'profile' | 'back';

/** Small pixel buffer cut from the frame (a copy: the frame's bytes are not shared). */
export interface PixelCrop {
  data: Buffer;
  width: number;
  height: number;
  channels: number;
}

export type VerdictLabel = 'mask' | 'no_mask' | 'incorrect' | 'unknown';

export const VERDICT_LABELS: readonly VerdictLabel[] = ['mask', 'no_mask', 'incorrect', 'unknown'];

export interface Verdict {
  label: VerdictLabel;
  /** Probability of `label` (for `unknown`, the best class's probability, or 0). */
  score: number;
  /** Class probabilities of the classifier, when it ran. */
  probs?: Partial<Record<Exclude<VerdictLabel, 'unknown'>, number>>;
  /** Why the verdict is `unknown`, when it is. */
  reason?: string;
}

export interface FaceCrop {
  trackId: number;
  box: BoxXYXY;
  view: FaceView;
  /** Why no crop was cut ("too small", "face not visible", ...); absent when `crop` is set. */
  reason?: string;
  crop?: PixelCrop;
  verdict?: Verdict;
}
