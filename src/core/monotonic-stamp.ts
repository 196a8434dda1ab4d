/**
 * Timestamps that strictly increase. Two frames can reach Node-RED in the same pipe read (a
 * camera that bursts after a stall), and two images can be decoded in the same millisecond; each
 * still gets a later stamp than the one before, by the smallest step a wall-clock millisecond
 * value of today can carry (float64 resolves about 0.25 µs at 1.8e12 ms). Pure: time comes in.
 */
export const MIN_STAMP_STEP_MS = 0.001;

export class MonotonicStamp {
  private lastMs = -Infinity;

  /** The stamp for a frame seen at `nowMs`: `nowMs`, or just after the previous stamp. */
  next(nowMs: number): number {
    const stamp = Math.max(nowMs, this.lastMs + MIN_STAMP_STEP_MS);
    this.lastMs = stamp;
    return stamp;
  }
}
