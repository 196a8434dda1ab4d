/**
 * Multi-person tracker for one camera: SORT's recipe (Bewley et al. 2016: a constant-velocity
 * Kalman filter per track, IoU cost, optimal assignment) with ByteTrack's two-stage association
 * (Zhang et al. 2022: match confident detections first, then give the weak ones a chance to
 * continue the tracks still unmatched, instead of throwing them away).
 *
 * Life cycle of a track:
 *   tentative ──(hits ≥ minHits)──▶ confirmed ──(unmatched)──▶ lost ──(matched)──▶ confirmed
 *   tentative unmatched for more than maxTentativeMissFrames ──▶ removed
 *   lost unmatched for more than maxAgeFrames ──▶ removed
 *
 * Time is the caller's frame index: a gap of n frames predicts n frames ahead and counts n frames
 * towards maxAgeFrames. Nothing here reads a clock.
 */
import { bufferedBox, iou, type BoxXYXY } from './box';
import { assign } from './hungarian';
import { KalmanBoxFilter, type KalmanBoxNoise } from './kalman-box-filter';
import type { Pose, Track, TrackState } from './types';
import { integerAtLeast, numberInRange, orDefault } from './validate';

/** One person found in a frame, in frame pixels. */
export interface Detection {
  box: BoxXYXY;
  /** Confidence in [0, 1]. */
  score: number;
  /** The pose the detection came from; handed on with the track it matches. */
  pose?: Pose;
}

export interface TrackerOptions {
  /** Least IoU between a track's predicted box and a detection for them to be matched. */
  minIou: number;
  /** Frames a confirmed track may go unmatched (lost, predicted) before it is removed. */
  maxAgeFrames: number;
  /** Matched frames a tentative track needs to become confirmed. */
  minHits: number;
  /** Frames a tentative track may go unmatched before it is removed. */
  maxTentativeMissFrames: number;
  /** Detections at or above this score are matched first and may start tracks. */
  highScore: number;
  /** Detections below this score are ignored; between lowScore and highScore they may only
   * continue existing confirmed tracks (ByteTrack's second stage). */
  lowScore: number;
  /**
   * Both boxes are grown by this fraction of their size before their IoU is taken (the
   * buffered IoU of Yang et al., WACV 2023): small, jittery pose boxes of one person often barely
   * overlap from one frame to the next, and a buffer lets them.
   */
  bufferRatio: number;
  /** Extra buffer per frame a track has gone unmatched, so a lost track's growing uncertainty
   * is matched by a growing search area. */
  lostBufferPerFrame: number;
  /** The most buffer a lost track's box gets. */
  maxBufferRatio: number;
  /** Kalman noise overrides (fractions of box height); defaults suit walking people. */
  noise?: Partial<KalmanBoxNoise>;
  /** Id of the first track (default 1); lets a reset camera go on counting instead of reusing. */
  firstId?: number;
}

/**
 * Defaults chosen for people walking in low-resolution surveillance video at 10–30 frames/s.
 * - minIou 0.3: SORT's value; pose boxes jitter more than detector boxes, so not stricter.
 * - maxAgeFrames 30: about 1–3 s behind a pillar or another person before the id is given up.
 * - minHits 3: one or two stray poses never become a confirmed person.
 * - maxTentativeMissFrames 2: a real person whose pose flickers in and out still confirms, while
 *   a one-off false pose disappears within a few frames.
 * - highScore 0.2 / lowScore 0.1: ByteTrack's two-stage split, placed for pose scores rather than
 *   detector scores: MoveNet MultiPose scores small pedestrians low (PETS09-S2L1 at 768 px, input
 *   384: median 0.26, 10th percentile 0.18), so ByteTrack's 0.5 let no track start there at all.
 * - bufferRatio 0.4, lostBufferPerFrame 0.05, maxBufferRatio 0.8: pose boxes of a 30 px wide
 *   pedestrian move by half their width between frames with jitter alone.
 * The score and buffer values are the best of a small grid on our MoveNet detections of
 * PETS09-S2L1 and TUD-Campus (`npm run bench -- tracker`, table in README "Tracking quality");
 * IDF1 on those clips moves by several points with small changes of any of them, so treat them
 * as measured for that detector, and measure again for another with `maskwatch track` and
 * `maskwatch mot-eval`.
 */
