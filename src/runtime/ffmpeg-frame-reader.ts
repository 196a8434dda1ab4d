/**
 * Decodes a video file into RGB frames with an ffmpeg child process writing raw rgb24 to a pipe.
 * Buffering is bounded: when the consumer lags, the pipe is paused, the OS pipe fills and ffmpeg
 * blocks, so memory stays at a few frames whatever the length of the video.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { Frame } from '../core/types';
import { DEFAULT_KILL_GRACE_MS, register, terminate } from './child-registry';
import { ffmpegPath } from './ffmpeg-binary';
import { probeVideo, type VideoInfo } from './video-probe';

export interface OpenVideoOptions {
  /** Output width in pixels, aspect kept, height rounded to an even number; 0 or absent = native. */
  width?: number;
  /** Stop after this many frames; 0 or absent = all. */
  maxFrames?: number;
  /** Decoded frames held for a lagging consumer before the pipe is paused (default 2). */
  maxBufferedFrames?: number;
  /** Time ffmpeg gets to exit after SIGTERM before SIGKILL (default 2000 ms). */
  killGraceMs?: number;
  /** The ffmpeg executable; default: resolved by ffmpeg-binary. */
  ffmpegPath?: string;
}

export interface FrameReader extends AsyncIterable<Frame> {
  /** The probed source; `width`/`height` here are the source's, `frameWidth`/`frameHeight` the output's. */
  readonly info: VideoInfo;
  readonly frameWidth: number;
  readonly frameHeight: number;
  /** Frames handed to the consumer so far. */
  readonly framesRead: number;
  /** Stops decoding and kills ffmpeg; resolves once it has exited. Safe to call more than once. */
  close(): Promise<void>;
}

const DEFAULT_MAX_BUFFERED_FRAMES = 2;
/** ffmpeg's stderr lines kept for the error message; the last one usually names the cause. */
const STDERR_LINES_KEPT = 8;

/**
 * Output size for a requested width: aspect kept, height even (what yuv-based filters need).
 * Limitation: the sample aspect ratio is ignored, because surveillance footage has square pixels;
 * way out: multiply by the probed `sample_aspect_ratio`.
 */
export function outputSize(
  sourceWidth: number,
  sourceHeight: number,
  width = 0,
): { width: number; height: number } {
  if (width === 0 || width === sourceWidth) return { width: sourceWidth, height: sourceHeight };
  if (!Number.isInteger(width) || width < 2) {
    throw new RangeError(`width must be 0 (native) or an integer ≥ 2, got ${width}`);
  }
  const height = Math.max(2, 2 * Math.round((width * sourceHeight) / (2 * sourceWidth)));
  return { width, height };
}

/** Probes `path` and starts decoding it. Rejects with "video file not found: …" and the like. */
export async function openVideo(
  path: string,
  options: OpenVideoOptions = {},
): Promise<FrameReader> {
  const maxFrames = options.maxFrames ?? 0;
  if (!Number.isInteger(maxFrames) || maxFrames < 0) {
    throw new RangeError(`maxFrames must be an integer ≥ 0, got ${maxFrames}`);
  }
  const info = await probeVideo(path);
  const size = outputSize(info.width, info.height, options.width ?? 0);
  return new FfmpegFrameReader(info, size.width, size.height, maxFrames, options);
}

type FfmpegChild = ChildProcessByStdio<null, Readable, Readable>;

class FfmpegFrameReader implements FrameReader {
  readonly frameBytes: number;
  framesRead = 0;
  private readonly child: FfmpegChild;
  private readonly exited: Promise<void>;
  private readonly maxBuffered: number;
  private readonly killGraceMs: number;
  private readonly queue: Buffer[] = [];
  private partial: Buffer | undefined;
  private partialBytes = 0;
  private decoded = 0;
  private finished = false;
  private closing = false;
  private failure: Error | undefined;
  private readonly stderrLines: string[] = [];
  private wake: (() => void) | undefined;

