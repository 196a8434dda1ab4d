/**
 * Frame indices for a live stream. `index` counts the frames the camera sent, so trackers can
 * read index gaps as elapsed frames; after an outage it also counts the frames the camera would
 * have sent while it was blind, at the interval measured before the gap. Without that, a person
 * who walked away during a 20 s outage would look one frame older to the tracker, not 500.
 * Pure: arrival times come in as arguments.
 */

/** Weight of the newest interval in the running mean: smooths network jitter over ~10 frames. */
const INTERVAL_SMOOTHING = 0.1;

export class StreamTimeline {
  private nextIndex = 0;
  private lastMs: number | undefined;
  private meanIntervalMs: number | undefined;
  /** Indices skipped over outages so far. */
  skipped = 0;

  /** Measured frame interval in ms; undefined before two frames. */
  get intervalMs(): number | undefined {
    return this.meanIntervalMs;
  }

  /** Measured frames per second; undefined before two frames. */
  get fps(): number | undefined {
    return this.meanIntervalMs === undefined || this.meanIntervalMs <= 0
      ? undefined
      : 1000 / this.meanIntervalMs;
  }

  /** The index of a frame that arrived at `nowMs`; `afterGap` when it ends an outage. */
  index(nowMs: number, afterGap = false): number {
    const last = this.lastMs;
    this.lastMs = nowMs;
    if (last !== undefined && afterGap && this.meanIntervalMs !== undefined) {
      const missed = Math.max(0, Math.round((nowMs - last) / this.meanIntervalMs) - 1);
      this.nextIndex += missed;
      this.skipped += missed;
    } else if (last !== undefined) {
      const interval = Math.max(0, nowMs - last);
      this.meanIntervalMs =
        this.meanIntervalMs === undefined
          ? interval
          : this.meanIntervalMs + INTERVAL_SMOOTHING * (interval - this.meanIntervalMs);
    }
    const index = this.nextIndex;
    this.nextIndex += 1;
    return index;
  }
}
