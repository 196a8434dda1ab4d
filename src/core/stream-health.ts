/**
 * The health of a live source as a state machine: connecting → live ⇄ reconnecting → failed, and
 * the outages it goes through. An outage opens at the first failure (ffmpeg exited, or the
 * watchdog saw no frame for too long); it begins at the last frame received, or at the start of
 * the run when none came, because that is when the source went blind. It closes at the next
 * frame (`resumed: true`), or, when the source gives up or is stopped while blind, with a final
 * report (`resumed: false`, `endMs` = that moment), so a blind interval is never left unreported.
 * Pure: times come in as arguments (wall-clock milliseconds).
 */
import { backoffDelayMs, type BackoffOptions } from './backoff';

export type StreamState = 'connecting' | 'live' | 'reconnecting' | 'failed' | 'stopped';

export interface OutageReport {
  event: 'outage';
  source: string;
  startMs: number;
  endMs: number;
  durationMs: number;
  /** ffmpeg restarts made during this outage. */
  restarts: number;
  /** True when frames came back; false for the final report of an outage still open. */
  resumed: boolean;
  /** Why the source went blind (the outage's first failure). */
  reason: string;
}

export type FailureDecision =
  | { action: 'retry'; attempt: number; delayMs: number }
  | { action: 'give-up'; outage: OutageReport };

export interface StreamHealthOptions {
  backoff: BackoffOptions;
  /** Consecutive failed attempts after which the source gives up; 0 = never. */
  maxAttempts: number;
}

interface OpenOutage {
  startMs: number;
  restarts: number;
  reason: string;
}

export class StreamHealth {
  state: StreamState = 'connecting';
  /** Restart attempts since the last frame (0 while live). */
  attempt = 0;
  /** Restarts over the whole run. */
  restarts = 0;
  /** Outages closed or reported so far. */
  outages = 0;
  /** The reason of the latest failure, for the status line. */
  lastReason: string | undefined;
  private lastFrameMs: number | undefined;
  private outage: OpenOutage | undefined;

  constructor(
    readonly source: string,
    private readonly options: StreamHealthOptions,
    private readonly startedMs: number,
  ) {
    if (!Number.isInteger(options.maxAttempts) || options.maxAttempts < 0) {
      throw new RangeError(`maxAttempts must be an integer ≥ 0, got ${options.maxAttempts}`);
    }
  }

  /** Whether an outage is open now. */
  get blind(): boolean {
    return this.outage !== undefined;
  }

  /** A frame arrived at `nowMs`; returns the outage it ends, if one was open. */
  frame(nowMs: number): OutageReport | undefined {
    if (this.state === 'stopped' || this.state === 'failed') return undefined;
    this.lastFrameMs = nowMs;
    this.state = 'live';
    this.attempt = 0;
    return this.closeOutage(nowMs, true);
  }

  /**
   * The source failed at `nowMs` for `reason`. A `fatal` failure (wrong credentials) gives up
   * at once: retrying cannot fix it and would only hammer the camera.
   */
  failure(nowMs: number, reason: string, fatal = false, random = 0): FailureDecision | undefined {
    if (this.state === 'stopped' || this.state === 'failed') return undefined;
    this.lastReason = reason;
    this.outage ??= { startMs: this.lastFrameMs ?? this.startedMs, restarts: 0, reason };
    const { maxAttempts } = this.options;
    if (fatal || (maxAttempts > 0 && this.attempt >= maxAttempts)) {
      this.state = 'failed';
      return { action: 'give-up', outage: this.closeOutage(nowMs, false)! };
    }
    this.state = 'reconnecting';
    this.attempt += 1;
    this.restarts += 1;
    this.outage.restarts += 1;
    return {
      action: 'retry',
      attempt: this.attempt,
      delayMs: backoffDelayMs(this.attempt, this.options.backoff, random),
    };
  }

  /** The run was stopped at `nowMs`; returns the final report of an open outage, if any. */
  stop(nowMs: number): OutageReport | undefined {
    if (this.state === 'stopped') return undefined;
    this.state = 'stopped';
    return this.closeOutage(nowMs, false);
  }

  private closeOutage(nowMs: number, resumed: boolean): OutageReport | undefined {
    const open = this.outage;
    if (open === undefined) return undefined;
    this.outage = undefined;
    this.outages += 1;
    return {
      event: 'outage',
      source: this.source,
      startMs: open.startMs,
      endMs: nowMs,
      durationMs: nowMs - open.startMs,
      restarts: open.restarts,
      resumed,
      reason: open.reason,
    };
  }
}