export const DEFAULT_TRACKER_OPTIONS: Readonly<Omit<TrackerOptions, 'noise' | 'firstId'>> =
  Object.freeze({
    minIou: 0.3,
    maxAgeFrames: 30,
    minHits: 3,
    maxTentativeMissFrames: 2,
    highScore: 0.2,
    lowScore: 0.1,
    bufferRatio: 0.4,
    lostBufferPerFrame: 0.05,
    maxBufferRatio: 0.8,
  });

/** The largest buffer any option may ask for: each side grown by twice the box size. */
const MAX_BUFFER = 2;

/** Checks options (Node-RED strings allowed) and fills defaults; errors name field and value. */
export function validateTrackerOptions(input: Partial<Record<keyof TrackerOptions, unknown>> = {}) {
  const d = DEFAULT_TRACKER_OPTIONS;
  const options: TrackerOptions = {
    minIou: numberInRange('minIou', orDefault(input.minIou, d.minIou), 0, 1),
    maxAgeFrames: integerAtLeast('maxAgeFrames', orDefault(input.maxAgeFrames, d.maxAgeFrames), 1),
    minHits: integerAtLeast('minHits', orDefault(input.minHits, d.minHits), 1),
    maxTentativeMissFrames: integerAtLeast(
      'maxTentativeMissFrames',
      orDefault(input.maxTentativeMissFrames, d.maxTentativeMissFrames),
      0,
    ),
    highScore: numberInRange('highScore', orDefault(input.highScore, d.highScore), 0, 1),
    lowScore: numberInRange('lowScore', orDefault(input.lowScore, d.lowScore), 0, 1),
    bufferRatio: numberInRange(
      'bufferRatio',
      orDefault(input.bufferRatio, d.bufferRatio),
      0,
      MAX_BUFFER,
    ),
    lostBufferPerFrame: numberInRange(
      'lostBufferPerFrame',
      orDefault(input.lostBufferPerFrame, d.lostBufferPerFrame),
      0,
      MAX_BUFFER,
    ),
    maxBufferRatio: numberInRange(
      'maxBufferRatio',
      orDefault(input.maxBufferRatio, d.maxBufferRatio),
      0,
      MAX_BUFFER,
    ),
  };
  if (options.lowScore > options.highScore) {
    throw new RangeError(
      `lowScore must be ≤ highScore (${options.highScore}), got ${options.lowScore}`,
    );
  }
  if (input.noise !== undefined) options.noise = input.noise as Partial<KalmanBoxNoise>;
  if (input.firstId !== undefined) options.firstId = integerAtLeast('firstId', input.firstId, 1);
  return options;
}

/** What the last `update` did with its input. */
export interface TrackerFrameStats {
  frameIndex: number;
  /** Detections given, including skipped ones. */
  detections: number;
  /** Detections skipped as malformed (non-finite numbers, zero or negative size, no box). */
  skippedDetections: number;
  /** Detections below lowScore, ignored by design. */
  ignoredLowScore: number;
  /** Tracks removed in this frame (lost too long, or tentative and missed too often). */
  removedTracks: number;
}

/** A detection as the tracker uses it, with a pose from `Pose`: box, score and the pose itself. */
export function poseToDetection(pose: Pose): Detection {
  return { box: pose.box, score: pose.score, pose };
}

interface TrackRecord {
  id: number;
  filter: KalmanBoxFilter;
  state: TrackState;
  firstFrame: number;
  lastMatchedFrame: number;
  hits: number;
  pose?: Pose;
  /** The box of the detection matched in the current frame. */
  detectedBox?: BoxXYXY;
  /** The predicted box grown by the buffer, what detections are matched against this frame. */
  searchBox: BoxXYXY;
}

// Limitation: identity rests on motion and overlap alone, so two people of alike size who cross
// while one of them is undetected for several frames can swap ids, and a person who leaves and
// re-enters later gets a new id (by design: without appearance, a returning person cannot be
// told from a new one); way out: an appearance cue (a colour histogram of the torso from the
// frame, or a re-identification embedding) in the association cost.
export class Tracker {
  readonly options: TrackerOptions;
  private tracks: TrackRecord[] = [];
  private nextId: number;
  private lastFrame: number | undefined;
  private stats: TrackerFrameStats | undefined;
  private skippedTotal = 0;