  constructor(
    readonly info: VideoInfo,
    readonly frameWidth: number,
    readonly frameHeight: number,
    private readonly maxFrames: number,
    options: OpenVideoOptions,
  ) {
    this.frameBytes = frameWidth * frameHeight * 3;
    this.maxBuffered = options.maxBufferedFrames ?? DEFAULT_MAX_BUFFERED_FRAMES;
    this.killGraceMs = options.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
    this.child = spawn(options.ffmpegPath ?? ffmpegPath(), this.ffmpegArgs(), {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    register(this.child);
    this.child.stdout.on('data', (chunk: Buffer) => this.onData(chunk));
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (text: string) => this.onStderr(text));
    this.exited = new Promise((resolve) => {
      this.child.on('error', (err) => {
        this.finish(new Error(`cannot start ffmpeg for ${info.path}: ${err.message}`));
        resolve();
      });
      this.child.on('close', (code, signal) => {
        this.onExit(code, signal);
        resolve();
      });
    });
  }

  private ffmpegArgs(): string[] {
    const maxFrames = this.maxFrames;
    const args = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-i', this.info.path];
    // Passthrough: one output frame per decoded frame, so `index` is the decoded frame number
    // (ground truth is aligned on it) and no frame is duplicated to fill a constant rate.
    args.push('-an', '-sn', '-vsync', '0');
    if (this.frameWidth !== this.info.width || this.frameHeight !== this.info.height) {
      args.push('-vf', `scale=${this.frameWidth}:${this.frameHeight}`);
    }
    if (maxFrames > 0) args.push('-frames:v', String(maxFrames));
    args.push('-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1');
    return args;
  }

  /** Cuts the byte stream into frames; each frame gets its own Buffer (consumers keep them). */
  private onData(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) {
      this.partial ??= Buffer.allocUnsafe(this.frameBytes);
      const take = Math.min(this.frameBytes - this.partialBytes, chunk.length - offset);
      chunk.copy(this.partial, this.partialBytes, offset, offset + take);
      this.partialBytes += take;
      offset += take;
      if (this.partialBytes === this.frameBytes) {
        this.queue.push(this.partial);
        this.partial = undefined;
        this.partialBytes = 0;
      }
    }
    if (this.queue.length >= this.maxBuffered) this.child.stdout.pause();
    this.notify();
  }

  private onStderr(text: string): void {
    for (const line of text.split(/\r?\n/)) {
      if (line.trim() === '') continue;
      this.stderrLines.push(line.trim());
      if (this.stderrLines.length > STDERR_LINES_KEPT) this.stderrLines.shift();
    }
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.closing) return this.finish();
    if (code !== 0) {
      const reason = this.stderrLines.at(-1) ?? `exit code ${code ?? signal}`;
      return this.finish(new Error(`ffmpeg failed on ${this.info.path}: ${reason}`));
    }
    if (this.partialBytes > 0) {
      const message = `ffmpeg output for ${this.info.path} ended in the middle of a frame`;
      return this.finish(new Error(message));
    }
    const truncation = this.truncation();
    if (truncation !== undefined) return this.finish(new Error(truncation));
    this.finish();
  }

  /**
   * A file cut short (a recording interrupted by a crash or a full disk) decodes "successfully":
   * ffmpeg exits 0 after the frames it could read. It is reported as an error when the container
   * promised more frames than came and ffmpeg complained on the way.
   */
  private truncation(): string | undefined {
    const stated = this.info.frameCount;
    const expected =
      this.maxFrames > 0 && stated !== undefined ? Math.min(stated, this.maxFrames) : stated;
    const complaint = this.stderrLines.at(-1);
    if (expected === undefined || this.framesWritten() >= expected || complaint === undefined) {
      return undefined;
    }
    return (
      `ffmpeg failed on ${this.info.path}: truncated or corrupt, ${this.framesWritten()} of ` +
      `${expected} frames decoded (${complaint})`
    );
  }

  /** Frames ffmpeg wrote to the pipe (read by the consumer or still queued). */
  private framesWritten(): number {
    return this.decoded + this.queue.length;
  }

  private finish(err?: Error): void {
    if (this.finished) return;
    this.finished = true;
    this.failure = err;
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Frame> {
    try {
      for (;;) {
        const data = await this.nextBuffer();
        if (data === undefined) return;
        yield this.toFrame(data);
      }
    } finally {
      // A consumer that breaks out of the loop early must not leave ffmpeg running.
      await this.close();
    }
  }

  private async nextBuffer(): Promise<Buffer | undefined> {
    for (;;) {
      if (this.closing) return undefined;
      const data = this.queue.shift();
      if (data !== undefined) {
        if (this.queue.length < this.maxBuffered) this.child.stdout.resume();
        return data;
      }
      if (this.finished) {
        if (this.failure) throw this.failure;
        return undefined;
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  // Limitation: timestamps assume a constant frame rate, because rawvideo output carries no
  // presentation times; way out: read pts with `-f framemd5`-style side output or ffprobe frames.
  private toFrame(data: Buffer): Frame {
    const index = this.decoded;
    this.decoded += 1;
    this.framesRead += 1;
    return {
      data,
      width: this.frameWidth,
      height: this.frameHeight,
      channels: 3,
      index,
      timestampMs: (index * 1000) / this.info.fps,
      source: this.info.path,
    };
  }

  async close(): Promise<void> {
    if (!this.closing) {
      this.closing = true;
      this.queue.length = 0;
      this.notify();
      this.kill();
    }
    await this.exited;
  }

  private kill(): void {
    const child = this.child;
    if (child.exitCode !== null || child.signalCode !== null) return;
    // Our end of the pipe goes first, so an ffmpeg blocked on a full pipe wakes up with EPIPE.
    child.stdout.destroy();
    void terminate(child, this.killGraceMs);
  }
}
