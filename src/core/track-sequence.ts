/**
 * Runs the tracker over a whole sequence of MOT detections and returns MOT result rows: what
 * `maskwatch track` writes, and what the benchmark scores. Every frame from 1 to the last is
 * given to the tracker, an empty one included, so tracks are predicted through frames without
 * detections exactly as in a live flow.
 */
import { type MotRow, rowsByFrame } from './mot-format';
import { type Detection, Tracker, type TrackerOptions } from './tracker';
import type { Pose, Track } from './types';

/**
 * Which tracks become result rows.
 * - `confirmed`: confirmed tracks in the frames they were matched (what a person counter sees
 *   as a person); the default, and what SORT-style trackers report on MOTChallenge.
 * - `confirmed+lost`: also the predicted box of confirmed tracks that are lost, for at most
 *   `maxLostFrames` frames after their last match.
 */
export type ResultPolicy = 'confirmed' | 'confirmed+lost';

export interface TrackSequenceOptions {
  tracker?: Partial<TrackerOptions>;
  /** Frames in the sequence (default: the last frame with a detection). */
  frames?: number;
  report?: ResultPolicy;
  /** With `confirmed+lost`, frames a lost track's prediction is still written (default 0). */
  maxLostFrames?: number;
  /**
   * The box a row gets: `detected` (default) the matched detection's own box, as the detector
   * saw the person; `filtered` the Kalman filter's corrected box, smoother but a frame or two
   * late when a person turns. Predicted rows of lost tracks always carry the filter's box.
   */
  box?: 'filtered' | 'detected';
  /** Poses by 1-based frame, matched to detections by position in the frame's list. */
  poses?: ReadonlyMap<number, readonly Pose[]>;
}

export interface TrackSequenceResult {
  rows: MotRow[];
  frames: number;
  /** Malformed detections the tracker skipped. */
  skippedDetections: number;
  /** Ids the tracker handed out (confirmed or not). */
  idsStarted: number;
}

export function trackSequence(
  detections: readonly MotRow[],
  options: TrackSequenceOptions = {},
): TrackSequenceResult {
  const tracker = new Tracker(options.tracker);
  const byFrame = rowsByFrame(detections);
  const lastFrame = Math.max(0, ...byFrame.keys());
  const frames = options.frames ?? lastFrame;
  const report = options.report ?? 'confirmed';
  const maxLostFrames = options.maxLostFrames ?? 0;
  const rows: MotRow[] = [];
  const lostSince = new Map<number, number>();
  for (let frame = 1; frame <= frames; frame += 1) {
    const poses = options.poses?.get(frame);
    const dets: Detection[] = (byFrame.get(frame) ?? []).map((r, i) => {
      const pose = poses?.[i];
      return pose === undefined
        ? { box: r.box, score: r.score }
        : { box: r.box, score: r.score, pose };
    });
    for (const t of tracker.update(dets, frame - 1)) {
      if (wanted(t, frame, report, maxLostFrames, lostSince)) {
        rows.push({
          frame,
          id: t.id,
          box: (options.box ?? 'detected') === 'detected' ? (t.detectedBox ?? t.box) : t.box,
          score: 1,
        });
      }
    }
  }
  return {
    rows,
    frames,
    skippedDetections: tracker.totalSkippedDetections,
    idsStarted: tracker.nextTrackId - 1,
  };
}

function wanted(
  t: Track,
  frame: number,
  report: ResultPolicy,
  maxLostFrames: number,
  lostSince: Map<number, number>,
): boolean {
  if (t.state === 'confirmed') {
    lostSince.delete(t.id);
    return true;
  }
  if (t.state !== 'lost' || report !== 'confirmed+lost') return false;
  const since = lostSince.get(t.id) ?? frame;
  lostSince.set(t.id, since);
  return frame - since < maxLostFrames;
}

/** MOT detection rows (id -1, the pose's box and score) of poses by 1-based frame. */
export function poseDetectionRows(poses: ReadonlyMap<number, readonly Pose[]>): MotRow[] {
  const rows: MotRow[] = [];
  for (const [frame, list] of [...poses].sort(([a], [b]) => a - b)) {
    for (const p of list) rows.push({ frame, id: -1, box: p.box, score: p.score });
  }
  return rows;
}