  constructor(options: Partial<TrackerOptions> = {}) {
    this.options = validateTrackerOptions(options);
    this.nextId = this.options.firstId ?? 1;
  }

  /** The id the next new track will get. */
  get nextTrackId(): number {
    return this.nextId;
  }

  /** Index of the last frame given to `update`, or undefined before the first. */
  get lastFrameIndex(): number | undefined {
    return this.lastFrame;
  }

  /** What the last `update` did; undefined before the first. */
  get lastStats(): TrackerFrameStats | undefined {
    return this.stats && { ...this.stats };
  }

  /** Malformed detections skipped since the tracker was created. */
  get totalSkippedDetections(): number {
    return this.skippedTotal;
  }

  /**
   * Advances every track to `frameIndex`, matches `detections` to them and returns the tracks
   * worth reporting: confirmed ones, tentative ones matched in this frame, and lost ones (with
   * their predicted box and no pose). Call it for every frame, with an empty array when a frame
   * had no detections. Throws RangeError when `frameIndex` does not increase.
   */
  update(detections: readonly Detection[], frameIndex: number): Track[] {
    this.advanceTo(frameIndex);
    const { high, low, skipped, ignored } = this.split(detections);
    this.skippedTotal += skipped;

    const established: TrackRecord[] = [];
    const tentative: TrackRecord[] = [];
    for (const t of this.tracks) (t.state === 'tentative' ? tentative : established).push(t);
    // Stage 1: established tracks (confirmed or lost) against confident detections.
    const first = this.match(established, high);
    // Stage 2 (ByteTrack): the established tracks still unmatched against weak detections; a
    // half-occluded person scores low, and this keeps their id instead of losing it.
    const second = this.match(first.unmatchedTracks, low);
    // Stage 3: tentative tracks only against confident detections nobody took, so a fresh and
    // possibly false track can never steal a detection from an established one.
    const third = this.match(tentative, first.unmatchedDetections);

    for (const stage of [first, second, third]) {
      for (const [track, det] of stage.pairs) this.applyMatch(track, det, frameIndex);
    }
    const removed = this.retireUnmatched(frameIndex);
    for (const det of third.unmatchedDetections) this.startTrack(det, frameIndex);

    this.stats = {
      frameIndex,
      detections: detections.length,
      skippedDetections: skipped,
      ignoredLowScore: ignored,
      removedTracks: removed,
    };
    return this.report(frameIndex);
  }

  private advanceTo(frameIndex: number): void {
    if (typeof frameIndex !== 'number' || !Number.isInteger(frameIndex) || frameIndex < 0) {
      throw new RangeError(`frameIndex must be an integer ≥ 0, got ${String(frameIndex)}`);
    }
    if (this.lastFrame !== undefined && frameIndex <= this.lastFrame) {
      throw new RangeError(
        `frameIndex must increase: got ${frameIndex} after ${this.lastFrame} (frames out of order?)`,
      );
    }
    const dtFrames = this.lastFrame === undefined ? 0 : frameIndex - this.lastFrame;
    if (dtFrames > 0) for (const t of this.tracks) t.filter.predict(dtFrames);
    for (const t of this.tracks) {
      t.pose = undefined;
      t.detectedBox = undefined;
      t.searchBox = this.searchBoxOf(t, frameIndex);
    }
    this.lastFrame = frameIndex;
  }

  private split(detections: readonly Detection[]) {
    const high: Detection[] = [];
    const low: Detection[] = [];
    let skipped = 0;
    let ignored = 0;
    for (const det of detections) {
      if (!isUsableDetection(det)) skipped += 1;
      else if (det.score >= this.options.highScore) high.push(det);
      else if (det.score >= this.options.lowScore) low.push(det);
      else ignored += 1;
    }
    return { high, low, skipped, ignored };
  }

