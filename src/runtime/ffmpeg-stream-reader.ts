/**
 * Decodes a live source (RTSP, HTTP MJPEG / HLS, V4L2 device) with an ffmpeg child writing PPM
 * images to a pipe. Unlike the file reader, it never pauses the pipe: a live source that is not
 * read piles up stale frames in sockets and kernel buffers, so every frame is read as it comes
 * and the consumer decides, frame by frame, to use it or drop it. Memory stays at one partial
 * frame plus ffmpeg's own buffers, whatever the stream does (see PpmStreamParser).
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { PpmStreamParser, type PpmImage } from '../core/ppm-stream-parser';
import { redactText } from '../core/source-url';
import { DEFAULT_KILL_GRACE_MS, register, terminate } from './child-registry';
import { ffmpegPath } from './ffmpeg-binary';

export interface StreamReaderOptions {
  /** ffmpeg's input options and `-i <input>`, as built by stream-input. */
  inputArgs: readonly string[];
  /** Output width, aspect kept, height even; 0 = native. */
  width: number;
  /** Strings to hide in stderr lines (the password). */
  secrets: readonly string[];
  ffmpegPath?: string;
  killGraceMs?: number;
  maxFrameBytes?: number;
}

export interface StreamExit {
  code: number | null;
  signal: string | null;
  /** The last stderr lines, secrets removed. */
  stderr: string[];
  /** Set when ffmpeg could not be started or its output could not be parsed. */
  error?: Error;
}

export interface StreamReaderEvents {
  frame(image: PpmImage): void;
  /** ffmpeg ended by itself (not through close()); called once. */
  exit(exit: StreamExit): void;
}

/** ffmpeg's stderr lines kept for the failure reason. */
const STDERR_LINES_KEPT = 8;
/** A stderr line longer than this is cut: an endless line must not grow without bound. */
const STDERR_LINE_MAX = 300;

type FfmpegChild = ChildProcessByStdio<null, Readable, Readable>;

export class FfmpegStreamReader {
  private readonly child: FfmpegChild;
  private readonly parser: PpmStreamParser;
  private readonly stderrLines: string[] = [];
  private stderrTail = '';
  private closing = false;
  private parseError: Error | undefined;
  private spawnError: Error | undefined;

  constructor(
    private readonly options: StreamReaderOptions,
    private readonly events: StreamReaderEvents,
  ) {
    this.parser = new PpmStreamParser(options.maxFrameBytes);
    this.child = spawn(options.ffmpegPath ?? ffmpegPath(), this.args(), {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    register(this.child);
    this.child.stdout.on('data', (chunk: Buffer) => this.onData(chunk));
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (text: string) => this.onStderr(text));
    this.child.on('error', (err) => (this.spawnError = err));
    this.child.on('close', (code, signal) => this.onClose(code, signal));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  private args(): string[] {
    const args = ['-hide_banner', '-nostdin', '-loglevel', 'error', ...this.options.inputArgs];
    // One output image per decoded frame, no audio: frame dropping is decided downstream.
    args.push('-an', '-sn', '-dn', '-vsync', '0');
    if (this.options.width > 0) args.push('-vf', `scale=${this.options.width}:-2`);
    args.push('-f', 'image2pipe', '-c:v', 'ppm', 'pipe:1');
    return args;
  }

  private onData(chunk: Buffer): void {
    if (this.closing || this.parseError) return;
    let images: PpmImage[];
    try {
      images = this.parser.push(chunk);
    } catch (err) {
      // ffmpeg wrote something that is not PPM: nothing after it can be trusted.
      this.parseError = err instanceof Error ? err : new Error(String(err));
      void terminate(this.child, this.options.killGraceMs ?? DEFAULT_KILL_GRACE_MS);
      return;
    }
    for (const image of images) {
      if (this.closing) return;
      this.events.frame(image);
    }
  }

  private onStderr(text: string): void {
    const lines = (this.stderrTail + text).split(/\r?\n/);
    this.stderrTail = (lines.pop() ?? '').slice(0, STDERR_LINE_MAX);
    for (const line of lines) this.keepLine(line);
  }

  private keepLine(line: string): void {
    const trimmed = line.trim().slice(0, STDERR_LINE_MAX);
    if (trimmed === '') return;
    this.stderrLines.push(redactText(trimmed, this.options.secrets));
    if (this.stderrLines.length > STDERR_LINES_KEPT) this.stderrLines.shift();
  }

  private onClose(code: number | null, signal: NodeJS.Signals | null): void {
    this.keepLine(this.stderrTail);
    this.stderrTail = '';
    if (this.closing) return;
    const error =
      this.parseError ??
      (this.spawnError && new Error(`cannot start ffmpeg: ${this.spawnError.message}`));
    this.events.exit({ code, signal, stderr: [...this.stderrLines], error });
  }

  /** Stops ffmpeg; resolves once it has exited. No event is given after this is called. */
  async close(): Promise<void> {
    this.closing = true;
    this.child.stdout.destroy();
    await terminate(this.child, this.options.killGraceMs ?? DEFAULT_KILL_GRACE_MS);
  }
}
