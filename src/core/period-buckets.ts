/**
 * Window counts of people no longer in view, filed by the calendar period in which each was first
 * seen, so every person lands in exactly one hour and one day and the hours add up to the day.
 */
import { MS_PER_MINUTE, periodStartMs } from './calendar-period';
import type { VerdictLabel } from './types';
import { addPerson, emptyWindow, windowFromStore, type WindowCounts } from './window-tally';

/** One stored bucket: `[periodStartMs, counts]`. */
/** 1.5 periods past a start always lands inside the next period, whatever the clock change. */
const NEXT_PERIOD_PROBE = 1.5;

export type StoredBucket = [number, WindowCounts];

export class PeriodBuckets {
  private readonly buckets = new Map<number, WindowCounts>();

  constructor(
    readonly periodMinutes: number,
    private readonly timeZone: string,
    /** How many periods back from the newest are kept. */
    private readonly keepPeriods: number,
    private readonly zoneNames: readonly string[],
    stored: readonly StoredBucket[] = [],
  ) {
    for (const [startMs, counts] of stored) {
      if (Number.isFinite(startMs)) this.buckets.set(startMs, windowFromStore(counts));
    }
  }

  startOf(ms: number): number {
    return periodStartMs(ms, this.periodMinutes, this.timeZone);
  }

  /**
   * End of the period starting at `startMs`: the start of the next one, found from a point half a
   * period past the nominal end, so a 23- or 25-hour daylight-saving day still ends at midnight.
   */
  endOf(startMs: number): number {
    return this.startOf(startMs + NEXT_PERIOD_PROBE * this.periodMinutes * MS_PER_MINUTE);
  }

  /** Files one person under the period that holds `firstSeenMs`. */
  add(firstSeenMs: number, verdict: VerdictLabel, zones: Iterable<string>): void {
    const start = this.startOf(firstSeenMs);
    let bucket = this.buckets.get(start);
    if (!bucket) {
      bucket = emptyWindow(this.zoneNames);
      this.buckets.set(start, bucket);
    }
    addPerson(bucket, verdict, zones);
  }

  /** A copy of the counts filed under the period starting at `startMs` (zeros when none). */
  get(startMs: number): WindowCounts {
    const found = this.buckets.get(startMs);
    const copy = emptyWindow(this.zoneNames);
    if (!found) return copy;
    return JSON.parse(JSON.stringify(found)) as WindowCounts;
  }

  /** Forgets periods more than `keepPeriods` before the one holding `nowMs`. */
  prune(nowMs: number): void {
    const oldest = this.startOf(nowMs) - this.keepPeriods * this.periodMinutes * MS_PER_MINUTE;
    for (const start of this.buckets.keys()) if (start < oldest) this.buckets.delete(start);
  }

  toStore(): StoredBucket[] {
    return [...this.buckets.entries()].sort((a, b) => a[0] - b[0]);
  }
}