  /** Optimal IoU matching; pairs below minIou are never made. */
  private match(tracks: TrackRecord[], detections: Detection[]) {
    // A matrix with no rows has no columns either, so an empty side is answered here.
    if (tracks.length === 0 || detections.length === 0) {
      return { pairs: [], unmatchedTracks: tracks, unmatchedDetections: detections };
    }
    const bufferRatio = this.options.bufferRatio;
    const found = detections.map((d) => bufferedBox(d.box, bufferRatio));
    // Pairs with no overlap at all are forbidden even when minIou is 0.
    const cost = tracks.map((t) =>
      found.map((d) => {
        const overlap = iou(t.searchBox, d);
        return overlap > 0 ? 1 - overlap : Infinity;
      }),
    );
    const result = assign(cost, 1 - this.options.minIou);
    return {
      pairs: result.matches.map(([r, c]): [TrackRecord, Detection] => [tracks[r], detections[c]]),
      unmatchedTracks: result.unmatchedRows.map((r) => tracks[r]),
      unmatchedDetections: result.unmatchedCols.map((c) => detections[c]),
    };
  }

  /** The predicted box with its buffer: the base one, plus more for each frame unmatched. */
  private searchBoxOf(t: TrackRecord, frameIndex: number): BoxXYXY {
    const o = this.options;
    const missed = Math.max(0, frameIndex - t.lastMatchedFrame - 1);
    const ratio = Math.min(o.bufferRatio + missed * o.lostBufferPerFrame, o.maxBufferRatio);
    return bufferedBox(t.filter.box, Math.max(o.bufferRatio, ratio));
  }

  private applyMatch(track: TrackRecord, det: Detection, frameIndex: number): void {
    track.filter.update(det.box);
    track.hits += 1;
    track.lastMatchedFrame = frameIndex;
    track.pose = det.pose;
    track.detectedBox = det.box;
    if (track.state === 'lost' || track.hits >= this.options.minHits) track.state = 'confirmed';
  }

  /** Marks unmatched confirmed tracks lost and removes the ones missing for too long. */
  private retireUnmatched(frameIndex: number): number {
    const before = this.tracks.length;
    let kept = 0;
    for (const t of this.tracks) {
      if (this.survives(t, frameIndex)) this.tracks[kept++] = t;
    }
    this.tracks.length = kept;
    return before - kept;
  }

  private survives(t: TrackRecord, frameIndex: number): boolean {
    const missedFrames = frameIndex - t.lastMatchedFrame;
    if (missedFrames === 0) return true; // matched in this frame
    if (t.state === 'tentative') return missedFrames <= this.options.maxTentativeMissFrames;
    t.state = 'lost';
    return missedFrames <= this.options.maxAgeFrames;
  }

  private startTrack(det: Detection, frameIndex: number): void {
    this.tracks.push({
      id: this.nextId,
      filter: new KalmanBoxFilter(det.box, this.options.noise),
      state: this.options.minHits <= 1 ? 'confirmed' : 'tentative',
      firstFrame: frameIndex,
      lastMatchedFrame: frameIndex,
      hits: 1,
      pose: det.pose,
      detectedBox: det.box,
      searchBox: det.box,
    });
    this.nextId += 1; // ids are never reused, so a removed person's id cannot jump to another
  }

  private report(frameIndex: number): Track[] {
    return this.tracks
      .filter((t) => t.state !== 'tentative' || t.lastMatchedFrame === frameIndex)
      .map((t) => {
        const track: Track = {
          id: t.id,
          box: t.filter.box,
          velocity: t.filter.velocity,
          state: t.state,
          age: frameIndex - t.firstFrame,
          hits: t.hits,
        };
        if (t.pose !== undefined) track.pose = t.pose;
        if (t.detectedBox !== undefined) track.detectedBox = t.detectedBox;
        return track;
      })
      .sort((a, b) => a.id - b.id);
  }
}

/** A detection the filter can safely take: finite corners, positive size, finite score. */
export function isUsableDetection(det: unknown): det is Detection {
  if (typeof det !== 'object' || det === null) return false;
  const { box, score } = det as Partial<Detection>;
  if (typeof box !== 'object' || box === null || typeof score !== 'number') return false;
  const corners = [box.x1, box.y1, box.x2, box.y2];
  if (!corners.every((v) => typeof v === 'number' && Number.isFinite(v))) return false;
  return Number.isFinite(score) && box.x2 > box.x1 && box.y2 > box.y1;
}
