/**
 * A live source that never silently dies. It runs ffmpeg on the stream, and a watchdog restarts
 * ffmpeg with exponential back-off whenever frames stop (no frame for `stallTimeoutMs`) or
 * ffmpeg exits; each outage is reported with its start, end, duration and restarts once frames
 * resume. Wrong credentials give up at once instead of retrying. Frames are stamped with the
 * wall clock when they arrive, dropped (never queued) to hold the target frame rate, and in ack
 * pacing only the newest frame waits for the chain's acknowledgement.
 */
import { performance } from 'node:perf_hooks';
import type { BackoffOptions } from '../core/backoff';
import { classifyFfmpegFailure, type FfmpegFailure } from '../core/ffmpeg-failure';
import { FrameDecimator } from '../core/frame-decimator';
import { MonotonicStamp } from '../core/monotonic-stamp';
import { AckWindow } from '../core/frame-pacer';
import type { PpmImage } from '../core/ppm-stream-parser';
import { StreamHealth } from '../core/stream-health';
import { StreamTimeline } from '../core/stream-timeline';
import type { Frame } from '../core/types';
import { FfmpegStreamReader, type StreamExit } from './ffmpeg-stream-reader';
import type { FrameSource, HealthView, SourceListener, SourceSummary } from './frame-source';
import { ffmpegInputArgs, secretsOf, sourceName, type LiveInput } from './stream-input';
import type { Pacing } from './video-playback';

export interface LiveStreamOptions {
  input: LiveInput;
  /** Output width, aspect kept; 0 = native. */
  width: number;
  /** Target frame rate, frames beyond it dropped; 0 = every frame. */
  fps: number;
  pacing: Pacing;
  maxInFlight: number;
  ackTimeoutMs: number;
  /** No frame for this long (from ffmpeg's start too) → ffmpeg is killed and restarted. */
  stallTimeoutMs: number;
  backoff: BackoffOptions;
  /** Restarts without a frame after which the source gives up; 0 = never. */
  maxAttempts: number;
  ffmpegPath?: string;
  killGraceMs?: number;
}

