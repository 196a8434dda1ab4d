/**
 * Plays one video file: opens a frame reader and hands its frames out either at media speed
 * (real time) or as fast as the consumer acknowledges them (ack window), optionally looping,
 * dropping frames to a target frame rate, and holding them while paused (the pipe fills and
 * ffmpeg waits, so a pause costs no memory). The clock and timers live here; the pacing rules
 * are the pure ones in core/frame-pacer and core/frame-decimator.
 */
import { FrameDecimator } from '../core/frame-decimator';
import { AckWindow, RealtimeSchedule } from '../core/frame-pacer';
import type { Frame } from '../core/types';
import { openVideo, type FrameReader } from './ffmpeg-frame-reader';
import type { FrameSource, SourceListener, SourceSummary } from './frame-source';

export type Pacing = 'realtime' | 'ack';

export interface PlaybackOptions {
  file: string;
  /** Output width, 0 = native. */
  width: number;
  /** Frames per run, 0 = all. */
  maxFrames: number;
  pacing: Pacing;
  /** Ack pacing: frames sent and not yet acknowledged, at most. */
  maxInFlight: number;
  /** Ack pacing: a frame not acknowledged within this time frees its slot anyway. */
  ackTimeoutMs: number;
  loop: boolean;
  /** Target frame rate on media time, frames beyond it dropped; 0 or absent = every frame. */
  fps?: number;
  /** Opens each pass; default: the ffmpeg reader on `file` (an image sequence brings its own). */
  open?: () => Promise<FrameReader>;
}

/** What a run looks like, as reported with each event. */
export type PlaybackSummary = SourceSummary & { fps: number; width: number; height: number };

export type PlaybackListener = SourceListener;

export class VideoPlayback implements FrameSource {
  private reader: FrameReader | undefined;
  private stopped = false;
  private pausedFlag = false;
  private running: Promise<void> | undefined;
  private window: AckWindow;
  private readonly decimator: FrameDecimator;
  private wakeSleeper: (() => void) | undefined;
  /** Frames and media time of the passes already played (loop). */
  private readonly passOffset = { index: 0, ms: 0 };

  constructor(
    private readonly options: PlaybackOptions,
    private readonly listener: PlaybackListener,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.window = new AckWindow(options.maxInFlight, options.ackTimeoutMs);
    this.decimator = new FrameDecimator(options.fps ?? 0);
  }

  get paused(): boolean {
    return this.pausedFlag;
  }

  /** Holds the next frame until resume(); ffmpeg blocks on the full pipe meanwhile. */
  pause(): void {
    this.pausedFlag = true;
  }

  resume(): void {
    this.pausedFlag = false;
    this.wake();
  }

  /** Opens the file (rejects with the probe's error, naming the file) and starts the run. */
  async start(): Promise<void> {
    this.reader = await this.open();
    if (this.stopped) return void (await this.reader.close());
    this.running = this.play(this.reader).catch((err: unknown) => {
      if (!this.stopped) this.listener.error(err instanceof Error ? err : new Error(String(err)));
    });
  }

  /** Frames released by the ack timeout instead of an ack, over all runs. */
  get ackTimeouts(): number {
    return this.window.timeouts;
  }

  /** One acknowledgement: frees the slot of the oldest frame in flight. */
  ack(): void {
    if (this.window.ack()) this.wake();
  }

  /** Ends the run, kills ffmpeg and waits until the `end` (stopped) event has been given. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.reader?.close();
    await this.running;
  }

  private open(): Promise<FrameReader> {
    const { file, width, maxFrames, open } = this.options;
    return open ? open() : openVideo(file, { width, maxFrames });
  }

  private async play(first: FrameReader): Promise<void> {
    let reader = first;
    for (;;) {
      const frames = await this.playOnce(reader);
      if (this.stopped || !this.options.loop || frames === 0) return;
      reader = await this.open();
      this.reader = reader;
      if (this.stopped) return void (await reader.close());
    }
  }

  /** Plays `reader` to its end or to stop(); returns the number of frames emitted. */
  private async playOnce(reader: FrameReader): Promise<number> {
    const summary = summarize(reader, this.options.maxFrames);
    const schedule = new RealtimeSchedule(reader.info.fps);
    this.window.clear();
    this.listener.start({ ...summary });
    let nextIndex = 0;
    for await (const decoded of reader) {
      nextIndex = decoded.index + 1;
      const frame = this.onTimeline(decoded);
      if (!this.decimator.keep(frame.timestampMs)) {
        summary.dropped += 1;
        continue;
      }
      await this.waitUntilDue(frame.index, schedule);
      // After the wait: a pause that came while this frame waited for its slot holds it too.
      await this.whilePaused(schedule);
      if (this.stopped) break;
      if (this.options.pacing === 'ack') this.window.sent(this.now());
      summary.frames += 1;
      this.listener.frame(frame, { ...summary });
    }
    this.listener.end({ ...summary }, this.stopped);
    this.passOffset.index += nextIndex;
    this.passOffset.ms += (nextIndex * 1000) / reader.info.fps;
    return summary.frames;
  }

  /**
   * A looped file goes on counting: pass n's frames follow pass n − 1's in index and media
   * time, so `index` and `timestampMs` never go backwards within one start.
   */
  private onTimeline(frame: Frame): Frame {
    if (this.passOffset.index === 0) return frame;
    return {
      ...frame,
      index: frame.index + this.passOffset.index,
      timestampMs: frame.timestampMs + this.passOffset.ms,
    };
  }

  /** Sleeps while paused; the real-time schedule restarts after a pause instead of rushing. */
  private async whilePaused(schedule: RealtimeSchedule): Promise<void> {
    if (!this.pausedFlag) return;
    while (this.pausedFlag && !this.stopped) await this.sleep(PAUSE_POLL_MS);
    schedule.restart();
  }

  private async waitUntilDue(index: number, schedule: RealtimeSchedule): Promise<void> {
    if (this.options.pacing === 'realtime') {
      const delayMs = schedule.delayMs(index, this.now());
      if (delayMs > 0) await this.sleep(delayMs);
      return;
    }
    while (!this.stopped && !this.window.canSend(this.now())) {
      const timeoutAt = this.window.nextTimeoutMs() ?? this.now();
      await this.sleep(Math.max(0, timeoutAt - this.now()));
    }
  }

  /** Waits `ms`, or less when ack() or stop() wakes the sleeper. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        if (this.wakeSleeper === finish) this.wakeSleeper = undefined;
        resolve();
      };
      const timer = setTimeout(finish, ms);
      this.wakeSleeper = finish;
    });
  }

  private wake(): void {
    this.wakeSleeper?.();
  }
}

/** A paused run checks this often whether it was resumed or stopped (both also wake it). */
const PAUSE_POLL_MS = 1000;

function summarize(reader: FrameReader, maxFrames: number): PlaybackSummary {
  const stated = reader.info.frameCount;
  const totalFrames =
    stated === undefined ? undefined : maxFrames > 0 ? Math.min(stated, maxFrames) : stated;
  return {
    source: reader.info.path,
    fps: reader.info.fps,
    width: reader.frameWidth,
    height: reader.frameHeight,
    frames: 0,
    totalFrames,
    dropped: 0,
  };
}
