/**
 * Frame indices for a live stream. `index` counts the frames the camera sent, so trackers can
 * read index gaps as elapsed frames; after an outage it also counts the frames the camera would
 * have sent while it was blind, at the interval measured before the gap. Without that, a person
 * who walked away during a 20 s outage would look one frame older to the tracker, not 200.
 * The interval is the median of the recent ones: frames often arrive in bursts (ffmpeg hands
 * over what it buffered while probing, the network bunches packets), and a median ignores them.
 * Pure: arrival times come in as arguments.
 */

/** Intervals the median is taken over: a few seconds of a typical camera. */
export const RATE_WINDOW_INTERVALS = 50;

export class StreamTimeline {
  private nextIndex = 0;
  private lastMs: number | undefined;
  private readonly intervals: number[] = [];
  /** Indices skipped over outages so far. */
  skipped = 0;

  /** Measured frame interval in ms (median of the recent ones); undefined before two frames. */
  get intervalMs(): number | undefined {
    if (this.intervals.length === 0) return undefined;
    const sorted = [...this.intervals].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  /** Measured frames per second; undefined before two frames or for a zero interval. */
  get fps(): number | undefined {
    const interval = this.intervalMs;
    return interval === undefined || interval <= 0 ? undefined : 1000 / interval;
  }

  /** The index of a frame that arrived at `nowMs`; `afterGap` when it ends an outage. */
  index(nowMs: number, afterGap = false): number {
    const last = this.lastMs;
    this.lastMs = nowMs;
    if (last !== undefined && afterGap) {
      const interval = this.intervalMs;
      // The gap itself is not an interval of the camera's; it is counted in frames instead.
      if (interval !== undefined && interval > 0) {
        const missed = Math.max(0, Math.round((nowMs - last) / interval) - 1);
        this.nextIndex += missed;
        this.skipped += missed;
      }
    } else if (last !== undefined) {
      this.intervals.push(Math.max(0, nowMs - last));
      if (this.intervals.length > RATE_WINDOW_INTERVALS) this.intervals.shift();
    }
    const index = this.nextIndex;
    this.nextIndex += 1;
    return index;
  }
}
