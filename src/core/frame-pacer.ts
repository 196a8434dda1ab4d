/**
 * When a video source may emit its next frame. Two policies:
 * - real time: frame i is due at `startMs + i * 1000 / fps` (media time mapped onto the clock);
 * - ack window: at most `maxInFlight` frames are unacknowledged at once; an ack, or a timeout,
 *   frees a slot.
 * Pure: the caller passes the current time in; nothing here reads a clock or sets a timer.
 */

/** Due time of frame `index` (0-based) of a stream at `fps` that started at `startMs`. */
export function frameDueMs(startMs: number, index: number, fps: number): number {
  return startMs + (index * 1000) / fps;
}

/**
 * Real-time schedule. A frame that is late by more than `maxLagMs` moves the schedule forward
 * instead of being rushed out: after a stall the source resumes at media speed rather than
 * bursting the backlog into a downstream that would only drop it.
 */
export class RealtimeSchedule {
  private anchorMs = 0;
  private anchorIndex = 0;
  private started = false;
  /** How often the schedule was moved because frames were late. */
  reanchors = 0;

  constructor(
    readonly fps: number,
    readonly maxLagMs: number = 1000 / fps,
  ) {
    if (!(fps > 0)) throw new RangeError(`fps must be > 0, got ${fps}`);
    if (!(maxLagMs >= 0)) throw new RangeError(`maxLagMs must be ≥ 0, got ${maxLagMs}`);
  }

  /** Frame `index` is due at `nowMs`. Call once, before the first `delayMs`. */
  start(nowMs: number, index = 0): void {
    this.anchorMs = nowMs;
    this.anchorIndex = index;
    this.started = true;
  }

  /** Forgets the anchor: the next frame asked about is due at once (after a pause). */
  restart(): void {
    this.started = false;
  }

  /** Milliseconds to wait before emitting frame `index`; 0 when it is due or late. */
  delayMs(index: number, nowMs: number): number {
    if (!this.started) this.start(nowMs, index);
    const dueMs = frameDueMs(this.anchorMs, index - this.anchorIndex, this.fps);
    const lateMs = nowMs - dueMs;
    if (lateMs > this.maxLagMs) {
      this.start(nowMs, index);
      this.reanchors += 1;
      return 0;
    }
    return Math.max(0, -lateMs);
  }
}

/**
 * Frames sent and not yet acknowledged, oldest first. Each ack retires the oldest frame; a frame
 * the chain dropped sends no ack and is retired by the timeout.
 * Limitation: acks are not matched to frame indices, because the chain does not echo them back
 * reliably; way out: carry `frame.index` in the ack and retire that frame.
 */
export class AckWindow {
  private readonly sentAtMs: number[] = [];
  /** Frames released by the timeout rather than by an ack. */
  timeouts = 0;

  constructor(
    readonly maxInFlight: number,
    readonly timeoutMs: number,
  ) {
    if (!Number.isInteger(maxInFlight) || maxInFlight < 1) {
      throw new RangeError(`maxInFlight must be an integer ≥ 1, got ${maxInFlight}`);
    }
    if (!(timeoutMs > 0)) throw new RangeError(`timeoutMs must be > 0, got ${timeoutMs}`);
  }

  get inFlight(): number {
    return this.sentAtMs.length;
  }

  /** True when another frame may be sent at `nowMs` (expired frames are retired first). */
  canSend(nowMs: number): boolean {
    this.expire(nowMs);
    return this.sentAtMs.length < this.maxInFlight;
  }

  sent(nowMs: number): void {
    this.sentAtMs.push(nowMs);
  }

  /** Retires the oldest frame in flight; false for a stray ack (nothing in flight). */
  ack(): boolean {
    return this.sentAtMs.shift() !== undefined;
  }

  /** When the oldest frame in flight times out; undefined when none is in flight. */
  nextTimeoutMs(): number | undefined {
    const oldest = this.sentAtMs[0];
    return oldest === undefined ? undefined : oldest + this.timeoutMs;
  }

  /** Retires the frames sent `timeoutMs` or more before `nowMs`; returns how many. */
  expire(nowMs: number): number {
    let count = 0;
    while (this.sentAtMs.length > 0 && nowMs - this.sentAtMs[0] >= this.timeoutMs) {
      this.sentAtMs.shift();
      count += 1;
    }
    this.timeouts += count;
    return count;
  }

  clear(): void {
    this.sentAtMs.length = 0;
  }
}
