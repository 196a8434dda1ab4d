/**
 * One independent `Tracker` per camera, keyed by the camera id (`msg.topic` in a flow), so people
 * from different cameras never share tracks or get matched to each other's boxes.
 */
import type { Track } from './types';
import { Tracker, type Detection, type TrackerOptions, validateTrackerOptions } from './tracker';

// Limitation: a camera's tracker lives until reset or until its source starts again from frame 0,
// because nothing tells the tracker a camera has gone away; way out: reset(key) when a source
// stops (video-source could send that).
export class MultiCameraTracker {
  readonly options: TrackerOptions;
  private readonly trackers = new Map<string, Tracker>();
  /** Next id per camera, kept across resets: downstream per-id state (face votes, counted
   * people) must never see one id stand for two people. */
  private readonly nextIds = new Map<string, number>();

  constructor(options: Partial<TrackerOptions> = {}) {
    // Validate once here so a bad option fails at construction, not at the first message.
    this.options = validateTrackerOptions(options);
  }

  /** The camera's tracker, created on first use. */
  tracker(key: string): Tracker {
    let t = this.trackers.get(key);
    if (t === undefined) {
      t = new Tracker({ ...this.options, firstId: this.nextIds.get(key) ?? 1 });
      this.trackers.set(key, t);
    }
    return t;
  }

  update(key: string, detections: readonly Detection[], frameIndex: number): Track[] {
    return this.tracker(key).update(detections, frameIndex);
  }

  /**
   * True when `frameIndex` is 0 and the camera has had a frame already: its source started again
   * (a file played once more, a restarted stream, even one stopped after its first frame), so its
   * tracks no longer apply. Any other step back is frames out of order, which `update` refuses.
   */
  isRestart(key: string, frameIndex: number): boolean {
    return frameIndex === 0 && this.trackers.get(key)?.lastFrameIndex !== undefined;
  }

  /** The frame index that follows the camera's last one (0 for a new camera), for sources
   * that carry no frame index of their own. */
  nextFrameIndex(key: string): number {
    const last = this.trackers.get(key)?.lastFrameIndex;
    return last === undefined ? 0 : last + 1;
  }

  /** Drops one camera's tracks and frame count, or every camera's when `key` is omitted.
   * Ids go on counting from where that camera stopped. */
  reset(key?: string): void {
    const keys = key === undefined ? this.keys() : [key];
    for (const k of keys) {
      const t = this.trackers.get(k);
      if (t !== undefined) this.nextIds.set(k, t.nextTrackId);
      this.trackers.delete(k);
    }
  }

  /** Camera keys with a tracker. */
  keys(): string[] {
    return [...this.trackers.keys()];
  }
}
