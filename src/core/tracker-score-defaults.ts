/**
 * ByteTrack's two score thresholds, measured per pose model. Pose models score people on very
 * different scales (MoveNet MultiPose gives a 70 px pedestrian 0.2–0.3, PoseNet 0.8–0.9), so
 * one pair of thresholds cannot suit both: with MoveNet's, PoseNet's false poses start tracks;
 * with PoseNet's, MoveNet's small people start none.
 *
 * Each pair is the best of a grid (highScore 0.2–0.5, lowScore 0.1–0.2) on our detections of
 * PETS09-S2L1 and TUD-Campus, scored by `maskwatch mot-eval` (README "Tracking quality").
 */
import type { TrackerOptions } from './tracker';

export type ScoreThresholds = Pick<TrackerOptions, 'highScore' | 'lowScore'>;

/** By the pose session's model name (the shipped model's file name without extension). */
export const TRACKER_SCORES_BY_POSE_MODEL: Readonly<Record<string, Readonly<ScoreThresholds>>> =
  Object.freeze({
    'movenet-multipose': Object.freeze({ highScore: 0.2, lowScore: 0.1 }),
    posenet: Object.freeze({ highScore: 0.5, lowScore: 0.1 }),
  });

/** The measured thresholds for a pose model, or undefined for one never measured. */
export function trackerScoresFor(modelName: string): ScoreThresholds | undefined {
  const found = TRACKER_SCORES_BY_POSE_MODEL[modelName];
  return found === undefined ? undefined : { ...found };
}

/**
 * `options` with the pose model's measured thresholds where it sets none; unchanged for a
 * model never measured (the tracker's defaults, measured for MoveNet MultiPose, then apply).
 */
export function withMeasuredScores(
  modelName: string,
  options: Partial<TrackerOptions>,
): Partial<TrackerOptions> {
  const measured = trackerScoresFor(modelName);
  if (measured === undefined) return options;
  return {
    ...options,
    highScore: options.highScore ?? measured.highScore,
    lowScore: options.lowScore ?? measured.lowScore,
  };
}
