/**
 * Plays one video file: opens a frame reader and hands its frames out either at media speed
 * (real time) or as fast as the consumer acknowledges them (ack window), optionally looping.
 * The clock and timers live here; the pacing rules are the pure ones in core/frame-pacer.
 */
import { AckWindow, RealtimeSchedule } from '../core/frame-pacer';
import type { Frame } from '../core/types';
import { openVideo, type FrameReader } from './ffmpeg-frame-reader';

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
}

/** What a run looks like, as reported with each event. */
export interface PlaybackSummary {
  source: string;
  fps: number;
  width: number;
  height: number;
  /** Frames emitted in this run so far. */
  frames: number;
  /** Frames this run will emit when the container states its length (else undefined). */
  totalFrames?: number;
}

export interface PlaybackListener {
  start(summary: PlaybackSummary): void;
  frame(frame: Frame, summary: PlaybackSummary): void;
  /** `stopped` is true when stop() ended the run, false at the end of the file. */
  end(summary: PlaybackSummary, stopped: boolean): void;
  /** Decoding failed mid-stream; the run is over and no `end` follows. */
  error(err: Error): void;
}

export class VideoPlayback {
  private reader: FrameReader | undefined;
  private stopped = false;
  private running: Promise<void> | undefined;
  private window: AckWindow;
  private wakeSleeper: (() => void) | undefined;

  constructor(
    private readonly options: PlaybackOptions,
    private readonly listener: PlaybackListener,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.window = new AckWindow(options.maxInFlight, options.ackTimeoutMs);
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
    const { file, width, maxFrames } = this.options;
    return openVideo(file, { width, maxFrames });
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
    for await (const frame of reader) {
      await this.waitUntilDue(frame.index, schedule);
      if (this.stopped) break;
      if (this.options.pacing === 'ack') this.window.sent(this.now());
      summary.frames += 1;
      this.listener.frame(frame, { ...summary });
    }
    this.listener.end({ ...summary }, this.stopped);
    return summary.frames;
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
  };
}
