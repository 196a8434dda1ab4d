/**
 * Target frame rate by dropping, never by queueing: a frame is kept when at least one target
 * interval has passed since the last kept frame's slot, else dropped and counted. Slots advance
 * by whole intervals, so 30 fps → 10 fps keeps every third frame and the rate does not drift;
 * after a gap (an outage, a stall) the next frame is kept at once and the slots restart there.
 * Pure: timestamps come in as arguments.
 */
export class FrameDecimator {
  private nextDueMs: number | undefined;
  /** Frames dropped so far. */
  dropped = 0;
  readonly intervalMs: number;

  /** `fps` 0 keeps every frame. */
  constructor(readonly fps: number) {
    if (!(fps >= 0) || !Number.isFinite(fps)) {
      throw new RangeError(`fps must be a finite number ≥ 0, got ${fps}`);
    }
    this.intervalMs = fps === 0 ? 0 : 1000 / fps;
  }

  /** Whether the frame stamped `timestampMs` is kept. */
  keep(timestampMs: number): boolean {
    if (this.intervalMs === 0) return true;
    // Half a millisecond of slack: timestamps computed as index × 1000 / fps round either way.
    const slackMs = 0.5;
    if (this.nextDueMs !== undefined && timestampMs + slackMs < this.nextDueMs) {
      this.dropped += 1;
      return false;
    }
    const behind = this.nextDueMs === undefined || timestampMs - this.nextDueMs >= this.intervalMs;
    this.nextDueMs = (behind ? timestampMs : this.nextDueMs!) + this.intervalMs;
    return true;
  }

  /** Forgets the slots: the next frame is kept (a new run, a loop restart). */
  reset(): void {
    this.nextDueMs = undefined;
  }
}