/** Wall-clock milliseconds that never go backwards (the monotonic clock, anchored at startup). */
export function monotonicWallMs(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * Extra time a fresh ffmpeg gets for its first frame: connecting, the RTSP handshake and probing
 * the stream (an H.264 camera may need a whole key-frame interval) take seconds on their own.
 */
export const STARTUP_GRACE_MS = 5000;

/** The watchdog looks this many times per stall timeout: a stall is seen within 25 % of it. */
const WATCHDOG_CHECKS_PER_TIMEOUT = 4;

export class LiveStream implements FrameSource {
  readonly source: string;
  private readonly health: StreamHealth;
  private readonly timeline = new StreamTimeline();
  private readonly stamps = new MonotonicStamp();
  private readonly decimator: FrameDecimator;
  private readonly window: AckWindow;
  private reader: FfmpegStreamReader | undefined;
  private readonly closingReaders = new Set<Promise<void>>();
  private watchdog: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private ackTimer: NodeJS.Timeout | undefined;
  /** The watchdog fires when no frame came for `allowanceMs` since `lastProgressMs`. */
  private lastProgressMs = 0;
  private allowanceMs = 0;
  private pending: Frame | undefined;
  private stopped = false;
  private pausedFlag = false;
  private frames = 0;
  private dropped = 0;
  private size: { width: number; height: number } | undefined;

  constructor(
    private readonly options: LiveStreamOptions,
    private readonly listener: SourceListener,
    private readonly now: () => number = monotonicWallMs,
    private readonly random: () => number = Math.random,
  ) {
    this.source = sourceName(options.input);
    this.health = new StreamHealth(
      this.source,
      { backoff: options.backoff, maxAttempts: options.maxAttempts },
      now(),
    );
    this.decimator = new FrameDecimator(options.fps);
    this.window = new AckWindow(options.maxInFlight, options.ackTimeoutMs);
  }

  get paused(): boolean {
    return this.pausedFlag;
  }

  get ackTimeouts(): number {
    return this.window.timeouts;
  }

  /** Restarts so far (watchdog or ffmpeg exit). */
  get restarts(): number {
    return this.health.restarts;
  }

  async start(): Promise<void> {
    this.listener.start(this.summary());
    this.listener.health?.(this.view());
    this.spawn();
    const periodMs = this.options.stallTimeoutMs / WATCHDOG_CHECKS_PER_TIMEOUT;
    this.watchdog = setInterval(() => this.checkStall(), periodMs);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.clearTimers();
    const gaveUp = this.health.state === 'failed';
    const open = this.health.stop(this.now());
    if (open) this.listener.outage?.(open);
    this.closeReader();
    await Promise.all(this.closingReaders);
    // A source that gave up has had its `end` already.
    if (!gaveUp) this.listener.end(this.summary(), true);
  }

  pause(): void {
    this.pausedFlag = true;
    this.pending = undefined;
  }

  resume(): void {
    this.pausedFlag = false;
  }

  ack(): void {
    if (this.window.ack()) this.flushPending();
  }

  private spawn(): void {
    this.retryTimer = undefined;
    if (this.stopped) return;
    this.lastProgressMs = this.now();
    this.allowanceMs = this.options.stallTimeoutMs + STARTUP_GRACE_MS;
    const reader: FfmpegStreamReader = new FfmpegStreamReader(
      {
        inputArgs: ffmpegInputArgs(this.options.input),
        width: this.options.width,
        secrets: secretsOf(this.options.input),
        ffmpegPath: this.options.ffmpegPath,
        killGraceMs: this.options.killGraceMs,
      },
      {
        frame: (image) => this.onImage(image),
        exit: (exit) => {
          if (reader === this.reader) this.onExit(exit);
        },
      },
    );
    this.reader = reader;
  }

  private checkStall(): void {
    if (this.reader === undefined || this.stopped) return;
    const silentMs = this.now() - this.lastProgressMs;
    if (silentMs < this.allowanceMs) return;
    const seconds = Math.round(silentMs / 100) / 10;
    this.fail({ reason: `no frame for ${seconds} s`, fatal: false });
  }

  private onExit(exit: StreamExit): void {
    this.reader = undefined;
    const failure = exit.error
      ? { reason: exit.error.message, fatal: exit.error.message.startsWith('cannot start') }
      : classifyFfmpegFailure(exit.stderr, exit);
    this.fail(failure);
  }

  private fail(failure: FfmpegFailure): void {
    this.closeReader();
    // A frame held for an ack from before the outage is stale once frames come back.
    this.pending = undefined;
    const decision = this.health.failure(this.now(), failure.reason, failure.fatal, this.random());
    if (decision === undefined) return;
    if (decision.action === 'retry') {
      this.listener.health?.(this.view(decision.delayMs));
      this.retryTimer = setTimeout(() => this.spawn(), decision.delayMs);
      return;
    }
    this.clearTimers();
    this.listener.outage?.(decision.outage);
    this.listener.health?.(this.view());
    this.listener.error(new Error(`${this.source}: ${failure.reason}`));
    this.listener.end({ ...this.summary(), failure: failure.reason }, false);
  }

  private onImage(image: PpmImage): void {
    if (this.stopped) return;
    const nowMs = this.stamps.next(this.now());
    this.lastProgressMs = nowMs;
    this.allowanceMs = this.options.stallTimeoutMs;
    const wasBlind = this.health.blind;
    const wasLive = this.health.state === 'live';
    const outage = this.health.frame(nowMs);
    const index = this.timeline.index(nowMs, wasBlind);
    if (outage) this.listener.outage?.(outage);
    if (!wasLive) this.listener.health?.(this.view());
    if (this.pausedFlag) return;
    if (!this.decimator.keep(nowMs)) {
      this.dropped += 1;
      return;
    }
    const frame: Frame = {
      data: image.data,
      width: image.width,
      height: image.height,
      channels: 3,
      index,
      timestampMs: nowMs,
      source: this.source,
    };
    if (this.options.pacing === 'realtime') return this.send(frame);
    // Ack pacing: only the newest frame waits; the one it replaces is dropped, not queued.
    if (this.pending) this.dropped += 1;
    this.pending = frame;
    this.flushPending();
  }

  private flushPending(): void {
    clearTimeout(this.ackTimer);
    this.ackTimer = undefined;
    if (this.pending === undefined || this.stopped) return;
    const nowMs = this.now();
    if (this.window.canSend(nowMs)) {
      const frame = this.pending;
      this.pending = undefined;
      this.window.sent(nowMs);
      this.send(frame);
      return;
    }
    const timeoutAt = this.window.nextTimeoutMs();
    if (timeoutAt !== undefined) {
      this.ackTimer = setTimeout(() => this.flushPending(), Math.max(0, timeoutAt - nowMs));
    }
  }

  private send(frame: Frame): void {
    this.frames += 1;
    this.size = { width: frame.width, height: frame.height };
    this.listener.frame(frame, this.summary());
  }

  private closeReader(): void {
    const reader = this.reader;
    this.reader = undefined;
    if (reader === undefined) return;
    const closing = reader.close();
    this.closingReaders.add(closing);
    void closing.then(() => this.closingReaders.delete(closing));
  }

  private clearTimers(): void {
    clearInterval(this.watchdog);
    clearTimeout(this.retryTimer);
    clearTimeout(this.ackTimer);
    this.watchdog = this.retryTimer = this.ackTimer = undefined;
  }

  private view(retryInMs?: number): HealthView {
    const { state, attempt, restarts, lastReason } = this.health;
    return { state, attempt, restarts, reason: lastReason, retryInMs };
  }

  private summary(): SourceSummary {
    const fps = this.timeline.fps;
    return {
      source: this.source,
      fps: fps === undefined ? null : Math.round(fps * 100) / 100,
      width: this.size?.width ?? null,
      height: this.size?.height ?? null,
      frames: this.frames,
      dropped: this.dropped,
    };
  }
}
