/**
 * Blind intervals: spans of time in which a camera sent no frames (a stream outage reported by
 * video-source). Nobody can be counted while the camera is blind, so a window reports how much
 * of it was blind and how much was observed, and rates per hour use the observed time.
 */

export interface BlindInterval {
  startMs: number;
  endMs: number;
}

export interface BlindCoverage {
  /** Milliseconds of the window covered by blind intervals (overlaps merged). */
  blindMs: number;
  /** Window length minus blind time. */
  observedMs: number;
  /** Blind intervals that overlap the window. */
  outages: number;
}

export class BlindIntervals {
  /** Sorted by start, non-overlapping (overlapping reports are merged on insert). */
  private intervals: BlindInterval[] = [];

  /** Adds one blind interval; returns false, adding nothing, when it is empty or backwards. */
  add(startMs: number, endMs: number): boolean {
    if (!Number.isFinite(startMs) || !Number.isFinite(endMs) || endMs <= startMs) return false;
    const merged: BlindInterval[] = [];
    let next = { startMs, endMs };
    for (const iv of this.intervals) {
      if (iv.endMs < next.startMs || iv.startMs > next.endMs) merged.push(iv);
      else
        next = {
          startMs: Math.min(iv.startMs, next.startMs),
          endMs: Math.max(iv.endMs, next.endMs),
        };
    }
    merged.push(next);
    this.intervals = merged.sort((a, b) => a.startMs - b.startMs);
    return true;
  }

  /** How much of `[fromMs, toMs]` was blind. */
  coverage(fromMs: number, toMs: number): BlindCoverage {
    let blindMs = 0;
    let outages = 0;
    for (const iv of this.intervals) {
      const overlap = Math.min(iv.endMs, toMs) - Math.max(iv.startMs, fromMs);
      if (overlap > 0) {
        blindMs += overlap;
        outages += 1;
      }
    }
    return { blindMs, observedMs: Math.max(0, toMs - fromMs - blindMs), outages };
  }

  /** Forgets intervals that ended before `ms` (no window reaches back that far). */
  prune(ms: number): void {
    this.intervals = this.intervals.filter((iv) => iv.endMs >= ms);
  }

  list(): BlindInterval[] {
    return this.intervals.map((iv) => ({ ...iv }));
  }

  static from(list: readonly BlindInterval[]): BlindIntervals {
    const b = new BlindIntervals();
    for (const iv of list) b.add(iv.startMs, iv.endMs);
    return b;
  }
}
