/** The kalman-tracker node's settings and message parsing, kept out of the Node-RED wrapper. */
import type { Pose, Track } from '../../src/core/types';
import {
  type Detection,
  poseToDetection,
  type TrackerOptions,
  validateTrackerOptions,
} from '../../src/core/tracker';
import type { NodeDef } from '../common/node-kit';

export interface KalmanTrackerDef extends NodeDef {
  minIou?: string | number;
  maxAgeFrames?: string | number;
  minHits?: string | number;
  maxTentativeMissFrames?: string | number;
  highScore?: string | number;
  lowScore?: string | number;
  bufferRatio?: string | number;
}

/** Validates the editor's fields (blank means default); the error names field, rule and value. */
export function parseKalmanTrackerConfig(def: KalmanTrackerDef): TrackerOptions {
  return validateTrackerOptions({
    minIou: def.minIou,
    maxAgeFrames: def.maxAgeFrames,
    minHits: def.minHits,
    maxTentativeMissFrames: def.maxTentativeMissFrames,
    highScore: def.highScore,
    lowScore: def.lowScore,
    bufferRatio: def.bufferRatio,
  });
}

/** msg.poses as an array, or a TypeError that names it and says what should have set it. */
export function posesOf(msg: Record<string, unknown>): Pose[] {
  const poses = msg.poses;
  if (poses === undefined || poses === null) {
    throw new TypeError('msg.poses is missing: wire an openpose node (or set msg.poses) first');
  }
  if (!Array.isArray(poses)) {
    throw new TypeError(`msg.poses must be an array of poses, got ${typeof poses}`);
  }
  return poses as Pose[];
}

/**
 * Detections from msg.poses. An entry that is not an object still yields a detection, one the
 * tracker will skip and count, so one broken pose never costs the frame's other people.
 */
export function detectionsOf(poses: readonly unknown[]): Detection[] {
  return poses.map((p) =>
    typeof p === 'object' && p !== null
      ? poseToDetection(p as Pose)
      : ({ box: undefined, score: Number.NaN } as unknown as Detection),
  );
}

/** msg.frame.index when a frame is present; undefined when there is no frame at all. */
export function frameIndexOf(msg: Record<string, unknown>): number | undefined {
  const frame = msg.frame as { index?: unknown } | undefined | null;
  if (frame === undefined || frame === null) return undefined;
  const index = frame.index;
  if (typeof index !== 'number' || !Number.isInteger(index) || index < 0) {
    throw new RangeError(`msg.frame.index must be an integer ≥ 0, got ${String(index)}`);
  }
  return index;
}

/** True for a control message that asks for a reset. */
export function isResetMessage(msg: Record<string, unknown>): boolean {
  return msg.reset === true || msg.payload === 'reset';
}

/** "5 tracks (3 confirmed)", prefixed with the camera when there are several. */
export function trackStatusText(tracks: Track[], camera: string, cameras: number): string {
  const confirmed = tracks.filter((t) => t.state === 'confirmed').length;
  const noun = tracks.length === 1 ? 'track' : 'tracks';
  const text = `${tracks.length} ${noun} (${confirmed} confirmed)`;
  return cameras > 1 ? `${camera || '(no topic)'}: ${text}` : text;
}
