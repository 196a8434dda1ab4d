/**
 * What every kind of video source (file playback, live stream, image sequence) offers the
 * video-source node, so the node drives them all the same way.
 */
import type { OutageReport, StreamState } from '../core/stream-health';
import type { Frame } from '../core/types';

/** A run as reported with each event on the node's second output. */
export interface SourceSummary {
  /** File path, device, or URL without credentials. */
  source: string;
  /** Media frame rate for files and image sequences, the measured one for live sources. */
  fps: number | null;
  /** Size of the frames sent; null for a live source before its first frame. */
  width: number | null;
  height: number | null;
  /** Frames sent in this run so far. */
  frames: number;
  /** Frames this run will send, when known in advance (files that state their length). */
  totalFrames?: number;
  /** Frames dropped to hold the target frame rate or because the chain had not acknowledged. */
  dropped: number;
  /** On the `end` of a live source that gave up: why. */
  failure?: string;
}

/** A live source's health, for the status line. */
export interface HealthView {
  state: StreamState;
  /** Restart attempt in progress (1-based) while reconnecting. */
  attempt: number;
  /** Restarts over the whole run. */
  restarts: number;
  /** Why the source failed last (reconnecting, failed). */
  reason?: string;
  /** Delay before the next attempt while reconnecting. */
  retryInMs?: number;
}

export interface SourceListener {
  start(summary: SourceSummary): void;
  frame(frame: Frame, summary: SourceSummary): void;
  /** `stopped`: ended by stop(); otherwise the source ended (end of file, or gave up). */
  end(summary: SourceSummary, stopped: boolean): void;
  /**
   * The run failed and is over. A file that fails mid-stream gives no `end`; a live source that
   * gives up follows with an `end` whose summary says why (`failure`).
   */
  error(err: Error): void;
  /** Live sources: the health changed. */
  health?(view: HealthView): void;
  /** Live sources: an outage ended, or was still open when the source gave up or stopped. */
  outage?(report: OutageReport): void;
  /** Image sequences: one image could not be read and was skipped. */
  skipped?(err: Error): void;
}

export interface FrameSource {
  /** Opens the source; rejects with a message naming it when it cannot be opened at all. */
  start(): Promise<void>;
  /** Ends the run; resolves once every child process has exited and `end` has been given. */
  stop(): Promise<void>;
  /** Holds frames back until resume(); a live source stays connected meanwhile. */
  pause(): void;
  resume(): void;
  readonly paused: boolean;
  /** Ack pacing: one acknowledgement from the chain. */
  ack(): void;
  /** Frames released by the ack timeout instead of an ack. */
  readonly ackTimeouts: number;
}
